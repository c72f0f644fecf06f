package org.lovt.train;

import org.lovt.data.PretrainingBatch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.model.AttentionStatistics;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.LocalRetrievalMetrics;
import org.lovt.model.LovtModel;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;

/**
 * LoVT pre-training with the original recipe (spec lovt-model §4.7): optimizer and LR schedule from the config,
 * gradient accumulation with Lightning 1.4's semantics (loss / k, a step every k batches and at the end of each
 * epoch), validation every epoch, early stopping and best/last checkpoints on the monitored metric, exact resume.
 *
 * <p>Reproducibility: batches depend only on (seed, epoch, index) (see {@link BatchSource}), and libtorch's
 * generator is re-seeded from (seed, batch counter) before every step, so a resumed run repeats the uninterrupted
 * one exactly without saving generator state.
 */
public final class Pretrainer {
    /** Run limits and logging. */
    public record Options(int maxEpochs, long maxOptimizerSteps, long checkpointEverySteps, int logEveryBatches,
                          PrintStream progress, long deadlineNanos, ValidationMetrics extraValidation) {
        public Options(int maxEpochs, long maxOptimizerSteps, long checkpointEverySteps, int logEveryBatches,
                       PrintStream progress) {
            this(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress, Long.MAX_VALUE, null);
        }

        /** The config's epochs, no step limit, checkpoints per epoch, Lightning's log interval (5). */
        public static Options of(int maxEpochs) {
            return new Options(maxEpochs, Long.MAX_VALUE, 0, 5, System.err);
        }

        public Options withMaxOptimizerSteps(long n) {
            return new Options(maxEpochs, n, checkpointEverySteps, logEveryBatches, progress, deadlineNanos,
                    extraValidation);
        }

        public Options withCheckpointEverySteps(long n) {
            return new Options(maxEpochs, maxOptimizerSteps, n, logEveryBatches, progress, deadlineNanos,
                    extraValidation);
        }

        /**
         * No epoch is started that would, at the pace of the previous one, end after {@code System.nanoTime()}
         * reaches {@code deadline} (a time budget; the run then depends on the machine's speed).
         */
        public Options withDeadline(long deadline) {
            return new Options(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress, deadline,
                    extraValidation);
        }

        /**
         * Metrics computed after each epoch's validation and logged with it under {@code val/} (for example a
         * localization score on held-out data). They are not monitored.
         */
        public Options withExtraValidation(ValidationMetrics metrics) {
            return new Options(maxEpochs, maxOptimizerSteps, checkpointEverySteps, logEveryBatches, progress,
                    deadlineNanos, metrics);
        }
    }

    /**
     * "epoch 3/100", or "epoch 3" for a run without an epoch limit ({@code maxEpochs} = {@link Integer#MAX_VALUE},
     * typically one limited by a deadline).
     */
    private String epochLabel(int epoch) {
        return options.maxEpochs() == Integer.MAX_VALUE ? "epoch " + (epoch + 1)
                : String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, options.maxEpochs());
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

    private final LovtModel model;
    private final BiModalModelConfig config;
    private final ReportPacker packer;
    private final BatchSource train;
    private final BatchSource validation;
    private final Checkpoints checkpoints;
    private final MetricsLog metrics;
    private final Device device;
    private final long seed;
    private final int accumulate;
    private final double clip;
    private final String monitor;
    private final double minDelta;
    private final int patience;
    private final Options options;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final long stepsPerEpoch;
    private final java.util.List<OnlineEvaluator> probes = new java.util.ArrayList<>();
    private final GradientGuard gradientGuard;

