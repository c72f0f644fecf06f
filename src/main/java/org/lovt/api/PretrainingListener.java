package org.lovt.api;

import java.util.Map;

/**
 * Follows a pre-training run. Callbacks run on the training thread, between steps; a slow listener slows training.
 * Metrics are plain numbers under the original's names ({@code total_loss}, {@code global_a2b}, ...).
 */
public interface PretrainingListener {
    /**
     * Before the first training step of the run (a resumed run calls it again, with the resumed weights).
     *
     * @param model the model about to be trained (a view sharing its weights; do not keep it beyond the call)
     */
    default void onStart(LovtEncoder model) {}

    /**
     * After a training batch.
     *
     * @param epoch           0-based epoch
     * @param batch           1-based batch within the epoch
     * @param batchesPerEpoch batches in an epoch
     * @param optimizerSteps  optimizer steps so far (fewer than batches with gradient accumulation)
     * @param learningRate    the learning rate of this batch's step
     * @param metrics         the batch's losses and metrics
     */
    default void onBatch(int epoch, long batch, long batchesPerEpoch, long optimizerSteps, double learningRate,
                         Map<String, Double> metrics) {}

    /**
     * When the training part of an epoch ends (before its validation), or a step limit cuts it short: where its
     * time went. A {@code dataWaitSeconds} of more than a few percent of {@code seconds} means the run waits for its
     * input (more loader workers or an image cache help).
     *
     * @param epoch           0-based epoch
     * @param batches         batches trained in this epoch by this process (fewer for a resumed epoch)
     * @param seconds         wall-clock seconds from the epoch's (or its remainder's) start to its last batch's end
     * @param dataWaitSeconds of those, the seconds the training thread waited for the data loader
     */
    default void onTrainEpochEnd(int epoch, long batches, double seconds, double dataWaitSeconds) {}

    /**
     * After an epoch's validation.
     *
     * @param epoch      0-based epoch
     * @param validation validation metrics (and any extra ones)
     * @param monitored  the value of the monitored metric ({@code val/total_loss} by default)
     * @param best       whether it is the best so far (the {@code best} checkpoint now points at this epoch)
     */
    default void onEpoch(int epoch, Map<String, Double> validation, double monitored, boolean best) {}
}
