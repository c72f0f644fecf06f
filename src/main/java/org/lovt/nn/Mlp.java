package org.lovt.nn;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * LoVT's {@code MLP} projection head (spec §3.1): {@code Linear → [BatchNorm1d] → ReLU → Linear}, named
 * {@code projection_before}, {@code norm}, {@code projection_after}.
 */
public final class Mlp extends Module {
    private final LinearImpl before;
    private final BatchNorm1dImpl norm;
    private final LinearImpl after;

    /** @param batchNorm false for {@code projection_norm: null} (ConVIRT heads) */
    public Mlp(long dIn, long dHidden, long dOut, boolean batchNorm) {
        before = register_module("projection_before", new LinearImpl(new LinearOptions(dIn, dHidden)));
        norm = batchNorm ? register_module("norm", SequenceMlp.batchNorm1d(dHidden)) : null;
        after = register_module("projection_after", new LinearImpl(new LinearOptions(dHidden, dOut)));
        Init.projectionHead(before.weight(), after.weight(), before.bias(), after.bias());
    }

    /** x (B, d_in) → (B, d_out). */
    public Tensor forward(Tensor x) {
        Tensor h = before.forward(x);                                          // (B, d_hidden)
        if (norm != null) {
            h = norm.forward(h);
        }
        return after.forward(h.relu());                                        // (B, d_out)
    }
}
