package org.lovt.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Precision;
import org.lovt.torch.Scope;

/**
 * The training loop, with Lightning 1.4's semantics: gradient accumulation (loss / k, an optimizer step every k
 * batches and at the end of each epoch), gradient clipping by norm, the learning rate from an {@link LrSchedule} set
 * before each step, validation after every epoch with the monitored metric tracked as {@link TrainState#best()}, and
 * limits on epochs, optimizer steps and wall time. Everything else (checkpoints, early stopping, logs, progress, the
 * NaN guard, probes) is a {@link TrainListener}.
 *
 * @param <B> the batch type
 */
public final class Trainer<B> {
    /**
     * Limits and optimisation settings.
     *
     * @param maxEpochs         epochs to train ({@link Integer#MAX_VALUE}: no limit)
     * @param maxOptimizerSteps optimizer steps to take at most (the run stops mid-epoch when reached)
     * @param deadlineNanos     no epoch is started that would, at the pace of the previous one, end after
     *                          {@link System#nanoTime()} reaches this ({@link Long#MAX_VALUE}: none)
     * @param accumulate        batches per optimizer step
     * @param gradientClip      maximum gradient norm (0: no clipping)
     * @param monitor           the monitored validation metric, with or without its {@code val/} prefix
     * @param mode              whether the monitored metric improves by going down ({@code MIN}: losses) or up
     *                          ({@code MAX}: mAP, Dice); in {@code MAX} mode the trainer tracks its negation, so
     *                          {@link TrainState#best()} is always "lower is better"
     */
    public record Settings(int maxEpochs, long maxOptimizerSteps, long deadlineNanos, int accumulate,
                           double gradientClip, String monitor, MonitorMode mode, Precision precision) {
        /** Settings monitoring a metric to minimise. */
        public Settings(int maxEpochs, long maxOptimizerSteps, long deadlineNanos, int accumulate,
                        double gradientClip, String monitor) {
            this(maxEpochs, maxOptimizerSteps, deadlineNanos, accumulate, gradientClip, monitor, MonitorMode.MIN);
        }

        /** Float32 settings. */
        public Settings(int maxEpochs, long maxOptimizerSteps, long deadlineNanos, int accumulate,
                        double gradientClip, String monitor, MonitorMode mode) {
            this(maxEpochs, maxOptimizerSteps, deadlineNanos, accumulate, gradientClip, monitor, mode,
                    Precision.fp32());
        }

        /**
         * These settings with mixed precision: the task runs its forward pass under {@code p.autocast()} and
         * differentiates {@code p.scaleLoss(loss)}; the trainer unscales the gradients before clipping, skips the
         * optimizer step when one is not finite, updates the scale, and keeps the scaler's state in the checkpoints.
         */
        public Settings withPrecision(Precision p) {
            return new Settings(maxEpochs, maxOptimizerSteps, deadlineNanos, accumulate, gradientClip, monitor, mode,
                    p);
        }

        public Settings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(precision, "precision");
            if (maxEpochs < 0 || maxOptimizerSteps < 0 || accumulate < 1 || gradientClip < 0) {
                throw new LovtException("invalid trainer settings: max epochs " + maxEpochs + ", max steps "
                        + maxOptimizerSteps + ", accumulate " + accumulate + ", gradient clip " + gradientClip);
            }
            Objects.requireNonNull(monitor, "monitor");
        }
    }

    /** How a run ended. */
    public record Result(TrainState state, boolean stoppedEarly, Map<String, Double> lastValidation,
                         Map<String, Double> lastTrain) {}

    private final TrainTask<B> task;
    private final BatchSource<B> train;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final Settings settings;
    private final List<TrainListener<? super B>> listeners = new ArrayList<>();

    public Trainer(TrainTask<B> task, BatchSource<B> train, Optimizer optimizer, LrSchedule schedule,
                   Settings settings) {
        this.task = task;
        this.train = train;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.settings = settings;
        if (train.batchesPerEpoch() < 1) {
            throw new LovtException("the training split gives no batch");
        }
    }

    /** Adds a listener; hooks run in the order listeners were added. */
    public Trainer<B> addListener(TrainListener<? super B> listener) {
        listeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Optimizer steps per epoch (the last one of an epoch may accumulate fewer batches). */
    public long stepsPerEpoch() {
        return (train.batchesPerEpoch() + settings.accumulate() - 1) / settings.accumulate();
    }

    /** Trains from {@code start} (a fresh or a restored state) until a limit or a listener stops the run. */
    public Result fit(TrainState start) {
        Fit fit = new Fit(start, settings.maxEpochs(), settings.monitor(), settings.mode());
        Map<String, Double> restored = new java.util.LinkedHashMap<>(start.schedule());
        settings.precision().restore(restored);
        restored.keySet().removeIf(k -> k.startsWith("amp_"));
        schedule.restore(restored);
        Throwable failure = null;
        try {
            listeners.forEach(l -> l.onFitStart(fit));
            long lastEpochNanos = 0;
            while (fit.state().epoch() < settings.maxEpochs() && !fit.stopRequested()
                    && fit.state().optimizerSteps() < settings.maxOptimizerSteps()
                    && System.nanoTime() + lastEpochNanos < settings.deadlineNanos()) {
                long epochStart = System.nanoTime();
                if (!trainEpoch(fit, epochStart)) {
                    listeners.forEach(l -> l.onTrainInterrupted(fit));
                    break;
                }
                validateEpoch(fit, epochStart);
                lastEpochNanos = System.nanoTime() - epochStart;
            }
            return new Result(fit.state(), fit.stopRequested(), fit.lastValidation(), fit.lastTrain());
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            for (TrainListener<? super B> l : listeners) {
                l.onFitEnd(fit, failure);
            }
        }
    }

    /** Trains the (rest of the) current epoch; false when the step limit cut it short. */
    private boolean trainEpoch(Fit fit, long start) {
        TrainState st = fit.state();
        int epoch = st.epoch();
        long n = train.batchesPerEpoch();
        int accumulate = settings.accumulate();
        long startBatch = st.batch();
        task.module().train(true);
        listeners.forEach(l -> l.onTrainEpochStart(fit, epoch, startBatch));
        Iterator<B> it = train.epoch(epoch, startBatch);
        long dataWait = 0; // the training thread's time blocked on the loader this epoch
        try {
            for (long b = startBatch; b < n; b++) {
                long asked = System.nanoTime();
                if (!it.hasNext()) {
                    break;
                }
                B batch = it.next();
                dataWait += System.nanoTime() - asked;
                Map<String, Double> metrics;
                try (Scope s = Scope.open()) {        // the batch's tensors, the listeners' included
                    metrics = new java.util.LinkedHashMap<>(task.trainStep(batch, fit.state().microSteps(),
                            accumulate));
                    for (TrainListener<? super B> l : listeners) {
                        l.afterBackward(fit, batch, metrics);
                    }
                }
                fit.lastTrain(metrics);
                boolean stepNow = (b + 1) % accumulate == 0 || b == n - 1;
                long optSteps = fit.state().optimizerSteps();
                double lr = schedule.lr(optSteps);
                if (stepNow) {
                    // With loss scaling, an overflow skips the step before any listener sees the gradients (the
                    // NaN guard would stop the run); finite gradients reach the listeners unscaled.
                    Precision precision = settings.precision();
                    boolean finite = precision.unscaleAndCheck(task.module().parameters(true));
                    if (finite) {
                        listeners.forEach(l -> l.beforeOptimizerStep(fit));
                    }
                    setLr(lr);
                    if (finite) {
                        if (settings.gradientClip() > 0) {
                            torch.clip_grad_norm_(task.module().parameters(true), settings.gradientClip());
                        }
                        optimizer.step();
                    } // else GradScaler's skipped step: the gradients overflowed in float16
                    precision.update(!finite);
                    if (precision.scales()) {
                        metrics.put("amp_scale", precision.scale());
                        metrics.put("amp_skipped_steps", (double) precision.skippedSteps());
                    }
                    optimizer.zero_grad();
                    optSteps++;
                }
                TrainState s = fit.state();
                fit.state(new TrainState(epoch, b + 1, s.microSteps() + 1, optSteps, s.best(), s.bestEpoch(),
                        s.stopBest(), s.badEpochs(), state()));
                TrainListener.BatchEnd end = new TrainListener.BatchEnd(epoch, b, n, startBatch, task.size(batch),
                        metrics, lr, stepNow, start, dataWait);
                listeners.forEach(l -> l.onTrainBatchEnd(fit, end));
                if (optSteps >= settings.maxOptimizerSteps()) {
                    break;
                }
            }
        } finally {
            BatchSource.stop(it);
        }
        return fit.state().batch() >= n;
    }

    private void validateEpoch(Fit fit, long start) {
        int epoch = fit.state().epoch();
        for (TrainListener<? super B> l : listeners) {
            l.onValidationStart(fit, epoch);
        }
        Map<String, Double> validation = new LinkedHashMap<>(task.validate());
        Map<String, Double> extra = new LinkedHashMap<>();
        for (TrainListener<? super B> l : listeners) {
            Map<String, Double> added = l.onValidationEnd(fit, epoch, Map.copyOf(validation));
            added.forEach((k, v) -> {
                if (validation.putIfAbsent(k, v) != null) {
                    throw new LovtException("extra validation metric '" + k + "' clashes with another validation "
                            + "metric");
                }
                extra.put(k, v);
            });
        }
        task.module().train(true);
        double raw = monitored(validation);
        double value = fit.lowerIsBetter(raw);
        schedule.onValidation(value, java.util.Collections.unmodifiableMap(validation));
        TrainState s = fit.state();
        boolean better = value < s.best();
        fit.state(new TrainState(epoch + 1, 0, s.microSteps(), s.optimizerSteps(), better ? value : s.best(),
                better ? epoch : s.bestEpoch(), s.stopBest(), s.badEpochs(), state()));
        Map<String, Double> all = java.util.Collections.unmodifiableMap(validation);
        fit.lastValidation(all);
        TrainListener.EpochEnd end = new TrainListener.EpochEnd(epoch, train.batchesPerEpoch(), all,
                java.util.Collections.unmodifiableMap(extra), raw, better, start);
        listeners.forEach(l -> l.onEpochEnd(fit, end));
    }

    /** The LR schedule's state with the loss scaler's ({@code amp_} keys), as checkpoints keep them. */
    private Map<String, Double> state() {
        Map<String, Double> m = new java.util.LinkedHashMap<>(schedule.state());
        m.putAll(settings.precision().state());
        return m;
    }

    private double monitored(Map<String, Double> val) {
        String monitor = settings.monitor();
        String key = monitor.startsWith("val/") ? monitor.substring(4) : monitor;
        Double v = val.get(key);
        if (v == null) {
            throw new LovtException("monitor_metric '" + monitor + "' is not among the validation metrics "
                    + val.keySet());
        }
        return v;
    }

    private void setLr(double lr) {
        for (long g = 0; g < optimizer.param_groups().size(); g++) {
            optimizer.param_groups().get(g).options().set_lr(lr);
        }
    }
}
