package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * The target network's moving average of BYOL and PixelPro (byol-pytorch {@code update_moving_average}): for every
 * parameter, {@code target = beta * target + (1 - beta) * online}, once per optimiser step; buffers (BatchNorm's running
 * statistics) are not averaged, as in the original. The default decay is 0.99.
 */
public final class MomentumUpdate {
    /** byol-pytorch's and pixel-level-contrastive-learning's default {@code moving_average_decay}. */
    public static final double DEFAULT_DECAY = 0.99;

    private MomentumUpdate() {}

    /** Averages {@code online}'s parameters into {@code target}'s (same architecture, parameters in the same order). */
    public static void update(Module target, Module online, double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new LovtException("moving average decay must lie in [0, 1], got " + beta);
        }
        TensorVector t = target.parameters(true);
        TensorVector o = online.parameters(true);
        if (t.size() != o.size()) {
            throw new LovtException("momentum update: the target has " + t.size() + " parameters, the online network "
                    + o.size());
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            for (long i = 0; i < t.size(); i++) {
                Tensor tp = t.get(i);
                Tensor op = o.get(i);
                if (!java.util.Arrays.equals(Tensors.shape(tp), Tensors.shape(op))) {
                    throw new LovtException("momentum update: parameter " + i + " has shape "
                            + java.util.Arrays.toString(Tensors.shape(tp)) + " in the target, "
                            + java.util.Arrays.toString(Tensors.shape(op)) + " online");
                }
                // old * beta + (1 - beta) * new, in this order as the original (rounding)
                tp.copy_(tp.mul(new Scalar(beta)).add(op.mul(new Scalar(1 - beta))));
            }
        }
    }

    /**
     * Makes {@code target} a copy of {@code online}, parameters and buffers (the libraries' {@code deepcopy} of the
     * online encoder); the target's parameters stop requiring gradients.
     */
    public static void copy(Module target, Module online) {
        org.lovt.torch.StateDict.of(online).loadInto(target, true);
        TensorVector ps = target.parameters(true);
        for (long i = 0; i < ps.size(); i++) {
            ps.get(i).requires_grad_(false);
        }
    }
}
