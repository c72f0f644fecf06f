package org.lovt.nn;

import org.bytedeco.pytorch.FanModeType;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Nonlinearity;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.kFanOut;
import org.bytedeco.pytorch.kLinear;
import org.bytedeco.pytorch.kReLU;
import org.bytedeco.pytorch.global.torch;

/** LoVT's initialisation schemes (spec §3.1, §3.2). */
final class Init {
    private Init() {}

    /** kaiming-normal, mode fan_out, with the gain of the given nonlinearity ("relu" or "linear"). */
    public static void kaimingNormalFanOut(Tensor w, boolean relu) {
        try (NoGradGuard g = new NoGradGuard()) {
            torch.kaiming_normal_(w, 0.0, new FanModeType(new kFanOut()),
                    relu ? new Nonlinearity(new kReLU()) : new Nonlinearity(new kLinear()));
        }
    }

    /** Projection heads: first layer kaiming-normal fan_out (relu gain), second (linear gain), biases 0. */
    static void projectionHead(Tensor first, Tensor second, Tensor firstBias, Tensor secondBias) {
        kaimingNormalFanOut(first, true);
        kaimingNormalFanOut(second, false);
        zero(firstBias);
        zero(secondBias);
    }

    /** Sets a tensor to zero without recording gradients. */
    public static void zero(Tensor t) {
        try (NoGradGuard g = new NoGradGuard()) {
            t.zero_();
        }
    }
}
