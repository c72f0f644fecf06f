package org.lovt.train;

/**
 * Early stopping as Lightning's {@code EarlyStopping} (mode min or max, as the trainer's): a validation improves when
 * the monitored value beats the best one by more than {@code min_delta}; after {@code patience} validations without
 * improvement the run stops. Its counters are part of {@link TrainState} ({@code stopBest}, {@code badEpochs}), so they survive a resume;
 * add it before {@link ModelCheckpoint} so the checkpoint of an epoch holds them.
 */
public final class EarlyStopping implements TrainListener<Object> {
    private final double minDelta;
    private final int patience;

    public EarlyStopping(double minDelta, int patience) {
        this.minDelta = minDelta;
        this.patience = patience;
    }

    /** From the config (null: never stops). */
    public static EarlyStopping of(EarlyStoppingConfig c) {
        return c == null ? new EarlyStopping(0, Integer.MAX_VALUE) : new EarlyStopping(c.minDelta(), c.patience());
    }

    @Override
    public void onEpochEnd(Fit fit, EpochEnd end) {
        TrainState s = fit.state();
        double value = fit.lowerIsBetter(end.monitored());
        boolean improved = value < s.stopBest() - minDelta;
        int bad = improved ? 0 : s.badEpochs() + 1;
        double stopBest = improved ? value : s.stopBest();
        fit.updateState(t -> new TrainState(t.epoch(), t.batch(), t.microSteps(), t.optimizerSteps(), t.best(),
                t.bestEpoch(), stopBest, bad, t.schedule()));
        if (bad >= patience) {
            fit.requestStop(bad + " validations without an improvement of " + fit.monitor() + " by more than "
                    + minDelta);
        }
    }
}