    public Pretrainer(org.lovt.train.PreTrainExperimentConfig experiment, LovtModel model, ReportPacker packer,
                      BatchSource train, BatchSource validation, Path runDir, Device device, Options options) {
        this.model = model;
        this.config = experiment.pretrainModel();
        this.packer = packer;
        this.train = train;
        this.validation = validation;
        this.device = device;
        this.seed = experiment.seed();
        this.accumulate = experiment.trainer().accumulateGradBatches();
        this.clip = experiment.trainer().gradientClipVal();
        this.monitor = experiment.monitorMetric();
        var es = experiment.callback().earlyStopping();
        this.minDelta = es != null ? es.minDelta() : 0;
        this.patience = es != null ? es.patience() : Integer.MAX_VALUE;
        this.options = options;
        this.checkpoints = new Checkpoints(runDir.resolve("checkpoints"));
        this.metrics = new MetricsLog(runDir);
        if (train.batchesPerEpoch() < 1) {
            throw new LovtException("the training split gives no batch of " + config.batchSize() + " samples");
        }
        this.stepsPerEpoch = (train.batchesPerEpoch() + accumulate - 1) / accumulate;
        this.optimizer = optimizer(model, config);
        this.gradientGuard = new GradientGuard(model);
        this.schedule = LrSchedule.of(config, stepsPerEpoch);
        experiment.onlineEval().forEach((name, c) -> {
            long d = switch (c.sourceModality()) {
                case A -> model.scanEncoder().localDim();
                case B -> model.reportEncoder().localDim();
                case A_AND_B -> model.scanEncoder().localDim() + model.reportEncoder().localDim();
            };
            OnlineEvaluator probe = new OnlineEvaluator(name, c, d);
            probe.to(device, false);
            probes.add(probe);
        });
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

    private void setLr(double lr) {
        for (long g = 0; g < optimizer.param_groups().size(); g++) {
            optimizer.param_groups().get(g).options().set_lr(lr);
        }
    }

    /** Trains until max epochs, the step limit or early stopping; continues from the last checkpoint if any. */
    public Result fit() {
        TrainState st = checkpoints.resolve(Checkpoints.LAST)
                .map(p -> Checkpoints.load(p, model, optimizer, extras())).orElse(TrainState.start());
        schedule.restore(st.schedule());
        boolean stopped = false;
        Map<String, Double> lastVal = Map.of();
        Map<String, Double> lastTrain = Map.of();
        Progress progress = new Progress(options.progress(), 10);
        long lastEpochNanos = 0;
        try {
            while (st.epoch() < options.maxEpochs() && !stopped && st.optimizerSteps() < options.maxOptimizerSteps()
                    && System.nanoTime() + lastEpochNanos < options.deadlineNanos()) {
                int epoch = st.epoch();
                long n = train.batchesPerEpoch();
                model.train(true);
                long start = System.nanoTime();
                long startBatch = st.batch();
                Iterator<PretrainingBatch> it = train.epoch(epoch, startBatch);
                for (long b = startBatch; b < n && it.hasNext(); b++) {
                    PretrainingBatch batch = it.next();
                    lastTrain = trainBatch(batch, st.microSteps());
                    boolean stepNow = (b + 1) % accumulate == 0 || b == n - 1;
                    long optSteps = st.optimizerSteps();
                    double lr = schedule.lr(optSteps);
                    if (stepNow) {
                        requireFiniteGradients(st.microSteps());
                        setLr(lr);
                        if (clip > 0) {
                            torch.clip_grad_norm_(model.parameters(true), clip);
                        }
                        optimizer.step();
                        optimizer.zero_grad();
                        optSteps++;
                    }
                    st = new TrainState(epoch, b + 1, st.microSteps() + 1, optSteps, st.best(), st.bestEpoch(),
                            st.stopBest(), st.badEpochs(), schedule.state());
                    if ((b + 1) % options.logEveryBatches() == 0 || b == n - 1) {
                        Map<String, Double> log = prefixed("train/", lastTrain);
                        log.put("optim_0/lr", lr);
                        metrics.log(epoch, optSteps, log);
                    }
                    progress.update(epochLabel(epoch) + " batch",
                            b + 1 - startBatch, n - startBatch, start, "batch", String.format(Locale.ROOT,
                                    "loss %.4f  lr %.2e  %.1f samples/s", lastTrain.get("total_loss"), lr,
                                    (b + 1 - startBatch) * (double) batch.size()
                                            / Math.max(1e-9, (System.nanoTime() - start) / 1e9)), false);
                    if (stepNow && options.checkpointEverySteps() > 0 && optSteps % options.checkpointEverySteps() == 0
                            && b + 1 < n) {
                        checkpoints.save(name(st), model, optimizer, st, extras(), Checkpoints.LAST);
                    }
                    if (optSteps >= options.maxOptimizerSteps()) {
                        break;
                    }
                }
                if (it instanceof AutoCloseable c) {
                    closeQuietly(c);
                }
                boolean epochDone = st.batch() >= n;
                if (!epochDone) {
                    checkpoints.save(name(st), model, optimizer, st, extras(), Checkpoints.LAST);
                    break;
                }
                lastVal = validate();
                StringBuilder extraText = new StringBuilder();
                if (options.extraValidation() != null) {
                    Map<String, Double> extra = options.extraValidation().compute(epoch);
                    extra.forEach((k, v) -> extraText.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
                    model.train(true);
                    Map<String, Double> all = new LinkedHashMap<>(lastVal);
                    extra.forEach((k, v) -> {
                        if (all.putIfAbsent(k, v) != null) {
                            throw new LovtException("extra validation metric '" + k
                                    + "' clashes with a built-in validation metric");
                        }
                    });
                    lastVal = all;
                }
                metrics.log(epoch, st.optimizerSteps(), prefixed("val/", lastVal));
                double value = monitored(lastVal);
                schedule.onValidation(value);
                boolean better = value < st.best();
                boolean esImproved = value < st.stopBest() - minDelta;
                int bad = esImproved ? 0 : st.badEpochs() + 1;
                st = new TrainState(epoch + 1, 0, st.microSteps(), st.optimizerSteps(),
                        better ? value : st.best(), better ? epoch : st.bestEpoch(),
                        esImproved ? value : st.stopBest(), bad, schedule.state());
                progress.update(epochLabel(epoch), n, n, start,
                        "batch", String.format(Locale.ROOT, "%s %.4f%s%s", monitor, value, better ? " (best)" : "",
                                extraText), true);
                lastEpochNanos = System.nanoTime() - start;
                checkpoints.save(name(st), model, optimizer, st, extras(), better
                        ? new String[] {Checkpoints.LAST, Checkpoints.BEST} : new String[] {Checkpoints.LAST});
                stopped = bad >= patience;
            }
        } finally {
            metrics.close();
        }
        return new Result(st, stopped, lastVal, lastTrain);
    }

    private java.util.List<Checkpoints.Extra> extras() {
        return probes.stream().map(p -> new Checkpoints.Extra("online_" + p.probeName(), p, p.optimizer())).toList();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new LovtException("cannot stop the data loader: " + e.getMessage(), e);
        }
    }

    private static String name(TrainState st) {
        return String.format(Locale.ROOT, "epoch%04d-step%08d", st.epoch(), st.optimizerSteps());
    }

    private double monitored(Map<String, Double> val) {
        String key = monitor.startsWith("val/") ? monitor.substring(4) : monitor;
        Double v = val.get(key);
        if (v == null) {
            throw new LovtException("monitor_metric '" + monitor + "' is not among the validation metrics "
                    + val.keySet());
        }
        return v;
    }

    /** One training batch: forward, loss / accumulate, backward. Returns the batch's losses and metrics. */
    private Map<String, Double> trainBatch(PretrainingBatch batch, long microStep) {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(seed * 1_000_003L + microStep);
            LovtModel.Output out = forward(batch);
            Map<String, Double> values = values(out);
            double total = values.get("total_loss");
            if (!Double.isFinite(total)) {
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "the loss became %s at batch %d of the run (losses %s); training stopped, no checkpoint was "
                                + "written after the last good one%s", total, microStep, values,
                        checkpoints.resolve(Checkpoints.LAST).map(p -> " (" + p + ")").orElse(" (there is none)")));
            }
            out.totalLoss().div(new Scalar((double) accumulate)).backward();
            if (!probes.isEmpty() && batch.chexpert() != null) {
                // As the original: an extra encoder pass in train mode on the same (augmented) batch, without
                // gradients; it updates the BatchNorm running statistics a second time.
                Tensor labels = Tensors.fromHost(batch.chexpert()).to(device, torch.ScalarType.Float);
                org.lovt.model.EncoderOutput a;
                org.lovt.model.EncoderOutput b;
                try (NoGradGuard g = new NoGradGuard()) {
                    a = model.scanEncoder().forward(Tensors.fromHost(batch.scans()).to(device, torch.ScalarType.Float));
                    b = model.reportEncoder().forward(toDevice(packer.pack(batch.sentences())));
                }
                for (OnlineEvaluator p : probes) {
                    values.put("online_" + p.probeName() + "_loss", p.trainStep(p.features(a, b), labels));
                }
            }
            return values;
        }
    }

    /** Stops the run before a non-finite gradient reaches the optimizer; names the parameters concerned. */
    private void requireFiniteGradients(long microStep) {
        java.util.List<String> bad = gradientGuard.nonFinite();
        if (!bad.isEmpty()) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "a gradient became NaN or infinite at batch %d of the run (the loss was finite) in %d parameter(s): "
                            + "%s; training stopped before the optimizer step, no checkpoint was written after the last "
                            + "good one%s", microStep, bad.size(), bad.size() > 8
                            ? String.join(", ", bad.subList(0, 8)) + ", ..." : String.join(", ", bad),
                    checkpoints.resolve(Checkpoints.LAST).map(p -> " (" + p + ")").orElse(" (there is none)")));
        }
    }

    private LovtModel.Output forward(PretrainingBatch batch) {
        Tensor scans = Tensors.fromHost(batch.scans()).to(device, torch.ScalarType.Float);
        ReportBatch reports = packer.pack(batch.sentences());
        return model.forward(scans, toDevice(reports));
    }

    private ReportBatch toDevice(ReportBatch r) {
        if (device.is_cpu()) {
            return r;
        }
        return new ReportBatch(r.inputIds().to(device, torch.ScalarType.Long),
                r.attentionMask().to(device, torch.ScalarType.Long),
                r.specialTokensMask().to(device, torch.ScalarType.Long),
                r.sentenceMask().to(device, torch.ScalarType.Bool),
                r.sentenceTokenIndex().to(device, torch.ScalarType.Long),
                r.sentenceTokenMask().to(device, torch.ScalarType.Bool), r.keptSentences());
    }

    private static Map<String, Double> values(LovtModel.Output out) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("total_loss", out.totalLoss().item_double());
        out.losses().forEach((k, t) -> v.put(k + "_loss", t.item_double()));
        out.metrics().forEach((k, t) -> v.put(k, t.item_double()));
        return v;
    }

    /**
     * Validation over the whole split in eval mode: means over samples of every loss and metric, LoVT's local
     * retrieval metrics and attention statistics ({@code att/…}), and the online probes.
     */
    public Map<String, Double> validate() {
        model.eval();
        Map<String, Double> sums = new LinkedHashMap<>();
        long count = 0;
        Map<String, LocalRetrievalMetrics> retrieval = new LinkedHashMap<>();
        for (String k : new String[] {"a_l2att_", "a_att2l_", "b_l2att_", "b_att2l_"}) {
            retrieval.put(k, new LocalRetrievalMetrics());
        }
        AttentionStatistics attention = new AttentionStatistics();
        try (NoGradGuard g = new NoGradGuard()) {
            Iterator<PretrainingBatch> it = validation.epoch(0, 0);
            try {
                while (it.hasNext()) {
                    count += validateBatch(it.next(), sums, retrieval, attention);
                }
            } finally {
                if (it instanceof AutoCloseable c) {
                    closeQuietly(c);
                }
            }
        } finally {
            model.train(true);
        }
        if (count == 0) {
            throw new LovtException("the validation split is empty");
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        long c = count;
        sums.forEach((k, v) -> mean.put(k, v / c));
        retrieval.forEach((prefix, r) -> mean.putAll(r.compute(prefix)));
        mean.putAll(attention.compute());
        probes.forEach(p -> mean.putAll(p.computeValidation()));
        if (!retrieval.get("a_l2att_").compute("").isEmpty()) {
            mean.put("a_avg_local_size", retrieval.get("a_l2att_").averageLocalSize());
        }
        if (!retrieval.get("b_l2att_").compute("").isEmpty()) {
            mean.put("b_avg_local_size", retrieval.get("b_l2att_").averageLocalSize());
        }
        return mean;
    }

    /** One validation batch: adds its losses (weighted by size), retrieval metrics and probe scores. */
    private int validateBatch(PretrainingBatch batch, Map<String, Double> sums,
                              Map<String, LocalRetrievalMetrics> retrieval, AttentionStatistics attention) {
        try (Scope s = Scope.open()) {
            LovtModel.Output out = forward(batch);
            values(out).forEach((k, v) -> sums.merge(k, v * batch.size(), Double::sum));
            if (batch.chexpert() != null) {
                Tensor labels = Tensors.fromHost(batch.chexpert()).to(device, torch.ScalarType.Float);
                for (OnlineEvaluator p : probes) {
                    p.validationStep(p.features(out.a(), out.b()), labels);
                }
            }
            if (out.attention() != null && out.attention().b2a() != null) {
                Tensor zl = out.projA().zl();
                Tensor att = out.attention().b2a();
                retrieval.get("a_l2att_").update(zl, att, null, out.a().weights());
                retrieval.get("a_att2l_").update(att, zl, null, out.a().weights());
            }
            if (out.attention() != null && out.attention().a2b() != null) {
                Tensor zl = out.projB().zl();
                Tensor att = out.attention().a2b();
                retrieval.get("b_l2att_").update(zl, att, out.b().mask(), out.b().weights());
                retrieval.get("b_att2l_").update(att, zl, out.b().mask(), out.b().weights());
            }
            if (out.attention() != null) {
                attention.update(out.attention().b2a() != null ? out.attention().probsB2a() : null,
                        out.attention().a2b() != null ? out.attention().probsA2b() : null, out.a().mask(),
                        out.b().mask());
            }
            return batch.size();
        }
    }

    private static Map<String, Double> prefixed(String prefix, Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
