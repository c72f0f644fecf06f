package org.lovt.eval.detection;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.nn.Layers;

/**
 * YOLOv3's CBL block ({@code _make_cbl}): a k×k convolution (stride 1, padding (k−1)/2, no bias), BatchNorm2d and
 * LeakyReLU(0.1); children {@code conv} and {@code bn} as in the original's Sequential ({@code relu} has no
 * parameters).
 */
final class Cbl extends Module {
    /** LeakyReLU's negative slope in YOLOv3. */
    static final double LEAKY_SLOPE = 0.1;

    private final Conv2dImpl conv;
    private final BatchNorm2dImpl bn;

    Cbl(long in, long out, long kernel) {
        conv = register_module("conv", Layers.conv2d(in, out, kernel, 1, (kernel - 1) / 2, false));
        bn = register_module("bn", Layers.batchNorm2d(out));
    }

    /** (B, in, H, W) → (B, out, H, W). */
    Tensor forward(Tensor x) {
        return torch.leaky_relu(bn.forward(conv.forward(x)), new Scalar(LEAKY_SLOPE));
    }
}
