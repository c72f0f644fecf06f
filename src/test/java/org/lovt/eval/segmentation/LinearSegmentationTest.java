package org.lovt.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/** The linear head (spec §3.7): the original's Conv1d state dict, a 1×1 map per pixel, bilinear upsampling. */
class LinearSegmentationTest {
    @Test
    void stateDictHasTheOriginalNamesAndShapes() {
        try (Scope s = Scope.open()) {
            StateDict sd = StateDict.of(new LinearSegmentation(2048, 8));
            assertEquals(List.of("segmentation_head.classifier.weight", "segmentation_head.classifier.bias"),
                    List.copyOf(sd.names()));
            assertArrayEquals(new long[] {8, 2048, 1}, Tensors.shape(sd.get("segmentation_head.classifier.weight")));
            assertArrayEquals(new long[] {8}, Tensors.shape(sd.get("segmentation_head.classifier.bias")));
        }
    }

    @Test
    void oneByOneMapThenBilinearWithHalfPixelCentres() {
        try (Scope s = Scope.open()) {
            LinearSegmentation head = new LinearSegmentation(2, 1);
            StateDict sd = StateDict.of(head);
            try (NoGradGuard g = new NoGradGuard()) {
                sd.get("segmentation_head.classifier.weight").copy_(Tensors.floats(new float[] {2, -1}, 1, 2, 1));
                sd.get("segmentation_head.classifier.bias").copy_(Tensors.floats(new float[] {0.5f}, 1));
            }
            // two pixels: features (1, 0) and (3, 2) → logits 2.5 and 4.5
            Tensor f = Tensors.floats(new float[] {1, 3, 0, 2}, 1, 2, 1, 2);
            assertArrayEquals(new float[] {2.5f, 4.5f}, Tensors.toFloats(head.forward(f, 1, 2)), 1e-6f);
            // width 2 → 4, align_corners=False: source x = (x + ½)/2 − ½ = −¼ (clamped), ¼, ¾, 1¼ (clamped)
            assertArrayEquals(new float[] {2.5f, 3.0f, 4.0f, 4.5f}, Tensors.toFloats(head.forward(f, 1, 4)), 1e-6f);
        }
    }

    @Test
    void backboneForwardUpsamplesConv5ToTheScanWithoutBackboneGradient() {
        try (Scope s = Scope.open()) {
            ResNet resnet = new ResNet(new ResNetConfig(new int[] {3, 4, 6, 3}, 8, 10));   // the stem-8 fixture
            StateDict.fromHost(Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                    .tensors()).loadInto(resnet, true);
            resnet.eval();
            LinearSegmentation head = new LinearSegmentation(256, 2);
            Tensor logits = head.forward(resnet, "conv5", torch.randn(2, 3, 64, 64), true);
            assertArrayEquals(new long[] {2, 2, 64, 64}, Tensors.shape(logits));
            logits.sum().backward();
            assertTrue(StateDict.of(head).get("segmentation_head.classifier.weight").grad().defined());
            assertFalse(StateDict.of(resnet).get("layer4.2.conv3.weight").grad().defined());
            LovtException e = assertThrows(LovtException.class,
                    () -> head.forward(torch.zeros(1, 128, 7, 7), 224, 224));
            assertTrue(e.getMessage().contains("features must be (B, 256, h, w), got shape [1, 128, 7, 7]"),
                    e.getMessage());
        }
    }
}
