package org.lovt.eval;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Dice loss and metric as LoVT's segmentation evaluation computes them (spec lovt-data-eval §3.8-3.9). */
public final class Dice {
    private long tp;
    private long fp;
    private long fn;

    /**
     * smp {@code DiceLoss(mode='binary', from_logits=True, smooth=0, eps=1e-7)}: all target channels pooled, soft
     * Dice summed over batch and pixels, {@code 1 − 2I / max(S, 1e-7)}, times 0 when the batch has no positive pixel.
     */
    public static Tensor loss(Tensor logits, Tensor targets) {
        Tensor p = torch.sigmoid(logits).reshape(-1);
        Tensor y = targets.to(p.scalar_type()).reshape(-1);
        Tensor inter = p.mul(y).sum();
        Tensor total = p.add(y).sum();
        Tensor dice = inter.mul(new Scalar(2.0)).div(torch.clamp_min(total, new Scalar(1e-7)));
        Tensor any = y.sum().gt(new Scalar(0.0)).to(p.scalar_type());
        return torch.ones_like(dice).sub(dice).mul(any);
    }

    /** Accumulates thresholded predictions (σ(logits) > 0.5) against binary targets. */
    public void update(Tensor logits, Tensor targets) {
        Tensor pred = torch.sigmoid(logits).gt(new Scalar(0.5));
        Tensor y = targets.gt(new Scalar(0.5));
        tp += pred.logical_and(y).sum().item_long();
        fp += pred.logical_and(y.logical_not()).sum().item_long();
        fn += pred.logical_not().logical_and(y).sum().item_long();
    }

    /** Dataset-level Dice 2TP / (2TP + FP + FN) over everything accumulated (0 when there was nothing). */
    public double value() {
        long d = 2 * tp + fp + fn;
        return d == 0 ? 0 : 2.0 * tp / d;
    }
}
