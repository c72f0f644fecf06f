package org.lovt.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the run's metrics to {@link MetricsLog} ({@code metrics.csv}, {@code metrics.jsonl}): the training batch's
 * metrics under {@code train/} and the learning rate as {@code optim_0/lr} every {@code everyBatches} batches and at
 * the end of each epoch (Lightning's {@code log_every_n_steps}), every validation under {@code val/}.
 */
public final class MetricsLogger implements TrainListener<Object> {
    private final MetricsLog log;
    private final int everyBatches;

    public MetricsLogger(MetricsLog log, int everyBatches) {
        if (everyBatches < 1) {
            throw new IllegalArgumentException("log interval must be at least 1 batch: " + everyBatches);
        }
        this.log = log;
        this.everyBatches = everyBatches;
    }

    @Override
    public void onTrainBatchEnd(Fit fit, BatchEnd end) {
        if ((end.batch() + 1) % everyBatches == 0 || end.lastOfEpoch()) {
            Map<String, Double> values = prefixed("train/", end.metrics());
            values.put("optim_0/lr", end.learningRate());
            log.log(end.epoch(), fit.state().optimizerSteps(), values);
        }
    }

    @Override
    public void onEpochEnd(Fit fit, EpochEnd end) {
        log.log(end.epoch(), fit.state().optimizerSteps(), prefixed("val/", end.validation()));
    }

    @Override
    public void onFitEnd(Fit fit, Throwable failure) {
        log.close();
    }

    static Map<String, Double> prefixed(String prefix, Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
