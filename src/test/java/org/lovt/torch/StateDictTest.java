package org.lovt.torch;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDictTest {

    /** A two-level module with parameters and buffers, named like a PyTorch projection head. */
    static final class Head extends Module {
        final LinearImpl fc;
        final BatchNorm1dImpl norm;

        Head(int in, int out) {
            fc = register_module("fc", new LinearImpl(new LinearOptions(in, out)));
            norm = register_module("norm", new BatchNorm1dImpl(new BatchNormOptions(out)));
        }
    }

    @Test
    void namesFollowPyTorchAndLoadingCopiesValues() {
        try (Scope s = Scope.open()) {
            Head a = new Head(3, 2);
            StateDict sd = StateDict.of(a);
            assertEquals(List.of("fc.weight", "fc.bias", "norm.weight", "norm.bias", "norm.running_mean",
                    "norm.running_var", "norm.num_batches_tracked"), List.copyOf(sd.names()));
            Head b = new Head(3, 2);
            StateDict src = new StateDict()
                    .put("fc.weight", Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
                    .put("fc.bias", Tensors.floats(new float[] {7, 8}, 2))
                    .put("norm.running_mean", Tensors.floats(new float[] {0.5f, -0.5f}, 2))
                    .put("extra", Tensors.floats(new float[] {0}, 1));
            StateDict.LoadReport r = src.loadInto(b, false);
            assertEquals(3, r.loaded());
            assertEquals(List.of("norm.weight", "norm.bias", "norm.running_var", "norm.num_batches_tracked"),
                    r.missing());
            assertEquals(List.of("extra"), r.unexpected());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensors.toFloats(b.fc.weight()));
            assertArrayEquals(new float[] {0.5f, -0.5f}, Tensors.toFloats(StateDict.of(b).get("norm.running_mean")));
            assertTrue(b.fc.weight().requires_grad(), "loading keeps parameters trainable");

            var strict = assertThrows(LovtException.class, () -> src.loadInto(new Head(3, 2), true));
            assertTrue(strict.getMessage().contains("missing 4") && strict.getMessage().contains("extra"),
                    strict.getMessage());
        }
    }

    @Test
    void shapeMismatchNamesKeyAndBothShapes() {
        try (Scope s = Scope.open()) {
            StateDict src = new StateDict().put("fc.weight", Tensors.floats(new float[6], 3, 2));
            var e = assertThrows(LovtException.class, () -> src.loadInto(new Head(3, 2), false));
            assertTrue(e.getMessage().contains("'fc.weight'") && e.getMessage().contains("[2, 3]")
                    && e.getMessage().contains("[3, 2]"), e.getMessage());
        }
    }

    @Test
    void missingNameSuggestsSimilarOnes() {
        try (Scope s = Scope.open()) {
            StateDict sd = StateDict.of(new Head(2, 2));
            var e = assertThrows(LovtException.class, () -> sd.get("head.fc.weight"));
            assertTrue(e.getMessage().contains("fc.weight"), e.getMessage());
        }
    }

    @Test
    void fixtureTensorsSurviveTheRoundTripThroughLibtorch() {
        Map<String, HostTensor> host = Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                .tensors();
        try (Scope s = Scope.open()) {
            StateDict sd = StateDict.fromHost(host);
            assertEquals(320, sd.size());
            Map<String, HostTensor> back = sd.toHost();
            host.forEach((k, v) -> assertTrue(v.contentEquals(back.get(k)), k));
            StateDict renamed = sd.mapNames(n -> n.startsWith("fc.") ? null : "backbone." + n);
            assertEquals(318, renamed.size());
            assertTrue(renamed.contains("backbone.conv1.weight"));
        }
    }
}
