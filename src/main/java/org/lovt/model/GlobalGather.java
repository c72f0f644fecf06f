package org.lovt.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Gathers the global embeddings of a data-parallel job so that the global contrastive loss sees the whole global
 * batch as negatives (large-batch CLIP-style training). Set on a {@link LovtModel} with
 * {@link LovtModel#gatherGlobal(GlobalGather)}.
 */
public interface GlobalGather {
    /**
     * Every process's {@code (B, d)} rows, in rank order, as one {@code (world · B, d)} tensor in which this
     * process's own rows are {@code local} itself (they carry its gradient) and the others' are constants.
     */
    Tensor gather(Tensor local);

    /** Number of processes whose rows {@link #gather} returns. */
    int worldSize();
}
