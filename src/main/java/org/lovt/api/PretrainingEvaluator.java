package org.lovt.api;

import java.util.Map;

/**
 * Extra metrics computed on the model after each epoch's validation (for example a grounding score on held-out
 * data). They are logged with the validation metrics under {@code val/} and reach listeners' {@code onEpoch}, but
 * are not monitored for checkpoints or early stopping. Names must differ from the built-in validation metrics.
 */
@FunctionalInterface
public interface PretrainingEvaluator {
    /**
     * @param model the model being trained (a view sharing its weights; do not keep it beyond the call)
     * @param epoch the 0-based epoch just validated
     * @return metric name → value
     */
    Map<String, Double> evaluate(LovtEncoder model, int epoch);
}
