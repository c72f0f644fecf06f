package org.lovt.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

/** smp's binary DiceLoss as LoVT uses it (§3.8), on logits with exact sigmoids: 0 → ½, ±ln 3 → ¾, ¼. */
class DiceTest {
    static final float L3 = (float) Math.log(3);

    @Test
    void softDiceOverBatchAndPixels() {
        try (Scope s = Scope.open()) {
            // p = ½, ½, ¾, ¼ against y = 1, 0, 1, 0: I = ½ + ¾ = 1.25, S = 2 + 2 = 4, dice = 2.5/4
            Tensor logits = Tensors.floats(new float[] {0, 0, L3, -L3}, 1, 1, 2, 2);
            Tensor y = Tensors.longs(new long[] {1, 0, 1, 0}, 1, 1, 2, 2);
            assertEquals(1 - 0.625, Dice.loss(logits, y).item_double(), 1e-6);
        }
    }

    @Test
    void batchLevelNotPerSample() {
        try (Scope s = Scope.open()) {
            // sample 0: p = ½, ½ vs y = 1, 1 (I 1, S 3); sample 1: p = ¾, ¼ vs y = 1, 0 (I ¾, S 2)
            Tensor logits = Tensors.floats(new float[] {0, 0, L3, -L3}, 2, 1, 1, 2);
            Tensor y = Tensors.floats(new float[] {1, 1, 1, 0}, 2, 1, 1, 2);
            // pooled: 1 − 2·1.75/5 = 0.3 (the mean of per-sample losses would be (1/3 + 1/4)/2 = 0.2917)
            assertEquals(0.3, Dice.loss(logits, y).item_double(), 1e-6);
        }
    }

    @Test
    void targetChannelsArePooled() {
        try (Scope s = Scope.open()) {
            // channel 0: p = ½, ½ vs y = 1, 1; channel 1: p = ¾, ¼ vs y = 0, 0
            Tensor logits = Tensors.floats(new float[] {0, 0, L3, -L3}, 1, 2, 1, 2);
            Tensor y = Tensors.floats(new float[] {1, 1, 0, 0}, 1, 2, 1, 2);
            // pooled: I = 1, S = 3 + 1 → 1 − 2/4 = 0.5 (per channel it would be mean(1/3, 0) = 1/6)
            assertEquals(0.5, Dice.loss(logits, y).item_double(), 1e-6);
        }
    }

    @Test
    void batchWithoutPositivePixelGivesZeroLossAndGradient() {
        try (Scope s = Scope.open()) {
            Tensor logits = torch.randn(3, 2, 4, 4).requires_grad_(true);
            Tensor loss = Dice.loss(logits, torch.zeros(3, 2, 4, 4));
            assertEquals(0.0, loss.item_double(), 0.0);
            loss.backward();
            assertEquals(0.0, logits.grad().abs().max().item_double(), 0.0);
        }
    }

    @Test
    void shapesMustMatch() {
        try (Scope s = Scope.open()) {
            LovtException e = assertThrows(LovtException.class,
                    () -> Dice.loss(torch.zeros(2, 1, 4, 4), torch.zeros(2, 4, 4)));
            assertTrue(e.getMessage().contains("logits [2, 1, 4, 4] and targets [2, 4, 4]"), e.getMessage());
        }
    }
}
