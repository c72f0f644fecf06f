package org.lovt.train;

import java.util.Map;

import org.bytedeco.pytorch.Module;

/**
 * What a {@link Trainer} trains: a model with its forward pass, loss and validation. The trainer owns the loop,
 * accumulation, the optimizer and the schedule; the task owns the numbers.
 *
 * @param <B> the batch type
 */
public interface TrainTask<B> {
    /** The trained module: its parameters are clipped and checkpointed. */
    Module module();

    /**
     * Forward pass, loss divided by {@code accumulate}, backward pass on one batch. Returns the batch's losses and
     * metrics (a mutable map, including {@code total_loss}). {@code microStep} counts training batches over the run
     * and seeds the batch's random streams, so a resumed run repeats an uninterrupted one.
     */
    Map<String, Double> trainStep(B batch, long microStep, int accumulate);

    /** Metrics over the whole validation split, in eval mode; restores train mode before returning. */
    Map<String, Double> validate();

    /** The number of samples in a batch. */
    int size(B batch);
}
