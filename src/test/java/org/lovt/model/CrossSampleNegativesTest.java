package org.lovt.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cross_sample_negatives: true}: the candidates of each anchor are the valid elements of its own sample (with
 * the soft positives) plus every valid element of the other samples (negatives only). Checked against a plain
 * double-precision loop over that definition.
 */
class CrossSampleNegativesTest {
    /** l2att and att2l by loops; mask[b][i] valid; weights uniform over valid elements; report positives (identity). */
    static double[] reference(float[] x, float[] y, boolean[][] mask, int b, int n, int d, double tau) {
        double[][][] xn = normalised(x, b, n, d);
        double[][][] yn = normalised(y, b, n, d);
        double l2att = 0;
        double att2l = 0;
        for (int s = 0; s < b; s++) {
            int valid = 0;
            for (int i = 0; i < n; i++) {
                valid += mask[s][i] ? 1 : 0;
            }
            double sum1 = 0;
            double sum2 = 0;
            for (int i = 0; i < n; i++) {
                if (!mask[s][i]) {
                    continue;
                }
                double lse1 = 0;
                double lse2 = 0;
                for (int t = 0; t < b; t++) {
                    for (int j = 0; j < n; j++) {
                        if (mask[t][j]) {
                            lse1 += Math.exp(dot(xn[s][i], yn[t][j]) / tau);
                            lse2 += Math.exp(dot(yn[s][i], xn[t][j]) / tau);
                        }
                    }
                }
                double pos = dot(xn[s][i], yn[s][i]) / tau;
                sum1 += Math.log(lse1) - pos;
                sum2 += Math.log(lse2) - pos;
            }
            l2att += sum1 / valid;
            att2l += sum2 / valid;
        }
        return new double[] {l2att / b, att2l / b};
    }

    private static double[][][] normalised(float[] v, int b, int n, int d) {
        double[][][] out = new double[b][n][d];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    double e = v[(s * n + i) * d + k];
                    norm += e * e;
                }
                norm = Math.max(Math.sqrt(norm), 1e-12);
                for (int k = 0; k < d; k++) {
                    out[s][i][k] = v[(s * n + i) * d + k] / norm;
                }
            }
        }
        return out;
    }

    static double dot(double[] a, double[] c) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * c[k];
        }
        return s;
    }

    @Test
    void matchesTheDefinitionWithPaddedSentences() {
        int b = 3;
        int n = 4;
        int d = 6;
        boolean[][] mask = {{true, true, true, false}, {true, false, false, false}, {true, true, true, true}};
        boolean[] flat = new boolean[b * n];
        for (int s = 0; s < b; s++) {
            System.arraycopy(mask[s], 0, flat, s * n, n);
        }
        try (Scope sc = Scope.open()) {
            torch.manual_seed(11);
            Tensor x = torch.randn(b, n, d);
            Tensor y = torch.randn(b, n, d);
            LocalIntraSampleContrastiveLoss cross = new LocalIntraSampleContrastiveLoss(0.3, 0, false, false, 1, true);
            LocalIntraSampleContrastiveLoss.Result r = cross.compute(x, y, Tensors.bools(flat, b, n), null, n);
            double[] expected = reference(Tensors.toFloats(x), Tensors.toFloats(y), mask, b, n, d, 0.3);
            assertEquals(expected[0], r.l2att().item_double(), 1e-4);
            assertEquals(expected[1], r.att2l().item_double(), 1e-4);
            // More candidates than within the sample only: the loss can only grow.
            LocalIntraSampleContrastiveLoss.Result intra = new LocalIntraSampleContrastiveLoss(0.3, 0, false, false, 1)
                    .compute(x, y, Tensors.bools(flat, b, n), null, n);
            assertTrue(r.l2att().item_double() > intra.l2att().item_double());
            assertTrue(r.att2l().item_double() > intra.att2l().item_double());
        }
    }

    @Test
    void oneSampleHasNoOtherNegativesAndGradientsFlow() {
        try (Scope sc = Scope.open()) {
            torch.manual_seed(5);
            Tensor x = torch.randn(1, 49, 8).requires_grad_(true);
            Tensor y = torch.randn(1, 49, 8);
            LocalIntraSampleContrastiveLoss scanCross = new LocalIntraSampleContrastiveLoss(0.3, 0.5, true, true, 1, true);
            LocalIntraSampleContrastiveLoss scan = new LocalIntraSampleContrastiveLoss(0.3, 0.5, true, true, 1);
            LocalIntraSampleContrastiveLoss.Result a = scanCross.compute(x, y, null, null, 7, 7);
            LocalIntraSampleContrastiveLoss.Result c = scan.compute(x, y, null, null, 7, 7);
            assertEquals(c.l2att().item_double(), a.l2att().item_double(), 1e-5);
            assertEquals(c.att2l().item_double(), a.att2l().item_double(), 1e-5);
            a.l2att().add(a.att2l()).backward();
            assertTrue(Double.isFinite(x.grad().abs().sum().item_double()) && x.grad().abs().sum().item_double() > 0);
        }
    }
}
