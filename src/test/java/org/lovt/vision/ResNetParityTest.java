package org.lovt.vision;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torchvision parity on the resnet50-w8 fixture (fixtures/README.md): eval, train, gradients, running stats. */
class ResNetParityTest {
    static Map<String, HostTensor> weights;
    static Safetensors.Contents io;

    @BeforeAll
    static void load() {
        weights = Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors")).tensors();
        io = Safetensors.read(TestData.require("fixtures/resnet50-w8/io.safetensors"));
    }

    static ResNet model() {
        ResNet m = new ResNet(new ResNetConfig(new int[] {3, 4, 6, 3}, 8, 10));
        StateDict.fromHost(weights).loadInto(m, true);
        return m;
    }

    /** max |a − b| / max |b| — the fixture's tolerance measure. */
    static double relErr(Tensor actual, HostTensor expected) {
        Tensor e = Tensors.fromHost(expected);
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(Tensors.shape(actual)));
        double scale = Math.max(e.abs().max().item_double(), 1e-12);
        return actual.sub(e).abs().max().item_double() / scale;
    }

    static void assertClose(String name, Tensor actual, double tol) {
        double err = relErr(actual, io.tensor(name));
        assertTrue(err <= tol, name + ": relative error " + err + " > " + tol);
    }

    private static void checkForward(ResNet m, String mode) {
        Tensor x = Tensors.fromHost(io.tensor("input"));
        Map<String, Tensor> f = m.features(x, "conv5");
        Tensor stem = torch.max_pool2d(f.get("conv1"), new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1},
                new long[] {1, 1}, false);
        assertClose(mode + ".stem", stem, 1e-4);
        for (int i = 1; i <= 4; i++) {
            assertClose(mode + ".layer" + i, f.get("conv" + (i + 1)), 1e-4);
        }
        assertClose(mode + ".pooled", ResNet.pool(f.get("conv5")), 1e-4);
        assertClose(mode + ".logits", m.logits(f.get("conv5")), 1e-4);
    }

    @Test
    void evalModeMatchesTorchvision() {
        try (Scope s = Scope.open()) {
            ResNet m = model();
            m.eval();
            checkForward(m, "eval");
        }
    }

    @Test
    void trainModeGradientsAndRunningStatsMatchTorchvision() {
        try (Scope s = Scope.open()) {
            ResNet m = model();
            m.train(true);
            Tensor x = Tensors.fromHost(io.tensor("input"));
            Map<String, Tensor> f = m.features(x, "conv5");
            Tensor logits = m.logits(f.get("conv5"));
            assertClose("train.logits", logits, 1e-4);
            assertClose("train.layer2", f.get("conv3"), 1e-4);
            Tensor loss = logits.pow(new org.bytedeco.pytorch.Scalar(2.0)).mean().add(f.get("conv3").abs().mean());
            assertEquals(io.tensor("train.loss").bytes().getFloat(0), loss.item_float(),
                    1e-4 * Math.abs(loss.item_float()));
            loss.backward();
            StateDict params = StateDict.of(m);
            for (String g : new String[] {"conv1.weight", "layer3.2.conv2.weight", "fc.bias"}) {
                assertClose("grad." + g, params.get(g).grad(), 1e-3);
            }
            int checked = 0;
            for (String name : io.tensors().keySet()) {
                if (name.startsWith("after_train.")) {
                    String key = name.substring("after_train.".length());
                    assertClose(name, params.get(key), 1e-4);
                    checked++;
                }
            }
            assertEquals(3 * 53, checked, "running mean, var and batch count of all 53 BatchNorms");
        }
    }

    @Test
    void freshModelHasTorchvisionLayoutAndInit() {
        try (Scope s = Scope.open()) {
            ResNet m = new ResNet(ResNetConfig.resnet50(1000));
            assertEquals(25_557_032L, m.parameterCount());
            ResNet backbone = new ResNet(ResNetConfig.resnet50(0));
            assertEquals(23_508_032L, backbone.parameterCount());
            Tensor w = StateDict.of(m).get("layer2.0.conv2.weight");             // (128, 128, 3, 3)
            double std = Math.sqrt(2.0 / (128 * 9));                              // kaiming fan_out, relu gain
            assertEquals(std, w.std().item_double(), 0.05 * std);
            assertEquals(1.0, StateDict.of(m).get("layer2.0.bn2.weight").mean().item_double(), 0.0);
            Tensor x = torch.randn(1, 3, 64, 64);
            Map<String, Tensor> f = backbone.features(x, "conv5");
            assertEquals("[1, 64, 32, 32]", java.util.Arrays.toString(Tensors.shape(f.get("conv1"))));
            assertEquals("[1, 2048, 2, 2]", java.util.Arrays.toString(Tensors.shape(f.get("conv5"))));
            assertEquals(2, backbone.features(x, "conv2").size(), "later stages are not run");
        }
    }
}
