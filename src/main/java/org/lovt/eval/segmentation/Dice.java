package org.lovt.eval.segmentation;

import java.util.Arrays;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * The segmentation loss of every LoVT segmentation task (spec lovt-data-eval §3.8):
 * {@code MultiLabelBinarySegmentationLoss(loss_fn='dice')}, i.e. segmentation_models_pytorch's
 * {@code DiceLoss(mode='binary', from_logits=True, smooth=0, eps=1e-7)}. The metric is {@link SegmentationMetrics}.
 */
public final class Dice {
    /** smp DiceLoss's {@code eps}: the lower clamp of the denominator. */
    public static final double EPS = 1e-7;

    private Dice() {}

    /**
     * The batch-level soft Dice loss. With p = σ(logits) (smp computes it as {@code exp(logsigmoid)}) and y the
     * targets as floats, in binary mode all n target channels are pooled into one channel and summed over batch
     * and pixels (dims (0, 2) of the (B, 1, n·H·W) view): I = Σ p·y, S = Σ (p + y),
     * loss = 1 − 2I / max(S, 1e-7), times 0 when the batch has no positive pixel. So NIH's 8 classes share one
     * soft Dice.
     *
     * @param logits  (B, n, H, W)
     * @param targets (B, n, H, W), 0/1 (any dtype)
     * @return a scalar loss
     */
    public static Tensor loss(Tensor logits, Tensor targets) {
        long[] l = Tensors.shape(logits);
        long[] t = Tensors.shape(targets);
        if (!Arrays.equals(l, t)) {
            throw new LovtException("dice loss: logits " + Arrays.toString(l) + " and targets " + Arrays.toString(t)
                    + " must have the same shape (B, n, H, W)");
        }
        Tensor p = torch.log_sigmoid(logits).exp().reshape(-1);               // (B·n·H·W)
        Tensor y = targets.to(logits.scalar_type()).reshape(-1);              // (B·n·H·W)
        Tensor inter = p.mul(y).sum();                                        // ()
        Tensor total = p.add(y).sum();                                        // ()
        Tensor dice = inter.mul(new Scalar(2.0)).div(torch.clamp_min(total, new Scalar(EPS)));
        Tensor any = y.sum().gt(new Scalar(0.0)).to(logits.scalar_type());   // () 1 or 0
        return torch.ones_like(dice).sub(dice).mul(any);
    }
}
