package org.lovt.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.TensorVector;
import org.lovt.data.PretrainingBatch;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.GlobalGather;
import org.lovt.model.LovtModel;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Precision;
import org.lovt.torch.dist.DistributedGroup;
import org.lovt.torch.dist.GradientSync;

/**
 * LoVT pre-training with the original recipe (spec lovt-model §4.7): the {@link Trainer} loop over a
 * {@link PretrainTask}, with the optimizer and LR schedule from the config and the original's callbacks as
 * listeners, in this order: the NaN guard ({@link GradientGuard}), the online probes, extra validation metrics,
 * {@link EarlyStopping}, the {@link MetricsLogger}, the {@link TrainProgress} line, {@link ModelCheckpoint} (best and
 * last), then the listeners added with {@link #addListener}. A run continues from its {@code last} checkpoint.
 *
 * <p>Reproducibility: batches depend only on (seed, epoch, index) (see {@link BatchSource}), and libtorch's
 * generator is re-seeded from (seed, batch counter) before every step, so a resumed run repeats the uninterrupted
 * one exactly without saving generator state.
 */
public final class Pretrainer {
    /** Run limits and logging. */
    public record Options(int maxEpochs, long maxOptimizerSteps, long checkpointEverySteps, int logEveryBatches,
                          PrintStream progress, long deadlineNanos, ValidationMetrics extraValidation,
                          DistributedGroup group) {
        public Options(int maxEpochs, long maxOptimizerSteps, long checkpointEverySteps, int logEveryBatches,
                       PrintStream progress, long deadlineNanos, ValidationMetrics extraValidation) {
            this(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress, deadlineNanos,
                    extraValidation, null);
        }

        public Options(int maxEpochs, long maxOptimizerSteps, long checkpointEverySteps, int logEveryBatches,
                       PrintStream progress) {
            this(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress, Long.MAX_VALUE, null);
        }

        /**
         * Data-parallel training in {@code group} (null: one process): the training batches must be this rank's
         * shard; rank 0's weights are broadcast and the gradients averaged over ranks every step; every rank
         * validates the whole validation split (so all take the same early-stopping and checkpoint decisions);
         * only rank 0 writes metrics, checkpoints and the progress line.
         */
        public Options withDistributed(DistributedGroup g) {
            return new Options(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress,
                    deadlineNanos, extraValidation, g);
        }

        /** Whether this process writes the run's files (one process, or rank 0). */
        public boolean writes() {
            return group == null || group.rank() == 0;
        }

        /** The config's epochs, no step limit, checkpoints per epoch, Lightning's log interval (5). */
        public static Options of(int maxEpochs) {
            return new Options(maxEpochs, Long.MAX_VALUE, 0, 5, System.err);
        }

        public Options withMaxOptimizerSteps(long n) {
            return new Options(maxEpochs, n, checkpointEverySteps, logEveryBatches, progress, deadlineNanos,
                    extraValidation, group);
        }

        public Options withCheckpointEverySteps(long n) {
            return new Options(maxEpochs, maxOptimizerSteps, n, logEveryBatches, progress, deadlineNanos,
                    extraValidation, group);
        }

        /**
         * No epoch is started that would, at the pace of the previous one, end after {@code System.nanoTime()}
         * reaches {@code deadline} (a time budget; the run then depends on the machine's speed).
         */
        public Options withDeadline(long deadline) {
            return new Options(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress, deadline,
                    extraValidation, group);
        }

        /**
         * Metrics computed after each epoch's validation and logged with it under {@code val/} (for example a
         * localization score on held-out data). They are not monitored.
         */
        public Options withExtraValidation(ValidationMetrics metrics) {
            return new Options(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress,
                    deadlineNanos, metrics, group);
        }
    }

    /** Extra per-epoch validation metrics. */
    @FunctionalInterface
    public interface ValidationMetrics {
        /** Metrics of the model after epoch {@code epoch} (0-based); the trainer restores train mode afterwards. */
        Map<String, Double> compute(int epoch);
    }

    /** How a run ended. */
    public record Result(TrainState state, boolean stoppedEarly, Map<String, Double> lastValidation,
                         Map<String, Double> lastTrain) {}

    private final Options options;
    private final Optimizer optimizer;
    private final PretrainTask task;
    private final OnlineProbes probes;
    private final Trainer<PretrainingBatch> trainer;
    private final ModelCheckpoint checkpoint;
    private final List<TrainListener<? super PretrainingBatch>> userListeners = new ArrayList<>();
    private final Checkpoints checkpoints;
    private final MetricsLog metrics;
    private final EarlyStopping earlyStopping;
    private final GradientGuard guard;
    private boolean fitted;
    private boolean localNegatives;

    public Pretrainer(PreTrainExperimentConfig experiment, LovtModel model, ReportPacker packer,
                      BatchSource<PretrainingBatch> train, BatchSource<PretrainingBatch> validation, Path runDir,
                      Device device, Options options) {
        BiModalModelConfig config = experiment.pretrainModel();
        this.options = options;
        if (train.batchesPerEpoch() < 1) {
            throw new org.lovt.LovtException("the training split gives no batch of " + config.batchSize()
                    + " samples");
        }
        int accumulate = experiment.trainer().accumulateGradBatches();
        this.optimizer = optimizer(model, config);
        this.probes = new OnlineProbes(experiment.onlineEval(), model, packer, device);
        this.task = new PretrainTask(model, packer, validation, device, experiment.seed(), probes);
        Precision precision = precision(experiment.trainer(), device, options.progress());
        task.precision(precision);
        this.trainer = new Trainer<>(task, train, optimizer,
                LrSchedule.of(config, (train.batchesPerEpoch() + accumulate - 1) / accumulate),
                new Trainer.Settings(options.maxEpochs(), options.maxOptimizerSteps(), options.deadlineNanos(),
                        accumulate, experiment.trainer().gradientClipVal(), experiment.monitorMetric())
                        .withPrecision(precision));
        this.checkpoints = new Checkpoints(runDir.resolve("checkpoints"));
        this.checkpoint = new ModelCheckpoint(checkpoints, model, optimizer, probes::extras,
                options.checkpointEverySteps(), options.progress());
        this.metrics = options.writes() ? new MetricsLog(runDir) : null;
        this.earlyStopping = EarlyStopping.of(experiment.callback().earlyStopping());
        this.guard = new GradientGuard(model, checkpoints);
    }

