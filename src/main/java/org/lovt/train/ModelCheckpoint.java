package org.lovt.train;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Optimizer;

/**
 * The checkpoint policy (the original's {@code ModelCheckpoint} with {@code save_last}): after every epoch a
 * checkpoint that {@code last} points at, and {@code best} too when the monitored metric improved; when the step
 * limit cuts an epoch short, a {@code last} checkpoint to resume from; optionally one every N optimizer steps. Only
 * the checkpoints a pointer names are kept (see {@link Checkpoints}).
 */
public final class ModelCheckpoint implements TrainListener<Object> {
    private final Checkpoints checkpoints;
    private final Module model;
    private final Optimizer optimizer;
    private final Supplier<List<Checkpoints.Extra>> extras;
    private final long everySteps;
    private final java.io.PrintStream warnings;

    /**
     * @param everySteps also a {@code last} checkpoint every that many optimizer steps within an epoch (0: only
     *                   at epoch ends)
     * @param extras     further modules saved with the model (online probes)
     */
    public ModelCheckpoint(Checkpoints checkpoints, Module model, Optimizer optimizer,
                           Supplier<List<Checkpoints.Extra>> extras, long everySteps) {
        this(checkpoints, model, optimizer, extras, everySteps, System.err);
    }

    /** @param warnings where a damaged checkpoint's warning goes (the run's log) */
    public ModelCheckpoint(Checkpoints checkpoints, Module model, Optimizer optimizer,
                           Supplier<List<Checkpoints.Extra>> extras, long everySteps, java.io.PrintStream warnings) {
        this.warnings = warnings;
        this.checkpoints = checkpoints;
        this.model = model;
        this.optimizer = optimizer;
        this.extras = extras;
        this.everySteps = everySteps;
    }

    /**
     * The state of the {@code last} checkpoint, with model, optimizer and extras loaded from it, if there is one; a
     * {@code last} whose files do not match their checksums gives way to the previous checkpoint, with a warning.
     */
    public Optional<TrainState> restore() {
        checkpoints.discardUnfinished();
        return restoreReadOnly();
    }

    /**
     * {@link #restore()} without removing unfinished checkpoint folders: for the other ranks of a data-parallel
     * run, which read rank 0's checkpoints and never write.
     */
    public Optional<TrainState> restoreReadOnly() {
        return checkpoints.resolveIntact(Checkpoints.LAST, warnings)
                .map(p -> Checkpoints.load(p, model, optimizer, extras.get()));
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    @Override
    public void onTrainBatchEnd(Fit fit, BatchEnd end) {
        long steps = fit.state().optimizerSteps();
        if (end.stepped() && everySteps > 0 && steps % everySteps == 0 && !end.lastOfEpoch()) {
            save(fit.state(), Checkpoints.LAST);
        }
    }

    @Override
    public void onTrainInterrupted(Fit fit) {
        save(fit.state(), Checkpoints.LAST);
    }

    @Override
    public void onEpochEnd(Fit fit, EpochEnd end) {
        if (end.best()) {
            save(fit.state(), Checkpoints.LAST, Checkpoints.BEST);
        } else {
            save(fit.state(), Checkpoints.LAST);
        }
    }

    private void save(TrainState st, String... pointers) {
        checkpoints.save(name(st), model, optimizer, st, extras.get(), pointers);
    }

    static String name(TrainState st) {
        return String.format(Locale.ROOT, "epoch%04d-step%08d", st.epoch(), st.optimizerSteps());
    }
}
