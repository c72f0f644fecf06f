package org.lovt.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Parameter-free aggregators over the element axis of (B, N, d) features, with an optional (B, N) bool mask. */
final class Pooling {
    private Pooling() {}

    /** Element-wise max over valid elements (masked ones get −∞ first); (B, N, d) → (B, d). */
    static Tensor max(Tensor x, Tensor mask) {
        Tensor masked = mask == null ? x
                : x.masked_fill(mask.logical_not().unsqueeze(-1), new org.bytedeco.pytorch.Scalar(Float.NEGATIVE_INFINITY));
        return masked.amax(new long[] {1}, false);
    }

    /** Mean over elements; with a mask the zero-filled sum is divided by N, as the original's GlobalAvgPool. */
    static Tensor avg(Tensor x, Tensor mask) {
        Tensor filled = mask == null ? x : x.mul(mask.unsqueeze(-1).to(x.scalar_type()));
        return filled.mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
