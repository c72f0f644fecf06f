package org.lovt.baselines;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Layers;

/**
 * pixel-level-contrastive-learning's {@code ConvMLP(chan, chan_out, inner_dim)}: {@code Conv2d(chan, inner, 1) →
 * BatchNorm2d(inner) → ReLU → Conv2d(inner, chan_out, 1)}, both convolutions with bias (children {@code 0}, {@code 1},
 * {@code 3}); PixelPro's pixel projector.
 */
public final class ConvMlp extends Module {
    private final Conv2dImpl first;
    private final BatchNorm2dImpl norm;
    private final Conv2dImpl last;

    public ConvMlp(long in, long hidden, long out) {
        first = register_module("0", Layers.conv2d(in, hidden, 1, 1, 0, true));
        norm = register_module("1", Layers.batchNorm2d(hidden));
        last = register_module("3", Layers.conv2d(hidden, out, 1, 1, 0, true));
    }

    /** (B, in, H, W) → (B, out, H, W). */
    public Tensor forward(Tensor x) {
        return last.forward(norm.forward(first.forward(x)).relu());
    }
}