    /**
     * The arithmetic {@code trainer.precision} asks for on {@code device}: 16 → autocast to {@code amp_dtype} on
     * CUDA (float16 with loss scaling, as the original's native AMP, or bfloat16), and on the CPU only with
     * {@code amp_on_cpu} (else float32, as Lightning 1.4 offers AMP on GPUs only, and a note says so, once per
     * process); 32 and 64 →
     * float32.
     */
    private static final java.util.concurrent.atomic.AtomicBoolean CPU_PRECISION_NOTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    static Precision precision(TrainerConfig t, Device device, PrintStream notes) {
        if (t.precision() != 16) {
            return Precision.fp32();
        }
        Precision.Mode mode = t.ampDtype() == TrainerConfig.AmpDtype.BFLOAT16 ? Precision.Mode.BF16
                : Precision.Mode.FP16;
        boolean cuda = device.is_cuda();
        if (!cuda && !t.ampOnCpu()) {
            if (!CPU_PRECISION_NOTED.compareAndSet(false, true)) {
                return Precision.fp32();
            }
            notes.println("lovt: trainer.precision 16 runs in float32 on the CPU (the original's Lightning offers "
                    + "AMP on GPUs only); trainer.amp_on_cpu=true autocasts to " + t.ampDtype().name().toLowerCase(
                    java.util.Locale.ROOT) + " here too");
            return Precision.fp32();
        }
        return Precision.of(mode, cuda);
    }

    /** Adam (coupled L2) or AdamW (decoupled decay) over every parameter that requires a gradient. */
    static Optimizer optimizer(LovtModel model, BiModalModelConfig c) {
        TensorVector params = new TensorVector();
        var all = model.parameters(true);
        for (long i = 0; i < all.size(); i++) {
            if (all.get(i).requires_grad()) {
                params.push_back(all.get(i));
            }
        }
        return switch (c.optimizer()) {
            case ADAMW -> {
                AdamWOptions o = new AdamWOptions(c.learningRate());
                o.weight_decay().put(c.weightDecay());
                yield new AdamW(params, o);
            }
            case ADAM -> {
                AdamOptions o = new AdamOptions(c.learningRate());
                o.weight_decay().put(c.weightDecay());
                yield new Adam(params, o);
            }
        };
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * In a data-parallel run, compute the global loss over each process's own batch only (as PyTorch DDP does
     * without a gather), instead of over the gathered global batch (the default). Call before {@link #fit}.
     */
    public Pretrainer localNegatives(boolean on) {
        this.localNegatives = on;
        return this;
    }

    /** The global embeddings of every rank of {@code g} ({@link DistributedGroup#gatherRows}). */
    static GlobalGather gatherOver(DistributedGroup g) {
        return new GlobalGather() {
            @Override
            public org.bytedeco.pytorch.Tensor gather(org.bytedeco.pytorch.Tensor local) {
                return g.gatherRows(local);
            }

            @Override
            public int worldSize() {
                return g.worldSize();
            }
        };
    }

    /** The model being trained. */
    org.bytedeco.pytorch.Module module() {
        return task.module();
    }

    /**
     * Adds a listener after the built-in ones (so its {@code onEpochEnd} sees the epoch's checkpoints written and
     * its {@code onFitStart} sees the resumed state). Call before {@link #fit}.
     */
    public Pretrainer addListener(TrainListener<? super PretrainingBatch> listener) {
        userListeners.add(java.util.Objects.requireNonNull(listener));
        return this;
    }

    /** Trains until max epochs, the step limit or early stopping; continues from the last checkpoint if any. */
    public Result fit() {
        if (fitted) {
            throw new IllegalStateException("a Pretrainer runs once; make a new one to continue a run");
        }
        fitted = true;
        trainer.addListener(guard).addListener(probes);
        if (options.extraValidation() != null) {
            trainer.addListener(new ExtraValidation(options.extraValidation()::compute));
        }
        trainer.addListener(earlyStopping);
        if (options.writes()) {
            trainer.addListener(new MetricsLogger(metrics, options.logEveryBatches()))
                    .addListener(new TrainProgress(options.progress())).addListener(checkpoint);
        }
        userListeners.forEach(trainer::addListener);
        TrainState start;
        try {
            start = (options.writes() ? checkpoint.restore() : checkpoint.restoreReadOnly())
                    .orElse(TrainState.start());
            if (options.group() != null) {
                // After the restore, so that a resumed run starts from rank 0's (identical) checkpoint either way.
                task.distributed(new GradientSync(options.group(), task.module().parameters(true),
                        task.module().buffers(true)));
                if (!localNegatives && task.module() instanceof LovtModel m) {
                    m.gatherGlobal(gatherOver(options.group()));
                }
            }
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        Trainer.Result r = trainer.fit(start);
        return new Result(r.state(), r.stoppedEarly(), r.lastValidation(), r.lastTrain());
    }

    /**
     * Validation over the whole split in eval mode: means over samples of every loss and metric, LoVT's local
     * retrieval metrics and attention statistics ({@code att/…}), and the online probes.
     */
    public Map<String, Double> validate() {
        return task.validate();
    }
}
