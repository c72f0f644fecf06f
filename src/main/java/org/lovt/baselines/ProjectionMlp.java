package org.lovt.baselines;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Layers;

/**
 * The baselines' MLP heads with the original modules' parameter names (children of an {@code nn.Sequential}):
 * <ul>
 *   <li>{@link #byol}: byol-pytorch's {@code MLP(dim, projection_size, hidden_size)} = {@code Linear(dim, hidden) →
 *       BatchNorm1d(hidden) → ReLU → Linear(hidden, out)}, children {@code 0}, {@code 1}, {@code 3} — BYOL's projector
 *       (2048 → 4096 → 128) and predictor (128 → 4096 → 128), PixelPro's instance projector and predictor;</li>
 *   <li>{@link #simclr}: Spijkervet simclr's projector {@code Linear(n, n, bias=False) → ReLU → Linear(n, d,
 *       bias=False)}, children {@code 0}, {@code 2} (2048 → 2048 → 128).</li>
 * </ul>
 * Linear layers keep PyTorch's default initialisation (libtorch's is the same).
 */
public final class ProjectionMlp extends Module {
    private final LinearImpl first;
    private final BatchNorm1dImpl norm;
    private final LinearImpl last;

    private ProjectionMlp(long in, long hidden, long out, boolean byol) {
        first = register_module("0", linear(in, hidden, byol));
        if (byol) {
            BatchNormOptions o = new BatchNormOptions(hidden);
            o.eps().put(Layers.BN_EPS);
            o.momentum().put(Layers.BN_MOMENTUM);
            norm = register_module("1", new BatchNorm1dImpl(o));
            last = register_module("3", linear(hidden, out, true));
        } else {
            norm = null;
            last = register_module("2", linear(hidden, out, false));
        }
    }

    private static LinearImpl linear(long in, long out, boolean bias) {
        LinearOptions o = new LinearOptions(in, out);
        o.bias().put(bias);
        return new LinearImpl(o);
    }

    /** byol-pytorch's MLP (with bias and BatchNorm1d). */
    public static ProjectionMlp byol(long dim, long hidden, long projectionSize) {
        return new ProjectionMlp(dim, hidden, projectionSize, true);
    }

    /** SimCLR's projector {@code n → n → projectionDim}, no biases, no normalisation. */
    public static ProjectionMlp simclr(long nFeatures, long projectionDim) {
        return new ProjectionMlp(nFeatures, nFeatures, projectionDim, false);
    }

    /** x (B, in) → (B, out). */
    public Tensor forward(Tensor x) {
        Tensor h = first.forward(x);
        if (norm != null) {
            h = norm.forward(h);
        }
        return last.forward(h.relu());
    }
}
