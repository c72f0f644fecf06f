package org.lovt.nn;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.FanModeType;
import org.bytedeco.pytorch.Nonlinearity;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.kFanOut;
import org.bytedeco.pytorch.kReLU;
import org.bytedeco.pytorch.global.torch;

/**
 * Factories for the built-in libtorch layers with PyTorch's Python-side defaults spelled out, and the init schemes
 * the reference models use.
 */
public final class Layers {
    /** PyTorch BatchNorm defaults (the momentum is PyTorch's convention: new = (1 − m)·old + m·batch). */
    public static final double BN_EPS = 1e-5;
    public static final double BN_MOMENTUM = 0.1;

    private Layers() {}

    /** A square 2-D convolution {@code kernel×kernel}, given stride and padding, optional bias. */
    public static Conv2dImpl conv2d(long in, long out, long kernel, long stride, long padding, boolean bias) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        // LongPointer.put(long, long) would mean put(index, value): pass an array.
        o.stride().put(new long[] {stride, stride});
        o.padding().put(new LongPointer(padding, padding));
        o.bias().put(bias);
        return new Conv2dImpl(o);
    }

    /** BatchNorm2d with PyTorch's eps 1e-5 and momentum 0.1. */
    public static BatchNorm2dImpl batchNorm2d(long channels) {
        BatchNormOptions o = new BatchNormOptions(channels);
        o.eps().put(BN_EPS);
        o.momentum().put(BN_MOMENTUM);
        return new BatchNorm2dImpl(o);
    }

    /** torchvision's conv init: {@code kaiming_normal_(w, mode='fan_out', nonlinearity='relu')}. */
    public static void kaimingNormalFanOutRelu(org.bytedeco.pytorch.Tensor weight) {
        try (NoGradGuard g = new NoGradGuard()) {
            torch.kaiming_normal_(weight, 0.0, new FanModeType(new kFanOut()), new Nonlinearity(new kReLU()));
        }
    }
}
