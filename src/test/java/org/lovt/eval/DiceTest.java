package org.lovt.eval;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DiceTest {
    @Test
    void metricIsDatasetLevelAndLossIsSoftBatchDice() {
        try (Scope s = Scope.open()) {
            Tensor logits = Tensors.floats(new float[] {10, 10, -10, -10, 10, -10}, 1, 1, 2, 3);
            Tensor target = Tensors.floats(new float[] {1, 0, 1, 0, 1, 0}, 1, 1, 2, 3);
            Dice d = new Dice();
            d.update(logits, target);                     // TP 2, FP 1, FN 1
            assertEquals(4.0 / 6.0, d.value(), 1e-12);
            d.update(Tensors.floats(new float[] {10}, 1, 1, 1, 1), Tensors.floats(new float[] {1}, 1, 1, 1, 1));
            assertEquals(6.0 / 8.0, d.value(), 1e-12, "accumulated over all pixels");
            // sigmoid(±10) ≈ 1/0: I ≈ 2, S ≈ 3 + 3 → loss ≈ 1 − 4/6
            assertEquals(1 - 4.0 / 6.0, Dice.loss(logits, target).item_double(), 1e-3);
            assertEquals(0.0, Dice.loss(logits, torch.zeros_like(target)).item_double(), 0.0,
                    "no positive pixel: zero loss");
        }
    }

    @Test
    void headUpsamplesToTheInputSize() {
        try (Scope s = Scope.open()) {
            LinearSegmentation head = new LinearSegmentation(8, 2);
            Tensor out = head.forward(torch.randn(3, 8, 7, 7), 224, 224);
            assertArrayEquals(new long[] {3, 2, 224, 224}, Tensors.shape(out));
        }
    }
}
