package org.lovt.vision;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Layers;

/**
 * torchvision's {@code Bottleneck} (ResNet v1.5): 1×1 reduce, 3×3 with the stride, 1×1 expand (×4), each followed
 * by BatchNorm, ReLU after the first two and after the residual sum. The projection shortcut {@code downsample}
 * (1×1 conv + BN) exists when the stride or the channel count changes.
 */
public final class Bottleneck extends Module {
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final Conv2dImpl conv2;
    private final BatchNorm2dImpl bn2;
    private final Conv2dImpl conv3;
    private final BatchNorm2dImpl bn3;
    private final Conv2dImpl downsampleConv;
    private final BatchNorm2dImpl downsampleBn;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    public Bottleneck(long inChannels, long width, long stride) {
        long out = width * ResNetConfig.EXPANSION;
        conv1 = register_module("conv1", Layers.conv2d(inChannels, width, 1, 1, 0, false));
        bn1 = register_module("bn1", Layers.batchNorm2d(width));
        conv2 = register_module("conv2", Layers.conv2d(width, width, 3, stride, 1, false));
        bn2 = register_module("bn2", Layers.batchNorm2d(width));
        conv3 = register_module("conv3", Layers.conv2d(width, out, 1, 1, 0, false));
        bn3 = register_module("bn3", Layers.batchNorm2d(out));
        if (stride != 1 || inChannels != out) {
            // A plain module with children "0" and "1" (torchvision's Sequential names). SequentialImpl.push_back
            // does not keep Java-created modules alive: after a GC its forward crashed (SIGSEGV).
            Module ds = org.lovt.nn.Modules.container(this, "downsample", containers);
            downsampleConv = ds.register_module("0", Layers.conv2d(inChannels, out, 1, stride, 0, false));
            downsampleBn = ds.register_module("1", Layers.batchNorm2d(out));
        } else {
            downsampleConv = null;
            downsampleBn = null;
        }
    }

    /** (B, C_in, H, W) → (B, 4·width, H/stride, W/stride). */
    public Tensor forward(Tensor x) {
        Tensor out = bn1.forward(conv1.forward(x)).relu();           // (B, width, H, W)
        out = bn2.forward(conv2.forward(out)).relu();                // (B, width, H/s, W/s)
        out = bn3.forward(conv3.forward(out));                       // (B, 4·width, H/s, W/s)
        Tensor identity = downsampleConv != null ? downsampleBn.forward(downsampleConv.forward(x)) : x;
        return out.add(identity).relu();
    }
}
