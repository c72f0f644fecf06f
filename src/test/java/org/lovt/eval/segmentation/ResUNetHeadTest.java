package org.lovt.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.nn.Modules;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * The U-Net decoder against spec lovt-data-eval §3.6: the original's parameter names and the parameter count of
 * the full-size (ResNet-50) head worked out from the spec's table, and shapes, skips, gradients and errors on the
 * stem-width-8 ResNet-50 fixture ({@code testdata/fixtures/resnet50-w8}: conv1..conv5 = 8, 32, 64, 128, 256).
 */
class ResUNetHeadTest {
    static final ResNetConfig W8 = new ResNetConfig(new int[] {3, 4, 6, 3}, 8, 10);

    /** ConvBlock(i, o): 3×3 conv weight and bias, BatchNorm weight and bias. */
    static long convBlock(long i, long o) {
        return 9 * i * o + o + 2 * o;
    }

    /** The expected parameter shapes of the full-size head, from the spec's table (not from the code). */
    static Map<String, long[]> expectedResNet50Head(int n) {
        Map<String, long[]> p = new LinkedHashMap<>();
        long[][] bridge = {{2048, 2048}, {2048, 2048}};
        for (int b = 0; b < 2; b++) {
            convBlockShapes(p, "resunet.bridge.bridge." + b, bridge[b][0], bridge[b][1]);
        }
        // block: c_prev → c_k, skip channels (conv4, conv3, conv2, conv1, input)
        long[][] ups = {{2048, 1024, 1024}, {1024, 512, 512}, {512, 256, 256}, {256, 128, 64}, {128, 64, 3}};
        for (int k = 0; k < 5; k++) {
            String pre = "resunet.up_blocks." + k;
            p.put(pre + ".upsample.weight", new long[] {ups[k][0], ups[k][1], 2, 2});   // ConvTranspose (in, out)
            p.put(pre + ".upsample.bias", new long[] {ups[k][1]});
            convBlockShapes(p, pre + ".conv_block_1", ups[k][1] + ups[k][2], ups[k][1]);
            convBlockShapes(p, pre + ".conv_block_2", ups[k][1], ups[k][1]);
        }
        p.put("segmentation_head.classifier.weight", new long[] {n, 64, 1});
        p.put("segmentation_head.classifier.bias", new long[] {n});
        return p;
    }

