package org.lovt.eval.segmentation;

import java.util.Arrays;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.ConvTranspose2dImpl;
import org.bytedeco.pytorch.ConvTranspose2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * The U-Net's {@code UpBlockForUNetWithResNet50} with {@code upsampling_method='conv_transpose'}: a 2×2 stride-2
 * transposed convolution with bias ({@code upsample}) from the previous block's width to this block's, concatenated
 * with the skip feature map along channels, then {@code conv_block_1} (width + skip → width) and {@code conv_block_2}
 * (width → width).
 */
final class UpBlock extends Module {
    private final String name;
    private final String skipName;
    private final long skipChannels;
    private final ConvTranspose2dImpl upsample;
    private final ConvBlock convBlock1;
    private final ConvBlock convBlock2;

    /**
     * @param name     the block's name in messages ({@code up1}..{@code up5})
     * @param skipName the skip's feature name in messages ({@code conv4}..{@code input})
     */
    UpBlock(String name, long previous, long width, String skipName, long skipChannels) {
        this.name = name;
        this.skipName = skipName;
        this.skipChannels = skipChannels;
        ConvTranspose2dOptions o = new ConvTranspose2dOptions(previous, width, new LongPointer(2L, 2L));
        o.stride().put(new long[] {2, 2});
        o.bias().put(true);
        upsample = register_module("upsample", new ConvTranspose2dImpl(o));
        convBlock1 = register_module("conv_block_1", new ConvBlock(width + skipChannels, width));
        convBlock2 = register_module("conv_block_2", new ConvBlock(width, width));
    }

    /** The previous output (B, c_prev, h, w) and the skip (B, c_skip, 2h, 2w) → (B, width, 2h, 2w). */
    Tensor forward(Tensor previous, Tensor skip) {
        long[] s = Tensors.shape(skip);
        if (s.length != 4 || s[1] != skipChannels) {
            throw new LovtException("U-Net " + name + ": the skip " + skipName + " must be (B, " + skipChannels
                    + ", H, W), got shape " + Arrays.toString(s));
        }
        Tensor up = upsample.forward(previous);                                // (B, width, 2h, 2w)
        long[] u = Tensors.shape(up);
        if (u[0] != s[0] || u[2] != s[2] || u[3] != s[3]) {
            throw new LovtException("U-Net " + name + ": the upsampled map " + Arrays.toString(u)
                    + " does not fit the skip " + skipName + " " + Arrays.toString(s)
                    + " (each feature map must be twice the size of the next deeper one)");
        }
        Tensor x = torch.cat(new TensorVector(up, skip), 1);                   // (B, width + c_skip, 2h, 2w)
        return convBlock2.forward(convBlock1.forward(x));                      // (B, width, 2h, 2w)
    }
}
