package org.lovt.eval;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * LoVT's linear segmentation head (spec lovt-data-eval §3.7): a 1×1 convolution with bias from frozen backbone
 * features (B, C, h, w) to one logit map per target, bilinearly upsampled ({@code align_corners=False}) to the input
 * size.
 */
final class LinearSegmentation extends Module {
    private final Conv2dImpl conv;

    public LinearSegmentation(long channels, long targets) {
        Conv2dOptions o = new Conv2dOptions(channels, targets, new LongPointer(1L, 1L));
        conv = register_module("conv", new Conv2dImpl(o));
    }

    /** Features (B, C, h, w) → logits (B, n, height, width). */
    public Tensor forward(Tensor features, long height, long width) {
        Tensor logits = conv.forward(features);                                      // (B, n, h, w)
        return torch.upsample_bilinear2d(logits, new long[] {height, width}, false);  // (B, n, H, W)
    }
}
