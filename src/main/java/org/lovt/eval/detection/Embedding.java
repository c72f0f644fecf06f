package org.lovt.eval.detection;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Layers;

/**
 * YOLOv3's per-scale predictor ({@code _make_embedding([f0, f1], in, out)}): the module list {@code 0..5} of CBL(in,
 * f0, 1), CBL(f0, f1, 3), CBL(f1, f0, 1), CBL(f0, f1, 3), CBL(f1, f0, 1), CBL(f0, f1, 3), then {@code conv_out} =
 * Conv2d(f1, out, 1) with bias. The branch that feeds the next scale is the output of element 4 (f0 channels).
 */
final class Embedding extends Module {
    /** Index of the CBL whose output is the branch to the next scale. */
    static final int BRANCH_INDEX = 4;

    /** The raw predictions (B, out, H, W) and the branch (B, f0, H, W). */
    record Output(Tensor out, Tensor branch) {}

    private final Cbl[] cbls = new Cbl[6];
    private final Conv2dImpl convOut;

    Embedding(long f0, long f1, long in, long out) {
        long[][] io = {{in, f0, 1}, {f0, f1, 3}, {f1, f0, 1}, {f0, f1, 3}, {f1, f0, 1}, {f0, f1, 3}};
        for (int i = 0; i < cbls.length; i++) {
            cbls[i] = register_module(String.valueOf(i), new Cbl(io[i][0], io[i][1], io[i][2]));
        }
        convOut = register_module("conv_out", Layers.conv2d(f1, out, 1, 1, 0, true));
    }

    Output forward(Tensor x) {
        Tensor h = x;
        Tensor branch = null;
        for (int i = 0; i < cbls.length; i++) {
            h = cbls[i].forward(h);                               // (B, f0 or f1, H, W)
            if (i == BRANCH_INDEX) {
                branch = h;                                       // (B, f0, H, W)
            }
        }
        return new Output(convOut.forward(h), branch);            // (B, out, H, W)
    }
}
