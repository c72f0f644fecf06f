package org.lovt.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a pre-training run ended.
 *
 * @param runDir         the run folder (load it with {@link LovtEncoder#fromRun})
 * @param epochs         completed epochs
 * @param optimizerSteps optimizer steps taken
 * @param stoppedEarly   whether early stopping ended the run
 * @param monitorMetric  the monitored metric's name ({@code val/total_loss} by default)
 * @param best           its best value (infinite when no epoch completed)
 * @param bestEpoch      0-based epoch of the best value (-1 when none)
 * @param lastValidation the last validation's metrics
 * @param backbone       the exported scan backbone, or null when no checkpoint exists yet
 */
public record PretrainingResult(Path runDir, int epochs, long optimizerSteps, boolean stoppedEarly,
                                String monitorMetric, double best, int bestEpoch, Map<String, Double> lastValidation,
                                Path backbone) {
    public PretrainingResult {
        lastValidation = Map.copyOf(lastValidation);
    }
}
