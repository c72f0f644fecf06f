package org.lovt.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.nn.Modules;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;

/**
 * The head's layout against the original {@code YOLOv3WithResNetBackbone} (names, registration order, parameter
 * counts derived here from the spec's layer list), its default initialisation, and its forward against a functional
 * re-implementation that reads the parameters by their original names.
 */
class YoloV3HeadTest {
    static final String[] EMBEDDINGS = {"embedding0", "embedding1", "embedding2"};

    /** The original's state_dict keys minus the backbone, in its order (params then buffers per module). */
    static List<String> originalKeys(boolean parameters) {
        List<String> keys = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            if (e > 0) {
                addCbl(keys, "embedding" + e + "_cbl", parameters);
            }
            for (int i = 0; i < 6; i++) {
                addCbl(keys, EMBEDDINGS[e] + "." + i, parameters);
            }
            if (parameters) {
                keys.add(EMBEDDINGS[e] + ".conv_out.weight");
                keys.add(EMBEDDINGS[e] + ".conv_out.bias");
            }
        }
        if (!parameters) {
            for (int s = 0; s < 3; s++) {
                keys.add("losses." + s + ".anchors");
            }
        }
        return keys;
    }

    private static void addCbl(List<String> keys, String prefix, boolean parameters) {
        if (parameters) {
            keys.add(prefix + ".conv.weight");
            keys.add(prefix + ".bn.weight");
            keys.add(prefix + ".bn.bias");
        } else {
            keys.add(prefix + ".bn.running_mean");
            keys.add(prefix + ".bn.running_var");
            keys.add(prefix + ".bn.num_batches_tracked");
        }
    }

    static List<String> names(StringTensorDict d) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < d.size(); i++) {
            out.add(d.get(i).key().getString());
        }
        return out;
    }

    /** Parameters of CBL(in, out, k): conv weight (no bias) + BN weight and bias. */
    static long cbl(long in, long out, long k) {
        return in * out * k * k + 2 * out;
    }

    /** Parameters of Embedding([f0, f1], in, out): 6 CBLs and a 1×1 conv with bias. */
    static long embedding(long f0, long f1, long in, long out) {
        return cbl(in, f0, 1) + cbl(f0, f1, 3) + cbl(f1, f0, 1) + cbl(f0, f1, 3) + cbl(f1, f0, 1) + cbl(f0, f1, 3)
                + f1 * out + out;
    }

    @Test
    void fullSizeHeadHasTheOriginalNamesAndParameterCount() {
        try (Scope s = Scope.open()) {
            YoloV3Head head = new YoloV3Head(512, 1024, 2048, 1);
            assertEquals(originalKeys(true), names(head.named_parameters(true)));
            assertEquals(originalKeys(false), names(head.named_buffers(true)));
            // out_c = 3·(5+1) = 18; scale 1 sees 256 + 1024 channels, scale 2 sees 128 + 512
            long expected = embedding(512, 1024, 2048, 18) + cbl(512, 256, 1)
                    + embedding(256, 512, 1280, 18) + cbl(256, 128, 1)
                    + embedding(128, 256, 640, 18);
            assertEquals(21_626_934L, expected, "hand arithmetic");
            assertEquals(expected, Modules.parameterCount(head, false));
            assertEquals(expected, Modules.parameterCount(head, true), "every head parameter is trainable");
            TensorVector nb = head.nonBackboneParameters();
            long n = 0;
            for (long i = 0; i < nb.size(); i++) {
                n += nb.get(i).numel();
            }
            assertEquals(expected, n, "non_backbone_params() covers the whole head");
            StateDict sd = StateDict.of(head);
            assertArrayEquals(new long[] {18, 1024, 1, 1}, Tensors.shape(sd.get("embedding0.conv_out.weight")));
            assertArrayEquals(new long[] {256, 1280, 1, 1}, Tensors.shape(sd.get("embedding1.0.conv.weight")));
            assertArrayEquals(new long[] {128, 256, 1, 1}, Tensors.shape(sd.get("embedding2_cbl.conv.weight")));
            assertArrayEquals(new long[] {256, 128, 3, 3}, Tensors.shape(sd.get("embedding2.5.conv.weight")));
            assertArrayEquals(new float[] {64.64f, 48.6f, 84.24f, 106.92f, 201.42f, 176.04f},
                    Tensors.toFloats(sd.get("losses.0.anchors")));
            assertArrayEquals(new float[] {5.4f, 7.02f, 8.64f, 16.2f, 17.82f, 12.42f},
                    Tensors.toFloats(sd.get("losses.2.anchors")));
            assertArrayEquals(new long[] {3, 2}, Tensors.shape(sd.get("losses.1.anchors")));
        }
    }

    @Test
    void threeClassesGiveThreeTimesEightOutputs() {
        try (Scope s = Scope.open()) {
            YoloV3Head head = new YoloV3Head(512, 1024, 2048, 3);
            long expected = embedding(512, 1024, 2048, 24) + cbl(512, 256, 1)
                    + embedding(256, 512, 1280, 24) + cbl(256, 128, 1)
                    + embedding(128, 256, 640, 24);
            assertEquals(21_637_704L, expected, "hand arithmetic");
            assertEquals(expected, Modules.parameterCount(head, false));
            assertEquals(24, head.outChannels(0));
            StateDict sd = StateDict.of(head);
            for (String e : EMBEDDINGS) {
                assertEquals(24, sd.get(e + ".conv_out.weight").size(0));
                assertEquals(24, sd.get(e + ".conv_out.bias").size(0));
            }
        }
    }

    @Test
    void defaultInitialisationIsPyTorchs() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(3);
            YoloV3Head head = new YoloV3Head(64, 128, 256, 1, YoloAnchors.LOVT_224, 8);
            StateDict sd = StateDict.of(head);
            for (String name : sd.names()) {
                Tensor t = sd.get(name);
                if (name.endsWith("bn.weight") || name.endsWith("running_var")) {
                    assertEquals(1.0, t.min().item_double(), 0.0, name);
                    assertEquals(1.0, t.max().item_double(), 0.0, name);
                } else if (name.endsWith("bn.bias") || name.endsWith("running_mean")) {
                    assertEquals(0.0, t.abs().max().item_double(), 0.0, name);
                }
            }
            // kaiming_uniform(a=√5): bound gain·√(3/fan_in) = √(1/3)·√(3/fan_in) = 1/√fan_in; bias ±1/√fan_in
            Tensor w = sd.get("embedding0.1.conv.weight");                     // (128, 64, 3, 3): fan_in 576
            double bound = 1 / Math.sqrt(64 * 9);
            assertTrue(w.abs().max().item_double() <= bound, "weight within ±1/√fan_in");
            assertTrue(w.abs().max().item_double() > 0.95 * bound, "weight fills ±1/√fan_in");
            assertEquals(bound * bound / 3, w.pow(new Scalar(2)).mean().item_double(), 0.1 * bound * bound / 3,
                    "uniform variance bound²/3");
            Tensor b = sd.get("embedding0.conv_out.bias");                     // fan_in 128
            assertTrue(b.abs().max().item_double() <= 1 / Math.sqrt(128));
            assertTrue(b.abs().max().item_double() > 0);
        }
    }

    /** conv → BN (eval, running statistics) → LeakyReLU(0.1), with the parameters of {@code prefix}. */
    static Tensor cblRef(StateDict sd, String prefix, Tensor x) {
        Tensor w = sd.get(prefix + ".conv.weight");
        long p = (w.size(2) - 1) / 2;
        Tensor y = torch.conv2d(x, w, new TensorOptional(), new long[] {1, 1}, new long[] {p, p},
                new long[] {1, 1}, 1);
        Tensor mean = sd.get(prefix + ".bn.running_mean").view(1, -1, 1, 1);
        Tensor var = sd.get(prefix + ".bn.running_var").view(1, -1, 1, 1);
        y = y.sub(mean).div(var.add(new Scalar(1e-5)).sqrt())
                .mul(sd.get(prefix + ".bn.weight").view(1, -1, 1, 1)).add(sd.get(prefix + ".bn.bias").view(1, -1, 1, 1));
        return torch.where(y.gt(new Scalar(0.0)), y, y.mul(new Scalar(0.1)));
    }

    /** {output, branch (element 4)} of an embedding. */
    static Tensor[] embeddingRef(StateDict sd, String prefix, Tensor x) {
        Tensor branch = null;
        for (int i = 0; i < 6; i++) {
            x = cblRef(sd, prefix + "." + i, x);
            if (i == 4) {
                branch = x;
            }
        }
        Tensor out = torch.conv2d(x, sd.get(prefix + ".conv_out.weight"),
                new TensorOptional(sd.get(prefix + ".conv_out.bias")), new long[] {1, 1}, new long[] {0, 0},
                new long[] {1, 1}, 1);
        return new Tensor[] {out, branch};
    }

    /** Nearest ×2 by repeating each pixel into a 2×2 block. */
    static Tensor up2(Tensor x) {
        return x.repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(2), new org.bytedeco.pytorch.LongOptional())
                .repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(3), new org.bytedeco.pytorch.LongOptional());
    }

    @Test
    void forwardMatchesAFunctionalReimplementationByOriginalNames() {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(11);
            YoloV3Head head = new YoloV3Head(12, 20, 24, 2, YoloAnchors.LOVT_224, 16);
            StateDict sd = StateDict.of(head);
            try (NoGradGuard g = new NoGradGuard()) {
                // non-trivial BatchNorm affine and running statistics, so that every tensor matters
                for (String name : sd.names()) {
                    Tensor t = sd.get(name);
                    if (name.contains(".bn.") && !name.endsWith("num_batches_tracked")) {
                        t.copy_(name.endsWith("running_var") ? torch.rand(t.sizes()).add(new Scalar(0.5))
                                : torch.randn(t.sizes()).mul(new Scalar(0.3)));
                    }
                }
            }
            head.eval();
            Tensor c3 = torch.randn(2, 12, 12, 8);
            Tensor c4 = torch.randn(2, 20, 6, 4);
            Tensor c5 = torch.randn(2, 24, 3, 2);
            List<Tensor> out = head.forward(c3, c4, c5);
            assertEquals(3, out.size());
            assertArrayEquals(new long[] {2, 21, 3, 2}, Tensors.shape(out.get(0)));
            assertArrayEquals(new long[] {2, 21, 6, 4}, Tensors.shape(out.get(1)));
            assertArrayEquals(new long[] {2, 21, 12, 8}, Tensors.shape(out.get(2)));

            Tensor[] e0 = embeddingRef(sd, "embedding0", c5);
            Tensor t = torch.cat(new TensorVector(up2(cblRef(sd, "embedding1_cbl", e0[1])), c4), 1);
            Tensor[] e1 = embeddingRef(sd, "embedding1", t);
            t = torch.cat(new TensorVector(up2(cblRef(sd, "embedding2_cbl", e1[1])), c3), 1);
            Tensor[] e2 = embeddingRef(sd, "embedding2", t);
            Tensor[] ref = {e0[0], e1[0], e2[0]};
            for (int i = 0; i < 3; i++) {
                double err = out.get(i).sub(ref[i]).abs().max().item_double();
                assertTrue(err < 1e-4 * Math.max(1, ref[i].abs().max().item_double()), "scale " + i + ": " + err);
            }
        }
    }

    @Test
    void badInputsAreRejectedWithTheirShapes() {
        try (Scope s = Scope.open()) {
            YoloV3Head head = new YoloV3Head(8, 16, 32, 1, YoloAnchors.LOVT_224, 64);
            LovtException e = assertThrows(LovtException.class, () -> head.forward(torch.zeros(1, 8, 8, 8),
                    torch.zeros(1, 16, 4, 4), torch.zeros(1, 31, 2, 2)));
            assertTrue(e.getMessage().contains("[1, 31, 2, 2]") && e.getMessage().contains("(B, 32, h, w)"),
                    e.getMessage());
            e = assertThrows(LovtException.class, () -> head.forward(torch.zeros(1, 8, 8, 8),
                    torch.zeros(1, 16, 3, 4), torch.zeros(1, 32, 2, 2)));
            assertTrue(e.getMessage().contains("[1, 16, 3, 4]"), e.getMessage());
            assertThrows(LovtException.class, () -> new YoloV3Head(8, 16, 32, 1, YoloAnchors.LOVT_224, 3));
            assertThrows(LovtException.class, () -> new YoloV3Head(8, 16, 32, 0));
        }
    }
}
