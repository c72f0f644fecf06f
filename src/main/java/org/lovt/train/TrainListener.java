package org.lovt.train;

import java.util.Map;

/**
 * A piece of training behaviour around the {@link Trainer}'s loop (Lightning's callbacks): checkpointing, early
 * stopping, metrics logging, progress, the NaN guard, extra validation metrics, online probes, or a user's own.
 * Hooks run on the training thread in the order the listeners were added; every hook has an empty default.
 *
 * @param <B> the batch type (a listener of {@code Object} batches fits any trainer)
 */
public interface TrainListener<B> {
    /** Once, before the first batch, after the run state was restored (a resumed run sees its resumed state). */
    default void onFitStart(Fit fit) {}

    /** Before the first batch of an epoch (or of its remainder, for a resumed epoch). */
    default void onTrainEpochStart(Fit fit, int epoch, long firstBatch) {}

    /**
     * After the batch's forward and backward pass, before any optimizer step. {@code metrics} (the batch's losses
     * and metrics) may be added to; it is what is logged and shown for the batch.
     */
    default void afterBackward(Fit fit, B batch, Map<String, Double> metrics) {}

    /** Before the optimizer applies the accumulated gradients (throwing here prevents the step). */
    default void beforeOptimizerStep(Fit fit) {}

    /** After a training batch and the optimizer step it may have triggered; {@link Fit#state()} includes it. */
    default void onTrainBatchEnd(Fit fit, BatchEnd end) {}

    /** The epoch was cut short by the step limit; the state names the next batch to run. */
    default void onTrainInterrupted(Fit fit) {}

    /** Before an epoch's validation starts. */
    default void onValidationStart(Fit fit, int epoch) {}

    /**
     * After an epoch's validation, before the monitored metric is read: returns extra metrics to add to the
     * validation (empty by default). A name that is already taken fails the run.
     */
    default Map<String, Double> onValidationEnd(Fit fit, int epoch, Map<String, Double> validation) {
        return Map.of();
    }

    /** After an epoch's validation was monitored; {@link Fit#state()} points at the next epoch. */
    default void onEpochEnd(Fit fit, EpochEnd end) {}

    /** Once, when the loop ends, normally or by an exception ({@code failure} non-null). */
    default void onFitEnd(Fit fit, Throwable failure) {}

    /**
     * A training batch that has been run.
     *
     * @param epoch           0-based epoch
     * @param batch           0-based index of the batch in the epoch
     * @param batchesPerEpoch batches in the epoch
     * @param firstBatch      the batch this (possibly resumed) epoch started at
     * @param samples         samples in the batch
     * @param metrics         the batch's losses and metrics
     * @param learningRate    the learning rate of the batch's optimizer step
     * @param stepped         whether the optimizer stepped after this batch
     * @param epochStartNanos {@link System#nanoTime()} when the epoch (or its remainder) started
     * @param dataWaitNanos   how long the training thread waited for the loader's batches in this epoch (or its
     *                        remainder) so far, this batch included
     */
    record BatchEnd(int epoch, long batch, long batchesPerEpoch, long firstBatch, int samples,
                    Map<String, Double> metrics, double learningRate, boolean stepped, long epochStartNanos,
                    long dataWaitNanos) {
        public BatchEnd {
            metrics = Map.copyOf(metrics);
        }

        /** The share of the epoch's time so far spent waiting for data, in [0, 1]. */
        public double dataWaitFraction() {
            long elapsed = System.nanoTime() - epochStartNanos;
            return elapsed <= 0 ? 0 : Math.min(1.0, (double) dataWaitNanos / elapsed);
        }

        /** Whether this is the last batch of the epoch. */
        public boolean lastOfEpoch() {
            return batch == batchesPerEpoch - 1;
        }
    }

    /**
     * An epoch that has been trained and validated.
     *
     * @param epoch           0-based epoch
     * @param batchesPerEpoch batches in the epoch
     * @param validation      every validation metric, extra ones included
     * @param extra           the metrics the listeners added in {@link #onValidationEnd}
     * @param monitored       the monitored metric's value
     * @param best            whether it improved on the best value so far
     * @param epochStartNanos {@link System#nanoTime()} when the epoch (or its remainder) started
     */
    record EpochEnd(int epoch, long batchesPerEpoch, Map<String, Double> validation, Map<String, Double> extra,
                    double monitored, boolean best, long epochStartNanos) {}
}
