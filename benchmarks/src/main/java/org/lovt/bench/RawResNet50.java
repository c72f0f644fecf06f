package org.lovt.bench;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's ResNet-50 composed directly on the bytedeco bindings, without any of the project's classes: the
 * framework-overhead baseline of {@link ResNetSteps} (the same network as {@code org.lovt.vision.ResNet}, the same
 * libtorch calls, none of the project's wrappers, scopes or feature taps).
 */
public final class RawResNet50 extends Module {
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final List<Module[]> blocks = new ArrayList<>(); // conv1, bn1, conv2, bn2, conv3, bn3[, dsConv, dsBn]
    private final LinearImpl fc;

    public RawResNet50() {
        conv1 = register_module("conv1", conv(3, 64, 7, 2, 3));
        bn1 = register_module("bn1", bn(64));
        long in = 64;
        int[] depths = {3, 4, 6, 3};
        for (int i = 0; i < 4; i++) {
            long width = 64L << i;
            for (int b = 0; b < depths[i]; b++) {
                long stride = b == 0 && i > 0 ? 2 : 1;
                String p = "layer" + (i + 1) + "_" + b + "_"; // libtorch refuses dots in submodule names
                List<Module> m = new ArrayList<>(List.of(
                        register_module(p + "conv1", conv(in, width, 1, 1, 0)), register_module(p + "bn1", bn(width)),
                        register_module(p + "conv2", conv(width, width, 3, stride, 1)),
                        register_module(p + "bn2", bn(width)),
                        register_module(p + "conv3", conv(width, width * 4, 1, 1, 0)),
                        register_module(p + "bn3", bn(width * 4))));
                if (stride != 1 || in != width * 4) {
                    m.add(register_module(p + "downsample_0", conv(in, width * 4, 1, stride, 0)));
                    m.add(register_module(p + "downsample_1", bn(width * 4)));
                }
                blocks.add(m.toArray(Module[]::new));
                in = width * 4;
            }
        }
        fc = register_module("fc", new LinearImpl(in, 1000));
    }

    private static Conv2dImpl conv(long in, long out, long k, long s, long p) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(k, k));
        o.stride().put(new long[] {s, s});
        o.padding().put(new LongPointer(p, p));
        o.bias().put(false);
        return new Conv2dImpl(o);
    }

    private static BatchNorm2dImpl bn(long c) {
        return new BatchNorm2dImpl(new BatchNormOptions(c));
    }

    public Tensor forward(Tensor x) {
        Tensor h = torch.max_pool2d(bn1.forward(conv1.forward(x)).relu(), new long[] {3, 3}, new long[] {2, 2},
                new long[] {1, 1}, new long[] {1, 1}, false);
        for (Module[] m : blocks) {
            Tensor out = ((BatchNorm2dImpl) m[1]).forward(((Conv2dImpl) m[0]).forward(h)).relu();
            out = ((BatchNorm2dImpl) m[3]).forward(((Conv2dImpl) m[2]).forward(out)).relu();
            out = ((BatchNorm2dImpl) m[5]).forward(((Conv2dImpl) m[4]).forward(out));
            Tensor id = m.length > 6 ? ((BatchNorm2dImpl) m[7]).forward(((Conv2dImpl) m[6]).forward(h)) : h;
            h = out.add(id).relu();
        }
        return fc.forward(torch.adaptive_avg_pool2d(h, 1, 1).flatten(1, -1));
    }
}
