package org.lovt.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

/**
 * Split-level segmentation metrics (spec §3.9) on hand-made 2×3 masks. Predictions are logits +10 (positive),
 * −10 (negative) and 0 (σ = ½ exactly, positive because torchmetrics thresholds with {@code >=}).
 */
class SegmentationMetricsTest {
    static final float P = 10;
    static final float N = -10;

    @Test
    void perTargetDatasetDiceAverageAndTheOtherLoggedMetrics() {
        try (Scope s = Scope.open()) {
            SegmentationMetrics m = new SegmentationMetrics(List.of("a", "b", "c"));
            // batch 1: 2 images × targets a, b, c × 6 pixels
            float[] logits1 = {
                P, P, N, N, 0, N,   /* a: TP at 0 and 4 (σ = ½), FP at 1, FN at 2 → image Dice 4/6 */
                N, N, N, N, N, N,   /* b: nothing */
                N, N, N, N, N, N,   /* c: nothing */
                N, N, N, N, N, P,   /* a: one FP on an image without target pixels (not a positive sample) */
                P, P, P, P, N, N,   /* b: TP 2, FP 2 → image Dice 4/6 */
                N, N, N, N, N, N};  /* c: nothing */
            long[] targets1 = {
                1, 0, 1, 0, 1, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0,
                1, 1, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0};
            m.update(Tensors.floats(logits1, 2, 3, 2, 3), Tensors.longs(targets1, 2, 3, 2, 3));
            // batch 2: one image; a: all TP (image Dice 1); b: one FN (image Dice 0); c: nothing
            float[] logits2 = {P, P, P, P, P, P, N, N, N, N, N, N, N, N, N, N, N, N};
            boolean[] targets2 = {
                true, true, true, true, true, true,
                true, false, false, false, false, false,
                false, false, false, false, false, false};
            m.update(Tensors.floats(logits2, 1, 3, 2, 3), Tensors.bools(targets2, 1, 3, 2, 3));

            Map<String, Double> r = m.compute();
            assertEquals(List.of("a_dice", "b_dice", "c_dice", "avg_dice",
                    "a_pos_dice", "a_precision", "a_recall", "a_IoU",
                    "b_pos_dice", "b_precision", "b_recall", "b_IoU",
                    "c_precision", "c_recall", "c_IoU"), List.copyOf(r.keySet()),
                    "c never has a target pixel, so it has no pos_dice");
            // a: TP 8, FP 2, FN 1; b: TP 2, FP 2, FN 1; c: all zero
            assertEquals(16.0 / 19, r.get("a_dice"), 1e-12);
            assertEquals(4.0 / 7, r.get("b_dice"), 1e-12);
            assertEquals(0.0, r.get("c_dice"), 0.0);
            assertEquals((16.0 / 19 + 4.0 / 7 + 0) / 3, r.get("avg_dice"), 1e-12);
            assertEquals((4.0 / 6 + 1) / 2, r.get("a_pos_dice"), 1e-12);
            assertEquals((4.0 / 6 + 0) / 2, r.get("b_pos_dice"), 1e-12);
            assertEquals(8.0 / 10, r.get("a_precision"), 1e-12);
            assertEquals(8.0 / 9, r.get("a_recall"), 1e-12);
            assertEquals(8.0 / 11, r.get("a_IoU"), 1e-12);
            assertEquals(2.0 / 4, r.get("b_precision"), 1e-12);
            assertEquals(2.0 / 3, r.get("b_recall"), 1e-12);
            assertEquals(2.0 / 5, r.get("b_IoU"), 1e-12);
            assertEquals(0.0, r.get("c_IoU"), 0.0);

            m.reset();
            m.update(Tensors.floats(logits2, 1, 3, 2, 3), Tensors.bools(targets2, 1, 3, 2, 3));
            assertEquals(1.0, m.compute().get("a_dice"), 0.0, "reset forgets the first batch");
        }
    }

    @Test
    void logitsThatNeedGradientAndBadShapes() {
        try (Scope s = Scope.open()) {
            SegmentationMetrics m = new SegmentationMetrics(List.of("opacity"));
            m.update(torch.zeros(2, 1, 4, 4).requires_grad_(true), torch.ones(2, 1, 4, 4));
            assertEquals(1.0, m.compute().get("opacity_dice"), 0.0, "σ(0) = ½ counts as positive");
            LovtException e = assertThrows(LovtException.class,
                    () -> m.update(torch.zeros(2, 2, 4, 4), torch.zeros(2, 2, 4, 4)));
            assertTrue(e.getMessage().contains("must both be (B, 1, H, W) for the targets [opacity]"),
                    e.getMessage());
            assertThrows(LovtException.class, () -> m.update(torch.zeros(2, 1, 4, 4), torch.zeros(2, 1, 4, 5)));
            assertThrows(LovtException.class, () -> new SegmentationMetrics(List.of("a", "a")));
            assertThrows(LovtException.class, () -> new SegmentationMetrics(List.of()));
        }
    }
}
