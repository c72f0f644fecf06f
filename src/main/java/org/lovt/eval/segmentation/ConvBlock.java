package org.lovt.eval.segmentation;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Layers;

/**
 * The U-Net's {@code ConvBlock} ({@code resunet.py}, after kevinlu1211's ResNet-50 U-Net): a 3×3 convolution with
 * padding 1 and bias, BatchNorm2d, ReLU; children {@code conv} and {@code bn}. PyTorch's default initialisation.
 */
final class ConvBlock extends Module {
    private final Conv2dImpl conv;
    private final BatchNorm2dImpl bn;

    ConvBlock(long in, long out) {
        conv = register_module("conv", Layers.conv2d(in, out, 3, 1, 1, true));
        bn = register_module("bn", Layers.batchNorm2d(out));
    }

    /** (B, in, h, w) → (B, out, h, w). */
    Tensor forward(Tensor x) {
        return bn.forward(conv.forward(x)).relu();
    }
}
