package org.lovt.torch;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A child program that uses libtorch before {@link Natives#load()}: a convolution runs first, so oneDNN has fixed
 * its instruction set before the kernel check could cap it. Prints what the check then decided.
 */
public final class LateLoadMain {
    private LateLoadMain() {}

    public static void main(String[] args) {
        Tensor x = torch.randn(2, 8, 16, 16);
        Tensor w = torch.randn(8, 8, 3, 3);
        torch.conv2d(x, w, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1);
        Natives.load();
        KernelCheck.Verdict v = KernelCheck.current();
        List<KernelProbe.Outcome> failed = KernelProbe.runPaddedHere();
        System.out.println("cap=" + v.cap() + " oneDnnOff=" + v.oneDnnOff() + " mkldnnEnabled="
                + torch.globalContext().userEnabledMkldnn() + " failedAfter=" + failed.size());
    }
}
