package org.lovt.baselines;

import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;
import org.lovt.torch.TorchScript;

/** The baselines' losses, exactly as the libraries the original used compute them (spec lovt-data-eval §4.3-4.5). */
public final class BaselineLosses {
    /** The TorchScript source of the graphs. */
    public static final String GRAPHS = "native/baselines.torchscript";

    private BaselineLosses() {}

    /**
     * BYOL's symmetric loss (byol-pytorch): the batch mean of {@code (2 - 2 cos(p1, z2)) + (2 - 2 cos(p2, z1))}, where
     * {@code p1, p2} are the online predictions of the two views and {@code z1, z2} the target projections, which are
     * detached (the target network receives no gradient). PixelPro's instance loss is the same.
     */
    public static Tensor byol(Tensor p1, Tensor p2, Tensor z1, Tensor z2) {
        check("byol", p1, p2, z1, z2);
        return TorchScript.call(GRAPHS, "byol_loss", p1, p2, z1, z2)[0];
    }

    /**
     * SimCLR's NT-Xent (Spijkervet simclr): over the 2N rows of {@code cat(z_i, z_j)}, cosine similarities divided by
     * the temperature; the positive of row k is row k±N, the negatives all other rows but k; cross-entropy with the
     * positive as class 0, summed and divided by 2N. The original fixes N at construction (128); here N is the
     * batch's (the same for the full batches the original's drop_last gives).
     */
    public static Tensor ntXent(Tensor zi, Tensor zj, double temperature) {
        if (!(temperature > 0)) {
            throw new LovtException("NT-Xent temperature must be > 0, got " + temperature);
        }
        check("nt_xent", zi, zj);
        if (zi.size(0) < 2) {
            throw new LovtException("NT-Xent needs at least 2 samples per view (no negatives otherwise), got "
                    + zi.size(0));
        }
        return TorchScript.call(GRAPHS, "nt_xent", zi, zj, temperature)[0];
    }

    private static void check(String what, Tensor... ts) {
        long[] first = Tensors.shape(ts[0]);
        for (Tensor t : ts) {
            long[] s = Tensors.shape(t);
            if (s.length != 2 || !java.util.Arrays.equals(s, first) || s[0] < 1) {
                throw new LovtException(what + ": every input must be (B, d) with the same shape; got "
                        + java.util.Arrays.toString(first) + " and " + java.util.Arrays.toString(s));
            }
        }
    }
}
