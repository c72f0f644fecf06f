package org.lovt.baselines;

import java.util.Random;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.train.WarmupCosine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The baselines' losses, momentum update and lr schedule against independent double-precision computations written
 * here from the definitions of spec lovt-data-eval §4.3-4.5 (forward, and gradients by central differences of the
 * reference), on small random inputs.
 */
class BaselineLossesTest {
    static {
        Natives.load();
    }

    private static double[] gaussian(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static double cos(double[] a, int ra, double[] b, int rb, int d) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < d; k++) {
            dot += a[ra * d + k] * b[rb * d + k];
            na += a[ra * d + k] * a[ra * d + k];
            nb += b[rb * d + k] * b[rb * d + k];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** NT-Xent from its definition: rows of cat(zi, zj); -log(exp(s_kp) / sum_{m != k} exp(s_km)), mean over 2N. */
    static double ntXentReference(double[] zi, double[] zj, int n, int d, double t) {
        double[] z = new double[2 * n * d];
        System.arraycopy(zi, 0, z, 0, n * d);
        System.arraycopy(zj, 0, z, n * d, n * d);
        double total = 0;
        for (int k = 0; k < 2 * n; k++) {
            int pos = k < n ? k + n : k - n;
            double denom = 0;
            for (int m = 0; m < 2 * n; m++) {
                if (m != k) {
                    denom += Math.exp(cos(z, k, z, m, d) / t);
                }
            }
            total += -(cos(z, k, z, pos, d) / t - Math.log(denom));
        }
        return total / (2 * n);
    }

    /** BYOL's loss from its definition: mean over b of (2 - 2 cos(p1_b, z2_b)) + (2 - 2 cos(p2_b, z1_b)). */
    static double byolReference(double[] p1, double[] p2, double[] z1, double[] z2, int n, int d) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            total += 2 - 2 * cos(p1, b, z2, b, d) + 2 - 2 * cos(p2, b, z1, b, d);
        }
        return total / n;
    }

    private static void assertGradient(double[] x, double[] grad, java.util.function.DoubleSupplier f, String what) {
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.getAsDouble();
            x[i] = keep - h;
            double down = f.getAsDouble();
            x[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad[i], 1e-7 + 1e-6 * Math.abs(numeric), what + "[" + i + "]");
        }
    }

    @Test
    void ntXentMatchesItsDefinitionForwardAndBackward() {
        Random r = new Random(11);
        for (int[] nd : new int[][] {{2, 3}, {5, 4}, {7, 16}}) {
            int n = nd[0];
            int d = nd[1];
            double[] zi = gaussian(r, n * d);
            double[] zj = gaussian(r, n * d);
            for (double t : new double[] {0.1, 0.5}) {
                try (Scope s = Scope.open()) {
                    Tensor a = Tensors.doubles(zi, n, d).requires_grad_(true);
                    Tensor b = Tensors.doubles(zj, n, d).requires_grad_(true);
                    Tensor loss = BaselineLosses.ntXent(a, b, t);
                    double expected = ntXentReference(zi, zj, n, d, t);
                    assertEquals(expected, loss.item_double(), 1e-10 * Math.max(1, Math.abs(expected)), n + "x" + d);
                    loss.backward();
                    double tt = t;
                    assertGradient(zi, Tensors.toDoubles(a.grad()), () -> ntXentReference(zi, zj, n, d, tt), "d/dz_i");
                    assertGradient(zj, Tensors.toDoubles(b.grad()), () -> ntXentReference(zi, zj, n, d, tt), "d/dz_j");
                    // float32, as training runs it
                    double f32 = BaselineLosses.ntXent(a.detach().to(org.bytedeco.pytorch.global.torch.ScalarType.Float),
                            b.detach().to(org.bytedeco.pytorch.global.torch.ScalarType.Float), t).item_double();
                    assertEquals(expected, f32, 1e-5 * Math.max(1, Math.abs(expected)));
                }
            }
        }
        // Identical views of orthogonal rows: each row's positive is 1/t, its 2N-2 negatives 0.
        try (Scope s = Scope.open()) {
            Tensor eye = org.bytedeco.pytorch.global.torch.eye(4);
            double expected = -(10 - Math.log(Math.exp(10) + 6));
            assertEquals(expected, BaselineLosses.ntXent(eye, eye, 0.1).item_double(), 1e-5);
        }
    }

    @Test
    void byolMatchesItsDefinitionAndTheTargetGetsNoGradient() {
        Random r = new Random(12);
        int n = 4;
        int d = 6;
        double[] p1 = gaussian(r, n * d);
        double[] p2 = gaussian(r, n * d);
        double[] z1 = gaussian(r, n * d);
        double[] z2 = gaussian(r, n * d);
        try (Scope s = Scope.open()) {
            Tensor tp1 = Tensors.doubles(p1, n, d).requires_grad_(true);
            Tensor tp2 = Tensors.doubles(p2, n, d).requires_grad_(true);
            Tensor tz1 = Tensors.doubles(z1, n, d).requires_grad_(true);
            Tensor tz2 = Tensors.doubles(z2, n, d).requires_grad_(true);
            Tensor loss = BaselineLosses.byol(tp1, tp2, tz1, tz2);
            assertEquals(byolReference(p1, p2, z1, z2, n, d), loss.item_double(), 1e-12);
            loss.backward();
            assertGradient(p1, Tensors.toDoubles(tp1.grad()), () -> byolReference(p1, p2, z1, z2, n, d), "d/dp1");
            assertGradient(p2, Tensors.toDoubles(tp2.grad()), () -> byolReference(p1, p2, z1, z2, n, d), "d/dp2");
            assertFalse(tz1.grad().defined(), "the target projections are detached");
            assertFalse(tz2.grad().defined(), "the target projections are detached");
            // aligned predictions cost nothing; opposite ones the maximum, 4 per sample pair
            assertEquals(0, BaselineLosses.byol(tz2, tz1, tz1, tz2).item_double(), 1e-12);
            assertEquals(8, BaselineLosses.byol(tz2.neg(), tz1.neg(), tz1, tz2).item_double(), 1e-12);
        }
        try (Scope s = Scope.open()) {
            Tensor a = org.bytedeco.pytorch.global.torch.ones(2, 3);
            Tensor b = org.bytedeco.pytorch.global.torch.ones(2, 4);
            assertThrows(LovtException.class, () -> BaselineLosses.byol(a, a, a, b));
            assertThrows(LovtException.class, () -> BaselineLosses.ntXent(a, b, 0.1));
            assertThrows(LovtException.class, () -> BaselineLosses.ntXent(a, a, 0));
        }
    }

    @Test
    void momentumUpdateAveragesParametersOnlyAndLeavesTheOnlineNetwork() {
        try (Scope s = Scope.open()) {
            org.bytedeco.pytorch.global.torch.manual_seed(4);
            Module online = new Module();
            online.register_module("fc", new LinearImpl(3, 2));
            online.register_module("bn", new BatchNorm1dImpl(new org.bytedeco.pytorch.BatchNormOptions(2)));
            Module target = new Module();
            target.register_module("fc", new LinearImpl(3, 2));
            target.register_module("bn", new BatchNorm1dImpl(new org.bytedeco.pytorch.BatchNormOptions(2)));
            online.named_buffers(true).get("bn.running_mean").fill_(new org.bytedeco.pytorch.Scalar(5.0));
            var tp = target.named_parameters(true);
            var op = online.named_parameters(true);
            String[] names = {"fc.weight", "fc.bias", "bn.weight", "bn.bias"};
            double[][] before = new double[names.length][];
            double[][] onlineBefore = new double[names.length][];
            for (int i = 0; i < names.length; i++) {
                before[i] = Tensors.toDoubles(tp.get(names[i]));
                onlineBefore[i] = Tensors.toDoubles(op.get(names[i]));
            }
            MomentumUpdate.update(target, online, MomentumUpdate.DEFAULT_DECAY);
            for (int i = 0; i < names.length; i++) {
                double[] now = Tensors.toDoubles(tp.get(names[i]));
                for (int k = 0; k < now.length; k++) {
                    double expected = before[i][k] * 0.99 + (1 - 0.99) * onlineBefore[i][k];
                    assertEquals(expected, now[k], 1e-6, names[i] + "[" + k + "]");
                }
                assertArrayEquals(onlineBefore[i], Tensors.toDoubles(op.get(names[i])), 0.0, "online unchanged");
            }
            assertArrayEquals(new double[] {0, 0}, Tensors.toDoubles(target.named_buffers(true).get("bn.running_mean")),
                    0.0, "buffers are not averaged");
            MomentumUpdate.update(target, online, 0);                  // decay 0: a copy
            assertArrayEquals(onlineBefore[0], Tensors.toDoubles(tp.get("fc.weight")), 1e-7);
            Module other = new Module();
            other.register_module("fc", new LinearImpl(3, 2));
            assertThrows(LovtException.class, () -> MomentumUpdate.update(other, online, 0.99));
            assertThrows(LovtException.class, () -> MomentumUpdate.update(target, online, 1.5));
        }
    }

    @Test
    void warmupCosineChainedAsTheOriginalRanItIncludingPixelProsZeroLr() {
        double base = 1e-4;
        double[] byol = WarmupCosine.chained(base, 1, 100, 0, 0, 100);
        assertEquals(0, byol[0], 0.0, "lr 0 in epoch 0");
        assertEquals(base, byol[1], 0.0);
        for (int e = 2; e < 100; e++) {
            assertEquals(base * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / 99)), byol[e], 1e-12 * base, "epoch " + e);
        }
        assertArrayEquals(byol, WarmupCosine.closedForm(base, 1, 100, 0, 0, 100), 1e-12 * base,
                "with a warm-up the chained and closed forms agree");
        double[] five = WarmupCosine.chained(base, 5, 50, 1e-6, 1e-7, 50);
        assertArrayEquals(WarmupCosine.closedForm(base, 5, 50, 1e-6, 1e-7, 50), five, 1e-12 * base);
        assertEquals(1e-6 + 2 * (base - 1e-6) / 4, five[2], 1e-15, "linear warm-up");
        // PixelPro: no warm-up epochs -> 0 in epoch 0, and every later lr multiplies it: 0 throughout
        double[] pixelpro = WarmupCosine.chained(1e-3, 0, 100, 0, 0, 100);
        for (double lr : pixelpro) {
            assertEquals(0, lr, 0.0);
        }
        // the correction: a real cosine from the base lr
        double[] fixed = WarmupCosine.closedForm(1e-3, 0, 100, 0, 0, 100);
        assertEquals(1e-3, fixed[0], 0.0);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 50 / 100)), fixed[50], 1e-18);
        assertTrue(fixed[99] > 0 && fixed[99] < fixed[98]);
        assertThrows(LovtException.class, () -> WarmupCosine.chained(base, 10, 10, 0, 0, 5));
    }

    @Test
    void pixproLossMatchesItsDefinitionForwardAndBackward() {
        Random r = new Random(21);
        int b = 2;
        int c = 3;
        int n = 2;
        double[] p1 = random(r, b * c * n);
        double[] p2 = random(r, b * c * n);
        double[] t1 = random(r, b * c * n);
        double[] t2 = random(r, b * c * n);
        boolean[][] pos = {{true, false}, {true, true}};
        try (Scope s = Scope.open()) {
            Tensor a = Tensors.doubles(p1, b, c, n).requires_grad_(true);
            Tensor a2 = Tensors.doubles(p2, b, c, n).requires_grad_(true);
            Tensor mask = Tensors.bools(new boolean[] {true, false, true, true}, n, n);
            Tensor loss = PixelProLearner.pixproLoss(a, a2, Tensors.doubles(t1, b, c, n), Tensors.doubles(t2, b, c, n),
                    mask);
            loss.backward();
            assertEquals(pixproReference(p1, p2, t1, t2, pos, b, c, n), loss.item_double(), 1e-12);
            assertGradient(p1, Tensors.toDoubles(a.grad()), () -> pixproReference(p1, p2, t1, t2, pos, b, c, n),
                    "d/dprop1");
            assertGradient(p2, Tensors.toDoubles(a2.grad()), () -> pixproReference(p1, p2, t1, t2, pos, b, c, n),
                    "d/dprop2");
        }
    }

    private static double[] random(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    /** −½ (mean over b, positive (i, j) of cos(p1[b,:,i], t2[b,:,j]) + the same for p2, t1 with the mask transposed). */
    private static double pixproReference(double[] p1, double[] p2, double[] t1, double[] t2, boolean[][] pos, int b,
                                          int c, int n) {
        double s12 = 0;
        double s21 = 0;
        int k12 = 0;
        int k21 = 0;
        for (int bb = 0; bb < b; bb++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (pos[i][j]) {
                        s12 += cosAt(p1, t2, bb, i, j, c, n);
                        k12++;
                    }
                    if (pos[j][i]) {
                        s21 += cosAt(p2, t1, bb, i, j, c, n);
                        k21++;
                    }
                }
            }
        }
        return (-s12 / k12 - s21 / k21) / 2;
    }

    private static double cosAt(double[] x, double[] y, int b, int i, int j, int c, int n) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int k = 0; k < c; k++) {
            double u = x[(b * c + k) * n + i];
            double v = y[(b * c + k) * n + j];
            xy += u * v;
            xx += u * u;
            yy += v * v;
        }
        return xy / (Math.sqrt(xx) * Math.sqrt(yy));
    }
}
