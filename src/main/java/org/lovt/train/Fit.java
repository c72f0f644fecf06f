package org.lovt.train;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The state of one {@link Trainer#fit} shared with its listeners: where the run is ({@link TrainState}, which
 * checkpoints persist), the last train and validation metrics, and whether a listener asked to stop.
 */
public final class Fit {
    private final int maxEpochs;
    private final String monitor;
    private final MonitorMode mode;
    private TrainState state;
    private Map<String, Double> lastTrain = Map.of();
    private Map<String, Double> lastValidation = Map.of();
    private String stopReason;

    Fit(TrainState state, int maxEpochs, String monitor, MonitorMode mode) {
        this.mode = mode;
        this.state = Objects.requireNonNull(state);
        this.maxEpochs = maxEpochs;
        this.monitor = monitor;
    }

    /** Where the run is now. */
    public TrainState state() {
        return state;
    }

    /**
     * Changes the run state (for a listener that owns part of it, like early stopping); the change is in every
     * checkpoint written after it.
     */
    public void updateState(UnaryOperator<TrainState> change) {
        state = Objects.requireNonNull(change.apply(state));
    }

    void state(TrainState s) {
        state = s;
    }

    /** The epoch limit ({@link Integer#MAX_VALUE} when there is none). */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** Whether the monitored metric improves by going down or up. */
    public MonitorMode mode() {
        return mode;
    }

    /** A monitored value oriented so that lower is better (negated in {@code MAX} mode). */
    public double lowerIsBetter(double monitored) {
        return mode == MonitorMode.MAX ? -monitored : monitored;
    }

    /** The monitored validation metric, as configured (e.g. {@code val/total_loss}). */
    public String monitor() {
        return monitor;
    }

    public Map<String, Double> lastTrain() {
        return lastTrain;
    }

    void lastTrain(Map<String, Double> m) {
        lastTrain = Map.copyOf(m);
    }

    public Map<String, Double> lastValidation() {
        return lastValidation;
    }

    void lastValidation(Map<String, Double> m) {
        lastValidation = m;
    }

    /** Ends the run after the current epoch; the first reason given is kept. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = Objects.requireNonNull(reason);
        }
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why a listener stopped the run, or null. */
    public String stopReason() {
        return stopReason;
    }
}
