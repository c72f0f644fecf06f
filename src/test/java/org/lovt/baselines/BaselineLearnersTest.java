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
}