    static void convBlockShapes(Map<String, long[]> p, String pre, long in, long out) {
        p.put(pre + ".conv.weight", new long[] {out, in, 3, 3});
        p.put(pre + ".conv.bias", new long[] {out});
        p.put(pre + ".bn.weight", new long[] {out});
        p.put(pre + ".bn.bias", new long[] {out});
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void fullSizeHeadHasTheOriginalNamesAndParameterCount(int n) {
        long bridge = 2 * convBlock(2048, 2048);
        long up1 = 2048 * 1024 * 4 + 1024 + convBlock(1024 + 1024, 1024) + convBlock(1024, 1024);
        long up2 = 1024 * 512 * 4 + 512 + convBlock(512 + 512, 512) + convBlock(512, 512);
        long up3 = 512 * 256 * 4 + 256 + convBlock(256 + 256, 256) + convBlock(256, 256);
        long up4 = 256 * 128 * 4 + 128 + convBlock(128 + 64, 128) + convBlock(128, 128);
        long up5 = 128 * 64 * 4 + 64 + convBlock(64 + 3, 64) + convBlock(64, 64);
        long expected = bridge + up1 + up2 + up3 + up4 + up5 + 64L * n + n;
        assertEquals(n == 1 ? 124_300_609L : 124_301_064L, expected, "hand arithmetic");
        try (Scope s = Scope.open()) {
            ResUNetHead head = new ResUNetHead(ResNetConfig.resnet50(0), n);
            assertEquals(expected, Modules.parameterCount(head, false));
            Map<String, long[]> want = expectedResNet50Head(n);
            var params = head.named_parameters(true);
            Map<String, long[]> got = new LinkedHashMap<>();
            for (long i = 0; i < params.size(); i++) {
                got.put(params.get(i).key().getString(), Tensors.shape(params.get(i).value()));
            }
            assertEquals(60, got.size());
            assertEquals(want.keySet(), got.keySet());
            want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
            // BatchNorm buffers of the 12 ConvBlocks, as in PyTorch's state_dict
            StateDict sd = StateDict.of(head);
            assertEquals(60 + 12 * 3, sd.size());
            assertTrue(sd.contains("resunet.up_blocks.3.conv_block_2.bn.running_var"));
            assertTrue(sd.contains("resunet.bridge.bridge.0.bn.num_batches_tracked"));
        }
    }

    static ResNet backbone() {
        ResNet m = new ResNet(W8);
        StateDict.fromHost(Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                .tensors()).loadInto(m, true);
        return m;
    }

    @Test
    void widthsFollowTheBackbone() {
        ResUNetHead.Widths w = ResUNetHead.Widths.of(W8);
        assertEquals(new ResUNetHead.Widths(3, 8, 32, 64, 128, 256, 256, 128, 64, 32, 16, 8), w);
        assertEquals(new ResUNetHead.Widths(3, 64, 256, 512, 1024, 2048, 2048, 1024, 512, 256, 128, 64),
                ResUNetHead.Widths.of(ResNetConfig.resnet50(0)));
        assertThrows(LovtException.class, () -> ResUNetHead.Widths.forBackbone(8, 32, 64, 128, 100));
    }

    @Test
    void logitsAtTheInputSizeAndEverySkipIsUsed() {
        try (Scope s = Scope.open()) {
            ResNet resnet = backbone();
            resnet.eval();
            Seeds.manualSeed(3);
            ResUNetHead head = new ResUNetHead(W8, 2);
            head.eval();                                 // BatchNorm on running stats: a per-sample function
            Tensor x = torch.randn(2, 3, 64, 64);
            Map<String, Tensor> f = resnet.features(x, "conv5");
            assertArrayEquals(new long[] {2, 256, 2, 2}, Tensors.shape(f.get("conv5")));
            Tensor out = head.forward(x, f.get("conv1"), f.get("conv2"), f.get("conv3"), f.get("conv4"),
                    f.get("conv5"));
            assertArrayEquals(new long[] {2, 2, 64, 64}, Tensors.shape(out));
            assertEquals(0.0, head.forward(resnet, x, true).sub(out).abs().max().item_double(), 1e-6,
                    "the backbone convenience computes the same features");
            assertEquals(0.0, head.forward(x, f.get("conv1"), f.get("conv2"), f.get("conv3"), f.get("conv4"),
                    f.get("conv5")).sub(out).abs().max().item_double(), 0.0, "same inputs, same logits");
            // The default init (kaiming_uniform a=√5) shrinks signals about 20× per up-block (max |logit| 0.19; a
            // 100σ perturbation moves it by 22 via the input, 1e-5 via conv5), but identical inputs give identical
            // logits, so any change shows the skip is read.
            List<Tensor> inputs = new ArrayList<>(List.of(x, f.get("conv1"), f.get("conv2"), f.get("conv3"),
                    f.get("conv4"), f.get("conv5")));
            String[] names = {"input", "conv1", "conv2", "conv3", "conv4", "conv5"};
            for (int k = 0; k < inputs.size(); k++) {
                List<Tensor> changed = new ArrayList<>(inputs);
                changed.set(k, inputs.get(k).add(torch.randn_like(inputs.get(k)).mul(new Scalar(100.0))));
                Tensor o = head.forward(changed.get(0), changed.get(1), changed.get(2), changed.get(3),
                        changed.get(4), changed.get(5));
                double diff = o.sub(out).abs().max().item_double();
                assertTrue(diff > 1e-6, "changing " + names[k] + " changes the logits (max diff " + diff + ")");
            }
        }
    }

    @Test
    void frozenBackboneGetsNoGradientAndEveryHeadParameterDoes() {
        try (Scope s = Scope.open()) {
            ResNet resnet = backbone();
            resnet.eval();
            ResUNetHead head = new ResUNetHead(W8, 1);
            Tensor x = torch.randn(2, 3, 32, 32);
            Tensor y = torch.rand(2, 1, 32, 32).gt(new Scalar(0.7));
            Dice.loss(head.forward(resnet, x, true), y).backward();
            var hp = head.named_parameters(true);
            for (long i = 0; i < hp.size(); i++) {
                Tensor g = hp.get(i).value().grad();
                assertTrue(g.defined() && g.abs().sum().item_double() > 0, hp.get(i).key().getString());
            }
            var bp = resnet.named_parameters(true);
            for (long i = 0; i < bp.size(); i++) {
                assertFalse(bp.get(i).value().grad().defined(), bp.get(i).key().getString());
            }
        }
    }

    @Test
    void shapesThatDoNotFitFailClearly() {
        try (Scope s = Scope.open()) {
            ResUNetHead head = new ResUNetHead(W8, 1);
            Tensor x = torch.randn(1, 3, 64, 64);
            Tensor c1 = torch.randn(1, 8, 32, 32);
            Tensor c2 = torch.randn(1, 32, 16, 16);
            Tensor c3 = torch.randn(1, 64, 8, 8);
            Tensor c4 = torch.randn(1, 128, 4, 4);
            Tensor c5 = torch.randn(1, 256, 2, 2);
            assertArrayEquals(new long[] {1, 1, 64, 64}, Tensors.shape(head.forward(x, c1, c2, c3, c4, c5)));
            LovtException e = assertThrows(LovtException.class,
                    () -> head.forward(x, c1, c2, c3, c4, torch.randn(1, 2048, 2, 2)));
            assertTrue(e.getMessage().contains("conv5 must be (B, 256, h, w), got shape [1, 2048, 2, 2]"),
                    e.getMessage());
            e = assertThrows(LovtException.class,
                    () -> head.forward(x, c1, c2, torch.randn(1, 64, 9, 9), c4, c5));
            assertTrue(e.getMessage().contains("up2: the upsampled map [1, 64, 8, 8] does not fit the skip conv3 "
                    + "[1, 64, 9, 9]"), e.getMessage());
            e = assertThrows(LovtException.class,
                    () -> head.forward(x, torch.randn(1, 64, 32, 32), c2, c3, c4, c5));
            assertTrue(e.getMessage().contains("up4: the skip conv1 must be (B, 8, H, W), got shape [1, 64, 32, 32]"),
                    e.getMessage());
            assertThrows(LovtException.class, () -> new ResUNetHead(W8, 0));
        }
    }
}
