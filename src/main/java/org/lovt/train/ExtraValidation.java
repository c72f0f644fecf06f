package org.lovt.train;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * Metrics computed after each epoch's validation and logged with it under {@code val/} (for example a localization
 * score on held-out data). They may be monitored; a name that is already a validation metric fails the run. The
 * trainer restores train mode afterwards.
 */
public final class ExtraValidation implements TrainListener<Object> {
    private final IntFunction<Map<String, Double>> metrics;

    /** {@code metrics} maps the 0-based epoch to the metrics of the model after it. */
    public ExtraValidation(IntFunction<Map<String, Double>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public Map<String, Double> onValidationEnd(Fit fit, int epoch, Map<String, Double> validation) {
        return metrics.apply(epoch);
    }
}
