package org.lovt.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything besides model and optimizer tensors that a run needs to continue exactly: where it is, the schedule's
 * and early stopping's state, and the best monitored value so far. Serialised as JSON in each checkpoint.
 *
 * @param epoch          current epoch (0-based)
 * @param batch          next batch of that epoch to run (0 = the epoch has not started)
 * @param microSteps     training batches run so far (seeds each step's dropout stream)
 * @param optimizerSteps optimizer steps taken so far (drives the LR schedule)
 * @param best           best monitored validation value, lower is better (negated in max mode; +∞ before the
 *                       first validation)
 * @param bestEpoch      epoch of {@code best} (−1 before the first validation)
 * @param stopBest       best monitored value by early stopping's rule (improvement by more than min_delta)
 * @param badEpochs      validations since early stopping last saw an improvement
 * @param schedule       the LR schedule's state
 */
public record TrainState(int epoch, long batch, long microSteps, long optimizerSteps, double best, int bestEpoch,
                         double stopBest, int badEpochs, Map<String, Double> schedule) {
    public static TrainState start() {
        return new TrainState(0, 0, 0, 0, Double.POSITIVE_INFINITY, -1, Double.POSITIVE_INFINITY, 0, Map.of());
    }

    public TrainState {
        schedule = Map.copyOf(new LinkedHashMap<>(schedule));
    }
}
