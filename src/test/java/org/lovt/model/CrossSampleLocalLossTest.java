package org.lovt.model;

import org.lovt.train.Experiments;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.config.ConfigException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.torch.TorchScript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GLoRIA-style cross-sample local objective ({@code ll_cross_sample}, an extension): forward values and gradients
 * against a plain double-precision loop over its definition, with padded sentences, a report without any sentence
 * and a cross-attention temperature other than 1; and how it is configured.
 */
class CrossSampleLocalLossTest {
    static final double TEMPERATURE = 0.7;
    static final double GAMMA = 5.0;
    static final double TAU = 0.1;

    /** Inputs of one case, all flat row-major arrays. */
    record Case(int b, int r, int n, int d, double[] zlA, double[] zlB, boolean[][] mask, double[] kw, double[] kb,
                double[] vw, double[] vb, double[] ow, double[] ob) {}

    /** {local_xs_a2b, local_xs_b2a} by loops over the definition in CrossSampleLocalLossConfig. */
    static double[] reference(Case c) {
        int b = c.b(), n = c.n(), d = c.d();
        boolean[] has = new boolean[b];
        double[][] z = new double[b][b];                                   // z[i][j]: report i, image j
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    if (!c.mask()[i][k]) {
                        continue;
                    }
                    has[i] = true;
                    double[] sent = row(c.zlB(), i * n + k, d);
                    double[] q = linear(c.kw(), c.kb(), sent);
                    double[] scores = new double[c.r()];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int r = 0; r < c.r(); r++) {
                        scores[r] = dot(q, linear(c.kw(), c.kb(), row(c.zlA(), j * c.r() + r, d)))
                                / (Math.sqrt(d) * TEMPERATURE);
                        max = Math.max(max, scores[r]);
                    }
                    double norm = 0;
                    for (int r = 0; r < c.r(); r++) {
                        norm += Math.exp(scores[r] - max);
                    }
                    double[] att = new double[d];
                    for (int r = 0; r < c.r(); r++) {
                        double[] v = linear(c.vw(), c.vb(), row(c.zlA(), j * c.r() + r, d));
                        double p = Math.exp(scores[r] - max) / norm;
                        for (int e = 0; e < d; e++) {
                            att[e] += p * v[e];
                        }
                    }
                    double[] ctx = linear(c.ow(), c.ob(), att);
                    double cos = dot(sent, ctx) / (Math.max(Math.sqrt(dot(sent, sent)), 1e-12)
                            * Math.max(Math.sqrt(dot(ctx, ctx)), 1e-12));
                    sum += Math.exp(GAMMA * cos);
                }
                z[i][j] = Math.log(sum) / GAMMA;
            }
        }
        double a2b = 0;
        double b2a = 0;
        int valid = 0;
        for (int x = 0; x < b; x++) {
            if (!has[x]) {
                continue;
            }
            valid++;
            double colSum = 0;                                             // image x against the reports that have text
            double rowSum = 0;                                             // report x against every image
            for (int y = 0; y < b; y++) {
                if (has[y]) {
                    colSum += Math.exp(z[y][x] / TAU);
                }
                rowSum += Math.exp(z[x][y] / TAU);
            }
            a2b += Math.log(colSum) - z[x][x] / TAU;
            b2a += Math.log(rowSum) - z[x][x] / TAU;
        }
        return new double[] {a2b / valid, b2a / valid};
    }

    private static double[] row(double[] m, int index, int d) {
        double[] out = new double[d];
        System.arraycopy(m, index * d, out, 0, d);
        return out;
    }

    private static double[] linear(double[] w, double[] bias, double[] x) {
        double[] out = new double[bias.length];
        for (int o = 0; o < out.length; o++) {
            double s = bias[o];
            for (int e = 0; e < x.length; e++) {
                s += w[o * x.length + e] * x[e];
            }
            out[o] = s;
        }
        return out;
    }

    private static double dot(double[] a, double[] c) {
        return CrossSampleNegativesTest.dot(a, c);
    }

    static Case randomCase(long seed, boolean[][] mask, int r, int d) {
        java.util.Random g = new java.util.Random(seed);
        int b = mask.length;
        int n = mask[0].length;
        return new Case(b, r, n, d, gauss(g, b * r * d, 1), gauss(g, b * n * d, 1), mask, gauss(g, d * d, 0.8),
                gauss(g, d, 0.3), gauss(g, d * d, 0.6), gauss(g, d, 0.3), gauss(g, d * d, 0.6), gauss(g, d, 0.3));
    }

    private static double[] gauss(java.util.Random g, int size, double std) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = g.nextGaussian() * std;
        }
        return out;
    }

    /** The TorchScript objective in double precision; returns {a2b, b2a} and fills the gradients of a2b + 2·b2a. */
    static double[] native_(Case c, double[][] gradOut) {
        try (Scope s = Scope.open()) {
            Tensor zlA = Tensors.doubles(c.zlA(), c.b(), c.r(), c.d()).requires_grad_(true);
            Tensor zlB = Tensors.doubles(c.zlB(), c.b(), c.n(), c.d()).requires_grad_(true);
            Tensor kw = Tensors.doubles(c.kw(), c.d(), c.d()).requires_grad_(true);
            boolean[] flat = new boolean[c.b() * c.n()];
            for (int i = 0; i < c.b(); i++) {
                System.arraycopy(c.mask()[i], 0, flat, i * c.n(), c.n());
            }
            Tensor[] l = TorchScript.lovt("cross_sample_local", zlA, zlB, Tensors.bools(flat, c.b(), c.n()), kw,
                    Tensors.doubles(c.kb(), c.d()), Tensors.doubles(c.vw(), c.d(), c.d()), Tensors.doubles(c.vb(), c.d()),
                    Tensors.doubles(c.ow(), c.d(), c.d()), Tensors.doubles(c.ob(), c.d()), TEMPERATURE, GAMMA, TAU);
            if (gradOut != null) {
                l[0].add(l[1].mul(new org.bytedeco.pytorch.Scalar(2.0))).backward();
                gradOut[0] = Tensors.toDoubles(zlA.grad());
                gradOut[1] = Tensors.toDoubles(zlB.grad());
                gradOut[2] = Tensors.toDoubles(kw.grad());
            }
            return new double[] {l[0].item_double(), l[1].item_double()};
        }
    }

    private static void assertGradient(Case c, double[] grad, java.util.function.Function<Case, double[]> param,
                                       String what) {
        double h = 1e-6;
        double[] p = param.apply(c);
        for (int i = 0; i < p.length; i++) {
            double keep = p[i];
            p[i] = keep + h;
            double[] up = reference(c);
            p[i] = keep - h;
            double[] down = reference(c);
            p[i] = keep;
            double numeric = ((up[0] + 2 * up[1]) - (down[0] + 2 * down[1])) / (2 * h);
            assertEquals(numeric, grad[i], 1e-6 + 1e-5 * Math.abs(numeric), what + "[" + i + "]");
        }
    }

    /**
     * Runs the objective and checks both losses and the gradients w.r.t. zl_a and zl_b (finite, and equal to finite
     * differences of the loop); returns {a2b, b2a} and leaves the gradients in {@code grads}.
     */
    private static double[] matchesTheReference(Case c, double[][] grads) {
        double[] got = native_(c, grads);
        double[] expected = reference(c);
        assertEquals(expected[0], got[0], 1e-10, "local_xs_a2b");
        assertEquals(expected[1], got[1], 1e-10, "local_xs_b2a");
        for (double[] g : grads) {
            for (double v : g) {
                assertTrue(Double.isFinite(v), "finite gradients");
            }
        }
        assertGradient(c, grads[0], Case::zlA, "d/d zl_a");
        assertGradient(c, grads[1], Case::zlB, "d/d zl_b");
        return got;
    }

    @Test
    void forwardAndGradientsMatchTheDefinitionWithPaddedSentences() {
        boolean[][] mask = {{true, true, true, false}, {true, false, false, false}, {true, true, true, true}};
        Case c = randomCase(3, mask, 5, 6);
        double[][] grads = new double[3][];
        double[] got = matchesTheReference(c, grads);
        assertNotEquals(got[0], got[1], 1e-6, "the two directions normalise over different axes");
        assertGradient(c, grads[2], Case::kw, "d/d key weight");
        // padded sentences take no part: changing them changes neither the losses nor gets a gradient
        for (int e = 0; e < c.d(); e++) {
            assertEquals(0.0, grads[1][(0 * c.n() + 3) * c.d() + e], 0.0);
            assertEquals(0.0, grads[1][(1 * c.n() + 2) * c.d() + e], 0.0);
            c.zlB()[(1 * c.n() + 1) * c.d() + e] += 3.0;
        }
        double[] moved = native_(c, null);
        assertEquals(got[0], moved[0], 1e-12);
        assertEquals(got[1], moved[1], 1e-12);
    }

    @Test
    void aReportWithoutSentencesTakesNoPartAndNothingIsNaN() {
        boolean[][] mask = {{true, true, false}, {false, false, false}, {true, false, false}, {true, true, true}};
        matchesTheReference(randomCase(8, mask, 4, 5), new double[3][]);
    }

    @Test
    void theMatchingPairWinsWhenEachSentenceDescribesContentOfItsOwnImage() {
        // Images whose regions equal their report's sentences (identity projections): the diagonal scores highest,
        // so the loss is below the chance level log(B); scrambling the pairing raises it above that.
        int b = 4, r = 3, d = 8;
        java.util.Random g = new java.util.Random(2);
        double[] zlB = gauss(g, b * r * d, 1);
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        boolean[][] mask = new boolean[b][r];
        for (boolean[] m : mask) {
            java.util.Arrays.fill(m, true);
        }
        double[] zero = new double[d];
        double[] scaled = eye.clone();
        for (int i = 0; i < d; i++) {
            scaled[i * d + i] = 3;                                          // sharp attention
        }
        Case matched = new Case(b, r, r, d, zlB.clone(), zlB, mask, scaled, zero, eye, zero, eye, zero);
        double[] shuffledA = new double[zlB.length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(zlB, ((i + 1) % b) * r * d, shuffledA, i * r * d, r * d);
        }
        Case shuffled = new Case(b, r, r, d, shuffledA, zlB, mask, scaled, zero, eye, zero, eye, zero);
        double chance = Math.log(b);
        double[] good = native_(matched, null);
        double[] bad = native_(shuffled, null);
        assertTrue(good[0] < chance && good[1] < chance, "matched " + good[0] + ", " + good[1]);
        assertTrue(bad[0] > chance && bad[1] > chance, "shuffled " + bad[0] + ", " + bad[1]);
    }

    @Test
    void configuredThroughTheObjectiveGroupAndItsLossesNeedWeights() {
        List<String> base = List.of("pretrain_model.d_z=16", "pretrain_model.d_hidden=24",
                "+objective@pretrain_model.ll_cross_sample=report_cross_sample_local");
        ConfigException e = assertThrows(ConfigException.class, () -> Experiments.model("LoVT_100", base));
        assertTrue(e.getMessage().contains("loss_weights") && e.getMessage().contains("local_xs_a2b"), e.getMessage());

        List<String> weighted = new java.util.ArrayList<>(base);
        weighted.add("+pretrain_model.loss_weights.local_xs_a2b=0.5");
        weighted.add("+pretrain_model.loss_weights.local_xs_b2a=0.5");
        BiModalModelConfig c = Experiments.model("LoVT_100", weighted);
        assertEquals(5.0, c.llCrossSample().aggregationScale());
        assertEquals(0.1, c.llCrossSample().similarityTemperature());
        assertTrue(c.lossNames().containsAll(List.of("local_xs_a2b", "local_xs_b2a", "local_a_l2att", "global_a2b")));
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.alignmentOnly(c, 32, 24);
            m.train(true);
            torch.manual_seed(4);
            Tensor ylA = torch.randn(4, 49, 32).relu().requires_grad_(true);
            Tensor ylB = torch.randn(4, 3, 24).requires_grad_(true);
            boolean[] flat = {true, true, true, true, false, false, true, true, false, true, true, true};
            LovtModel.Output o = m.forward(m.scanEncoder().aggregate(ylA, 7, 7),
                    m.reportEncoder().aggregate(ylB, Tensors.bools(flat, 4, 3)));
            assertEquals(c.lossNames().stream().sorted().toList(), o.losses().keySet().stream().sorted().toList());
            double total = 0;
            for (var w : c.lossWeights().entrySet()) {
                total += w.getValue() * o.losses().get(w.getKey()).item_double();
            }
            assertEquals(total, o.totalLoss().item_double(), 1e-4);
            o.losses().get("local_xs_b2a").backward();
            assertTrue(ylA.grad().abs().sum().item_double() > 0, "gradient reaches the scan features");
            assertTrue(ylB.grad().abs().sum().item_double() > 0, "gradient reaches the report features");
        }
        assertThrows(ConfigException.class, () -> Experiments.model("LoVT_100", List.of(
                "+objective@pretrain_model.ll_cross_sample=report_cross_sample_local",
                "+pretrain_model.ll_cross_sample.aggregation_scale=0")));
    }
}
