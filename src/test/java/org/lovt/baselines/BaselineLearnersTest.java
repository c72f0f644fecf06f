package org.lovt.baselines;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.nn.Modules;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learners: parameter counts at full size, BYOL's target network (no gradient, moving average, mock forward). */
class BaselineLearnersTest {
    static {
        Natives.load();
    }

    static final ResNetConfig TINY = new ResNetConfig(new int[] {1, 1, 1, 1}, 4, 0);

    @Test
    void fullSizeParameterCounts() {
        ByolLearner byol = new ByolLearner(ResNetConfig.resnet50(0), 128);
        // online ResNet-50 without the unused fc (23,508,032) + projector 8,925,312 + predictor 1,060,992
        assertEquals(33_494_336L, Modules.parameterCount(byol, true), "BYOL trainable");
        assertEquals(33_494_336L + 23_508_032L + 8_925_312L, Modules.parameterCount(byol, false), "with the target");
        assertEquals(27_964_480L, Modules.parameterCount(new SimClrLearner(ResNetConfig.resnet50(0), 128), false));
        assertEquals(23_518_277L, Modules.parameterCount(new SupervisedLearner(ResNetConfig.resnet50(0)), false));
    }

    private static Tensor param(org.bytedeco.pytorch.Module m, String name) {
        var all = m.named_parameters(true);
        for (long i = 0; i < all.size(); i++) {
            if (all.get(i).key().getString().equals(name)) {
                return all.get(i).value();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    @Test
    void byolTargetGetsNoGradientAndFollowsTheOnlineNetworkByItsMovingAverage() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(3);
            ByolLearner l = new ByolLearner(TINY, 16);
            Tensor one = torch.rand(4, 3, 32, 32);
            Tensor two = torch.rand(4, 3, 32, 32);
            Tensor loss = l.loss(one, two);
            loss.backward();
            TensorVector all = l.parameters(true);
            var named = l.named_parameters(true);
            int online = 0;
            for (long i = 0; i < named.size(); i++) {
                String k = named.get(i).key().getString();
                Tensor p = named.get(i).value();
                if (k.startsWith("target_encoder.")) {
                    assertFalse(p.requires_grad(), k);
                    assertFalse(p.grad().defined(), "the target receives no gradient: " + k);
                } else if (p.grad().defined()) {
                    online++;
                }
            }
            assertTrue(online > 10, "online parameters have gradients");
            double before = Tensors.toDoubles(param(l, "target_encoder.net.conv1.weight").to(torch.ScalarType.Double)
                    .flatten(0, -1))[0];
            TensorVector trainable = new TensorVector();
            for (long i = 0; i < all.size(); i++) {
                if (all.get(i).requires_grad()) {
                    trainable.push_back(all.get(i));
                }
            }
            new SGD(trainable, new SGDOptions(0.5)).step();
            double onlineAfter = Tensors.toDoubles(param(l, "online_encoder.net.conv1.weight")
                    .to(torch.ScalarType.Double).flatten(0, -1))[0];
            assertNotEquals(before, onlineAfter, "the step moved the online network");
            l.updateMovingAverage(0.99);
            double after = Tensors.toDoubles(param(l, "target_encoder.net.conv1.weight").to(torch.ScalarType.Double)
                    .flatten(0, -1))[0];
            assertEquals(0.99 * before + 0.01 * onlineAfter, after, 1e-7);
        }
    }

    @Test
    void mockForwardMovesOnlyRunningStatisticsAndCopiesTheTarget() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(4);
            ByolLearner l = new ByolLearner(TINY, 16);
            Tensor w0 = param(l, "online_encoder.net.conv1.weight").clone();
            l.mockForward(torch.randn(2, 3, 32, 32), torch.randn(2, 3, 32, 32));
            assertEquals(0, param(l, "online_encoder.net.conv1.weight").sub(w0).abs().max().item_double());
            var buffers = l.named_buffers(true);
            Tensor onlineMean = null;
            Tensor targetMean = null;
            for (long i = 0; i < buffers.size(); i++) {
                String k = buffers.get(i).key().getString();
                if (k.equals("online_encoder.net.bn1.running_mean")) {
                    onlineMean = buffers.get(i).value();
                } else if (k.equals("target_encoder.net.bn1.running_mean")) {
                    targetMean = buffers.get(i).value();
                }
            }
            assertTrue(onlineMean.abs().max().item_double() > 0, "BatchNorm statistics moved");
            // The target was copied after the online passes and then saw both views itself: its statistics moved
            // further (twice more with momentum 0.1) from the same starting point.
            assertTrue(targetMean.sub(onlineMean).abs().max().item_double() > 0);
            assertEquals(0, param(l, "target_encoder.net.conv1.weight").sub(w0).abs().max().item_double());
        }
    }

    @Test
    void simclrLossIsNtXentOfTheProjections() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(5);
            SimClrLearner l = new SimClrLearner(TINY, 8);
            l.eval();
            Tensor a = torch.rand(3, 3, 32, 32);
            Tensor b = torch.rand(3, 3, 32, 32);
            double got = l.loss(a, b, 0.1).item_double();
            double[] zi = Tensors.toDoubles(l.project(a).to(torch.ScalarType.Double));
            double[] zj = Tensors.toDoubles(l.project(b).to(torch.ScalarType.Double));
            int n = 3;
            int d = 8;
            double[][] z = new double[2 * n][];
            for (int i = 0; i < n; i++) {
                z[i] = java.util.Arrays.copyOfRange(zi, i * d, i * d + d);
                z[n + i] = java.util.Arrays.copyOfRange(zj, i * d, i * d + d);
            }
            double total = 0;
            for (int k = 0; k < 2 * n; k++) {
                double denom = 0;
                double pos = 0;
                for (int j = 0; j < 2 * n; j++) {
                    if (j == k) {
                        continue;
                    }
                    double sim = cos(z[k], z[j]) / 0.1;
                    denom += Math.exp(sim);
                    if (j == (k + n) % (2 * n)) {
                        pos = sim;
                    }
                }
                total += Math.log(denom) - pos;
            }
            assertEquals(total / (2 * n), got, 1e-4);
        }
    }

    private static double cos(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void pixelProLearnerCountsAndTargetWithoutGradient() {
        PixelProLearner full = new PixelProLearner(ResNetConfig.resnet50(0), 512, "avgpool");
        // online: ResNet-50 23,508,032 + pixel ConvMLP (2048·2048+2048 + 2·2048 + 2048·512+512) 5,249,536
        // + instance MLP 5,249,536; predictor (512·2048+2048 + 2·2048 + 2048·512+512) 2,103,808; PPM 512·512+512
        long online = 23_508_032L + 5_249_536L + 5_249_536L;
        assertEquals(online + 2_103_808L + 262_656L, Modules.parameterCount(full, true), "PixelPro trainable");
        assertEquals(2 * online + 2_103_808L + 262_656L, Modules.parameterCount(full, false));
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(6);
            PixelProLearner l = new PixelProLearner(TINY, 16, "layer4");
            Tensor a = torch.rand(3, 3, 64, 64);
            Tensor b = torch.rand(3, 3, 64, 64);
            PixelProLearner.Loss loss = l.loss(a, b, new PixelProLearner.Cutout(0, 40, 0, 40),
                    new PixelProLearner.Cutout(10, 50, 12, 52), false, true, 64, 64);
            assertTrue(loss.positivePairs() > 0);
            loss.total().backward();
            var named = l.named_parameters(true);
            for (long i = 0; i < named.size(); i++) {
                String k = named.get(i).key().getString();
                if (k.startsWith("target_encoder.")) {
                    assertFalse(named.get(i).value().grad().defined(), "the target receives no gradient: " + k);
                }
            }
            assertTrue(param(l, "propagate_pixels.transform_net.weight").grad().defined(), "PPM is trained");
            assertEquals(loss.total().item_double(), loss.instance().item_double() + loss.pixel().item_double(),
                    1e-6, "total = alpha * pixel + instance, alpha 1");
        }
    }

    @Test
    void positivePixelPairsAreTheLibrarysNormalisedDistances() {
        try (Scope s = Scope.open()) {
            int h = 40;
            int w = 30;
            int ph = 3;
            int pw = 2;
            PixelProLearner.Cutout one = new PixelProLearner.Cutout(2, 26, 1, 19);
            PixelProLearner.Cutout two = new PixelProLearner.Cutout(14, 38, 11, 29);
            boolean[] got = bools(PixelProLearner.positivePairs(one, two, false, true, h, w, ph, pw,
                    new org.bytedeco.pytorch.Device("cpu")));
            double diag = Math.sqrt(h * h + w * w);
            double[][] a = centres(one, false, ph, pw, diag);
            double[][] b = centres(two, true, ph, pw, diag);
            int n = ph * pw;
            int positives = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dy = a[i][0] - b[j][0] + 1e-6;
                    double dx = a[i][1] - b[j][1] + 1e-6;
                    boolean expected = Math.sqrt(dy * dy + dx * dx) < 0.7;
                    assertEquals(expected, got[i * n + j], "pair " + i + "," + j);
                    positives += expected ? 1 : 0;
                }
            }
            assertTrue(positives > 0 && positives < n * n, "a mixed case: " + positives);
        }
    }

    /** Bilinear samples (half-pixel centres) of the linear (row, column) grid: the crop's cell centres, exactly. */
    private static double[][] centres(PixelProLearner.Cutout c, boolean flip, int ph, int pw, double diag) {
        double[][] out = new double[ph * pw][];
        int ch = c.y1() - c.y0();
        int cw = c.x1() - c.x0();
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int sx = flip ? pw - 1 - x : x;
                double sy = Math.max(0, (y + 0.5) * ch / ph - 0.5);
                double sxx = Math.max(0, (sx + 0.5) * cw / pw - 0.5);
                out[y * pw + x] = new double[] {(c.y0() + sy) / diag * ph, (c.x0() + sxx) / diag * pw};
            }
        }
        return out;
    }

    private static boolean[] bools(Tensor t) {
        long[] v = Tensors.toLongs(t.to(torch.ScalarType.Long).flatten(0, -1));
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] != 0;
        }
        return out;
    }

    @Test
    void pixelPropagationWeighsTransformedPixelsBySquaredPositiveCosines() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(7);
            PixelPropagation ppm = new PixelPropagation(3, 2);
            Tensor x = torch.randn(1, 3, 1, 4);
            double[] got = Tensors.toDoubles(ppm.forward(x).to(torch.ScalarType.Double).flatten(0, -1));
            double[] in = Tensors.toDoubles(x.to(torch.ScalarType.Double).flatten(0, -1));
            double[] wt = Tensors.toDoubles(param(ppm, "transform_net.weight").to(torch.ScalarType.Double)
                    .flatten(0, -1));
            double[] bias = Tensors.toDoubles(param(ppm, "transform_net.bias").to(torch.ScalarType.Double));
            int n = 4;
            double[][] px = new double[n][3];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    px[i][c] = in[c * n + i];
                }
            }
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    double v = 0;
                    for (int j = 0; j < n; j++) {
                        double sim = Math.pow(Math.max(0, cos(px[i], px[j])), 2);
                        double t = bias[c];
                        for (int k = 0; k < 3; k++) {
                            t += wt[c * 3 + k] * px[j][k];
                        }
                        v += sim * t;
                    }
                    assertEquals(v, got[c * n + i], 1e-5, "channel " + c + " pixel " + i);
                }
            }
        }
    }

    @Test
    void chexpertLossIsTheMeanBinaryCrossEntropyOverTheFiveLabels() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(8);
            BaselineModelConfig c = BaselineConfigsTest.load("+baseline=chexpert_100", "model_config.input_size=[32,32]")
                    .modelConfig();
            SupervisedLearner l = new SupervisedLearner(TINY);
            float[] x = new float[2 * 3 * 32 * 32];
            java.util.Random r = new java.util.Random(9);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] y = {1, 0, 0, 1, 1, 0, 1, 0, 0, 0};
            ImageBatch batch = new ImageBatch(java.util.List.of("a", "b"), Tensors.toHost(Tensors.floats(x, 2, 3, 32, 32)),
                    Tensors.toHost(Tensors.floats(y, 2, 5)));
            double[] logits = Tensors.toDoubles(l.forward(Tensors.floats(x, 2, 3, 32, 32)).detach()
                    .to(torch.ScalarType.Double).flatten(0, -1));
            double expected = 0;
            for (int i = 0; i < 10; i++) {
                double p = 1 / (1 + Math.exp(-logits[i]));
                expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
            }
            expected /= 10;
            BaselineTask task = new BaselineTask(c, l, null, new org.bytedeco.pytorch.Device("cpu"), 1, 0.5, 0.5);
            var m = task.trainStep(batch, 0, 1);
            assertEquals(expected, m.get("loss"), 1e-6);
            assertEquals(m.get("loss"), m.get("total_loss"));
            assertTrue(param(l, "model.fc.weight").grad().defined(), "the 5-way head is trained");
        }
    }
}
