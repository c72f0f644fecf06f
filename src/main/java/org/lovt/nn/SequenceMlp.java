package org.lovt.nn;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv1dImpl;
import org.bytedeco.pytorch.Conv1dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * LoVT's {@code SequenceMLP} projection head (spec §3.1), applied at every position of a sequence:
 * {@code Conv1d(k=1) → [BatchNorm1d] → ReLU → Conv1d(k=1)}, named {@code projection_before}, {@code norm},
 * {@code projection_after}. BatchNorm statistics run over batch and positions (padding included, as the original).
 */
public final class SequenceMlp extends Module {
    private final Conv1dImpl before;
    private final BatchNorm1dImpl norm;
    private final Conv1dImpl after;

    /** @param batchNorm false for {@code projection_norm: null} (ConVIRT heads) */
    public SequenceMlp(long dIn, long dHidden, long dOut, boolean batchNorm) {
        before = register_module("projection_before", conv1x1(dIn, dHidden));
        norm = batchNorm ? register_module("norm", batchNorm1d(dHidden)) : null;
        after = register_module("projection_after", conv1x1(dHidden, dOut));
        Init.projectionHead(before.weight(), after.weight(), before.bias(), after.bias());
    }

    static Conv1dImpl conv1x1(long in, long out) {
        return new Conv1dImpl(new Conv1dOptions(in, out, new LongPointer(new long[] {1})));
    }

    static BatchNorm1dImpl batchNorm1d(long c) {
        BatchNormOptions o = new BatchNormOptions(c);
        o.eps().put(Layers.BN_EPS);
        o.momentum().put(Layers.BN_MOMENTUM);
        return new BatchNorm1dImpl(o);
    }

    /** x (B, N, d_in) → (B, N, d_out). */
    public Tensor forward(Tensor x) {
        Tensor h = before.forward(x.transpose(1, 2));                          // (B, d_hidden, N)
        if (norm != null) {
            h = norm.forward(h);
        }
        return after.forward(h.relu()).transpose(1, 2);                        // (B, N, d_out)
    }
}
