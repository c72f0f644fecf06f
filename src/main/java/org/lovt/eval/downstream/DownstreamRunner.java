package org.lovt.eval.downstream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.data.DataLoader;
import org.lovt.data.LoaderOptions;
import org.lovt.data.SampleSource;
import org.lovt.data.datasets.downstream.DownstreamSample;
import org.lovt.data.datasets.downstream.DownstreamSplit;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.eval.metrics.BoxTarget;
import org.lovt.torch.DType;
import org.lovt.torch.Devices;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.train.BatchSource;
import org.lovt.train.Checkpoints;
import org.lovt.train.EarlyStopping;
import org.lovt.train.GradientGuard;
import org.lovt.train.MetricsLog;
import org.lovt.train.MetricsLogger;
import org.lovt.train.ModelCheckpoint;
import org.lovt.train.MonitorMode;
import org.lovt.train.TrainProgress;
import org.lovt.train.TrainState;
import org.lovt.train.TrainTask;
import org.lovt.train.Trainer;
import org.lovt.util.AtomicFiles;
import org.lovt.util.ProgressLine;
import org.lovt.vision.ResNet;

/**
 * One downstream evaluation run (spec lovt-data-eval §3.2): a head on a backbone, trained with Adam (L2 weight decay
 * 1e-6) on the task's training subset with validation after every epoch, ReduceLROnPlateau on the validation loss,
 * early stopping and the best checkpoint on the task's monitored metric (maximised), then the best checkpoint tested
 * on the full test split.
 *
 * <p><b>Frozen backbones</b> run in eval mode under no-grad. As the inputs are deterministic (no augmentation in any
 * task), their feature maps are computed once per image and read back every epoch (the original recomputes them every
 * epoch); {@link Settings#cacheFeatures()} switches this off. Fine-tuning tasks freeze the backbone for the first
 * {@code warmupSteps} batches at lr 1e-3, then train everything at the task's lr, reset before every batch as the
 * original does.
 *
 * <p><b>The run folder</b> is built as {@code <out>.incomplete} and renamed to {@code <out>} once
 * {@code test_results.json} is written, so a folder under the requested name is always a finished run. It holds
 * {@code evaluation.json} (the resolved settings), {@code metrics.jsonl}/{@code metrics.csv}, the checkpoints
 * ({@code checkpoints/best}, {@code checkpoints/last}) and {@code test_results.json}.
 */
public final class DownstreamRunner {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Suffix of a run folder under construction. */
    public static final String INCOMPLETE = ".incomplete";
    /** The results file, written last. */
    public static final String TEST_RESULTS = "test_results.json";

    /**
     * How to run a task.
     *
     * @param task             the task (its protocol numbers)
     * @param learningRate     the lr (the task's config lr unless given)
     * @param seed             seeds the head's initialisation and the shuffling
     * @param inputSize        the backbone's input side (224 in every task; smaller for tests)
     * @param batchSize        samples per batch (the task's unless changed)
     * @param maxEpochs        the epoch limit (the task's unless changed)
     * @param headWidthDivisor divides the YOLOv3 head's internal widths (1 = the original; tests use more)
     * @param linearLayer      the feature map the linear head reads: the backbone's pre-training region feature
     *                         layer, as the original ({@code conv5} for every shipped encoder)
     * @param workers          loader threads for decoding images
     * @param cacheFeatures    frozen tasks: compute the backbone's features once per image
     * @param cacheMemory      bytes the feature cache may hold on the heap before it spills to a file
     * @param device           where the model runs
     * @param log              progress and messages
     */
    public record Settings(DownstreamTask task, double learningRate, long seed, int inputSize, int batchSize,
                           int maxEpochs, int headWidthDivisor, String linearLayer, int workers, boolean cacheFeatures, long cacheMemory,
                           Device device, PrintStream log) {
        public Settings {
            Objects.requireNonNull(task, "task");
            if (!ResNet.FEATURES.contains(linearLayer)) {
                throw new LovtException("linear head layer '" + linearLayer + "' is not one of " + ResNet.FEATURES);
            }
            if (!(learningRate > 0) || inputSize < 32 || inputSize % 32 != 0 || batchSize < 1 || maxEpochs < 1
                    || headWidthDivisor < 1 || workers < 0) {
                throw new LovtException("invalid evaluation settings: lr " + learningRate + ", input size "
                        + inputSize + " (a positive multiple of 32), batch size " + batchSize + ", max epochs "
                        + maxEpochs + ", head width divisor " + headWidthDivisor + ", workers " + workers);
            }
        }

        /** The task's own settings with {@code lr} and {@code seed}, on the best device. */
        public static Settings of(DownstreamTask task, double lr, long seed, PrintStream log) {
            return new Settings(task, lr, seed, DownstreamTask.INPUT_SIZE, task.batchSize(), task.maxEpochs(), 1,
                    "conv5", Math.max(1, Runtime.getRuntime().availableProcessors() - 1), true,
                    Runtime.getRuntime().maxMemory() / 3, Devices.best(), log);
        }
    }

    /**
     * What a run gave.
     *
     * @param runDir         the finished run folder
     * @param test           the best checkpoint's metrics on the test split (keys {@code test/<metric>})
     * @param bestValidation the best epoch's validation metrics (keys {@code val/<metric>})
     * @param bestEpoch      that epoch (0-based)
     * @param epochs         epochs trained
     * @param stoppedEarly   whether early stopping ended the run
     */
    public record Result(Path runDir, Map<String, Double> test, Map<String, Double> bestValidation, int bestEpoch,
                         int epochs, boolean stoppedEarly) {
        /** The task's headline test metric. */
        public double headline(DownstreamTask task) {
            return test.get("test/" + task.reported().get(0));
        }
    }

    private DownstreamRunner() {}

    /**
     * Runs the task on {@code backbone} (its weights are trained in place for fine-tuning tasks) and writes the run
     * folder {@code out}, which must not exist. The head is initialised from libtorch's generator as it stands:
     * seed it (and build a random backbone) before, as the original's {@code seed_everything} does.
     *
     * @param backboneSource how the backbone was obtained, recorded in {@code evaluation.json}
     */
    public static Result run(Settings s, ResNet backbone, String backboneSource, PreparedDownstream data, Path out) {
        // One writer per run folder: a second evaluation into the same folder is refused while this one runs (it
        // would otherwise clear this one's incomplete folder).
        try (org.lovt.util.FolderLock lock = org.lovt.util.FolderLock.acquireBeside(out, "lovt evaluate "
                + s.task().key())) {
            return runLocked(s, backbone, backboneSource, data, out);
        }
    }

    private static Result runLocked(Settings s, ResNet backbone, String backboneSource, PreparedDownstream data,
                                    Path out) {
        DownstreamTask task = s.task();
        if (!data.dataset().equals(task.dataset())) {
            throw new LovtException(data.dir() + ": holds the '" + data.dataset() + "' data set, task " + task.key()
                    + " needs '" + task.dataset() + "'");
        }
        if (task.head().detection() && !data.hasBoxes()) {
            throw new LovtException(data.dir() + ": has no boxes, task " + task.key() + " is a detection task");
        }
        Path incomplete = out.resolveSibling(out.getFileName() + INCOMPLETE);
        if (Files.exists(out)) {
            throw new LovtException(out + ": already exists (choose another --out or remove it)");
        }
        DownstreamSplit train = data.split(SplitName.TRAIN, task.trainFraction(), s.inputSize());
        DownstreamSplit val = data.split(SplitName.VALIDATION, task.valFraction(), s.inputSize());
        DownstreamSplit test = data.split(SplitName.TEST, null, s.inputSize());
        if (train.size() < s.batchSize()) {
            throw new LovtException(data.dir() + ": the training subset has " + train.size() + " images, fewer than one "
                    + "batch of " + s.batchSize() + " (the original drops the last incomplete batch)");
        }
        if (val.size() == 0 || test.size() == 0) {
            throw new LovtException(data.dir() + ": the validation or test split is empty");
        }
        try {
            deleteRecursively(incomplete);
            Files.createDirectories(incomplete);
        } catch (IOException e) {
            throw new LovtException(incomplete + ": cannot create the run folder: " + e.getMessage(), e);
        }
        HeadAdapter head = Heads.create(task, backbone, data.targets(), s);
        DownstreamModel model = new DownstreamModel(backbone, head);
        model.to(s.device(), false);
        writeSettings(incomplete.resolve("evaluation.json"), s, backboneSource, data, train, val, test, model, head);
        Result result;
        try (Run run = new Run(s, model, head, train, val, test, incomplete)) {
            result = run.execute();
        }
        try {
            Files.move(incomplete, out);
        } catch (IOException e) {
            throw new LovtException("cannot rename " + incomplete + " to " + out + ": " + e.getMessage(), e);
        }
        return new Result(out, result.test(), result.bestValidation(), result.bestEpoch(), result.epochs(),
                result.stoppedEarly());
    }

    private static void writeSettings(Path file, Settings s, String backboneSource, PreparedDownstream data,
                                      DownstreamSplit train, DownstreamSplit val, DownstreamSplit test,
                                      DownstreamModel model, HeadAdapter head) {
        DownstreamTask t = s.task();
        ObjectNode n = JSON.createObjectNode();
        n.put("task", t.key());
        n.put("eval_name", t.evalName());
        n.put("dataset", t.dataset());
        n.put("data", data.dir().toAbsolutePath().toString());
        n.put("backbone", backboneSource);
        n.put("head", t.head().name().toLowerCase(java.util.Locale.ROOT));
        n.put("frozen", t.frozen());
        n.put("learning_rate", s.learningRate());
        n.put("seed", s.seed());
        n.put("input_size", s.inputSize());
        n.put("batch_size", s.batchSize());
        n.put("max_epochs", s.maxEpochs());
        n.put("frozen_warmup_steps", t.warmupSteps());
        n.put("warmup_lr", DownstreamTask.WARMUP_LR);
        n.put("weight_decay", DownstreamTask.WEIGHT_DECAY);
        n.put("early_stopping_patience", t.patience());
        n.put("min_delta", DownstreamTask.MIN_DELTA);
        n.put("monitor", t.monitorKey());
        n.put("original_monitor", t.originalMonitor());
        n.put("head_width_divisor", s.headWidthDivisor());
        if (t.head() == DownstreamTask.Head.LINEAR) {
            n.put("linear_layer", s.linearLayer());
        }
        n.put("feature_cache", t.frozen() && s.cacheFeatures());
        n.put("train_samples", train.size());
        n.put("val_samples", val.size());
        n.put("test_samples", test.size());
        n.put("head_parameters", org.lovt.nn.Modules.parameterCount(head.module(), false));
        n.put("model_parameters", org.lovt.nn.Modules.parameterCount(model, false));
        n.put("device", Devices.name(s.device()));
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(n) + "\n");
        } catch (IOException e) {
            throw new LovtException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The training, validation and test of one run. */
    private static final class Run implements TrainTask<EvalBatch>, AutoCloseable {
        private final Settings s;
        private final DownstreamTask task;
        private final DownstreamModel model;
        private final HeadAdapter head;
        private final Path dir;
        private final Splits train;
        private final Splits val;
        private final Splits test;
        private final EvalSchedule schedule;
        private final List<AutoCloseable> closeables = new ArrayList<>();
        private final boolean cached;
        /** The validation metrics of the best epoch so far. */
        private final Map<String, Double> bestValidation = new LinkedHashMap<>();

        Run(Settings s, DownstreamModel model, HeadAdapter head, DownstreamSplit train, DownstreamSplit val,
            DownstreamSplit test, Path dir) {
            this.s = s;
            this.task = s.task();
            this.model = model;
            this.head = head;
            this.dir = dir;
            this.cached = task.frozen() && s.cacheFeatures();
            this.schedule = new EvalSchedule(s.learningRate(), task.warmupSteps(), "loss");
            this.train = new Splits("train", train, true);
            this.val = new Splits("validation", val, false);
            this.test = new Splits("test", test, false);
        }

        Result execute() {
            if (cached) {
                for (Splits sp : List.of(train, val, test)) {
                    sp.cache();
                }
            }
            List<Tensor> params = new ArrayList<>();
            TensorVector pv = (task.frozen() ? head.module() : model).parameters(true);
            for (long i = 0; i < pv.size(); i++) {
                params.add(pv.get(i));
            }
            AdamOptions o = new AdamOptions(schedule.lr(0));
            o.weight_decay().put(DownstreamTask.WEIGHT_DECAY);
            Optimizer optimizer = new Adam(new TensorVector(params.toArray(new Tensor[0])), o);
            Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"));
            MetricsLog log = new MetricsLog(dir);
            closeables.add(log);
            ModelCheckpoint checkpoint = new ModelCheckpoint(checkpoints, model, optimizer, List::of, 0);
            Trainer.Settings ts = new Trainer.Settings(s.maxEpochs(), Long.MAX_VALUE, Long.MAX_VALUE, 1, 0,
                    task.monitorKey(), MonitorMode.MAX);
            BatchSource<EvalBatch> trainBatches = train.source();
            closeables.add(trainBatches);                     // its loader threads end with the run
            Trainer<EvalBatch> trainer = new Trainer<>(this, trainBatches, optimizer, schedule, ts)
                    .addListener(new GradientGuard(model, checkpoints))
                    .addListener(new EarlyStopping(DownstreamTask.MIN_DELTA, task.patience()))
                    .addListener(checkpoint)
                    .addListener(new MetricsLogger(log, 5))
                    .addListener(new TrainProgress(s.log()))
                    .addListener(new org.lovt.train.TrainListener<Object>() {
                        @Override
                        public void onEpochEnd(org.lovt.train.Fit fit, EpochEnd end) {
                            if (end.best()) {
                                bestValidation.clear();
                                bestValidation.putAll(end.validation());
                            }
                        }
                    });
            Trainer.Result r = trainer.fit(TrainState.start());
            Path best = checkpoints.resolve(Checkpoints.BEST).orElseThrow(() -> new LovtException(dir
                    + ": the run ended without a best checkpoint"));
            TrainState bestState = Checkpoints.load(best, model, optimizer);
            Map<String, Double> bestVal = prefixed("val/", bestValidation);
            s.log().println("testing the best checkpoint (" + best.getFileName() + ", epoch " + (bestState.bestEpoch() + 1)
                    + ") on " + test.split.size() + " test images");
            Map<String, Double> testMetrics = prefixed("test/", evaluate(test));
            try (MetricsLog after = new MetricsLog(dir)) {       // the logger closed its log with the fit
                after.log(r.state().epoch(), r.state().optimizerSteps(), testMetrics);
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("task", task.key());
            n.put("best_epoch", bestState.bestEpoch());
            n.put("epochs", r.state().epoch());
            n.put("stopped_early", r.stoppedEarly());
            ObjectNode tm = n.putObject("test");
            testMetrics.forEach(tm::put);
            ObjectNode vm = n.putObject("best_validation");
            bestVal.forEach(vm::put);
            try {
                AtomicFiles.writeString(dir.resolve(TEST_RESULTS), JSON.writeValueAsString(n) + "\n");
            } catch (IOException e) {
                throw new LovtException(dir.resolve(TEST_RESULTS) + ": cannot write: " + e.getMessage(), e);
            }
            return new Result(dir, testMetrics, bestVal, bestState.bestEpoch(), r.state().epoch(), r.stoppedEarly());
        }

        private static Map<String, Double> prefixed(String prefix, Map<String, Double> m) {
            Map<String, Double> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(prefix + k, v));
            return out;
        }

        @Override
        public Module module() {
            return model;
        }

        @Override
        public int size(EvalBatch batch) {
            return batch.size();
        }

        @Override
        public Map<String, Double> trainStep(EvalBatch batch, long microStep, int accumulate) {
            boolean frozen = task.frozen() || schedule.frozen(microStep);
            Map<String, Double> out = new LinkedHashMap<>();
            Map<String, Tensor> features = features(batch, frozen);
            Tensor masks = masks(batch);
            List<Tensor> outputs = head.forward(features);
            Tensor loss = head.loss(outputs, masks, batch, out);
            loss.backward();
            out.put("total_loss", loss.item_double());
            out.put("backbone_frozen", frozen ? 1.0 : 0.0);
            return out;
        }

        @Override
        public Map<String, Double> validate() {
            return evaluate(val);
        }

        /** Loss and metrics over a split, in eval mode under no-grad; train mode is restored by the trainer. */
        private Map<String, Double> evaluate(Splits split) {
            model.train(false);
            head.resetMetrics();
            double lossSum = 0;
            long n = 0;
            try (NoGradGuard g = new NoGradGuard(); BatchSource<EvalBatch> src = split.source()) {
                Iterator<EvalBatch> it = src.epoch(0, 0);
                try {
                    while (it.hasNext()) {
                        EvalBatch b = it.next();
                        try (Scope sc = Scope.open()) {
                            Map<String, Tensor> features = features(b, true);
                            Tensor masks = masks(b);
                            List<Tensor> outputs = head.forward(features);
                            lossSum += head.loss(outputs, masks, b, new LinkedHashMap<>()).item_double() * b.size();
                            n += b.size();
                            head.accumulate(outputs, masks, b);
                        }
                    }
                } finally {
                    BatchSource.stop(it);
                }
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", lossSum / Math.max(1, n));
            m.putAll(head.metrics());
            return m;
        }

        /** The feature maps the head reads: from the cache, or the backbone (frozen: eval mode under no-grad). */
        private Map<String, Tensor> features(EvalBatch b, boolean frozen) {
            Map<String, Tensor> f = new LinkedHashMap<>();
            if (b.features() != null) {
                b.features().forEach((k, v) -> f.put(k, Tensors.fromHost(v).to(s.device(), torch.ScalarType.Float)));
                return f;
            }
            Tensor x = Tensors.fromHost(b.images()).to(s.device(), torch.ScalarType.Float)
                    .expand(b.size(), 3, s.inputSize(), s.inputSize());
            if (frozen) {
                model.backbone().train(false);
                try (NoGradGuard g = new NoGradGuard()) {
                    return backboneFeatures(x);
                }
            }
            return backboneFeatures(x);
        }

        private Map<String, Tensor> backboneFeatures(Tensor x) {
            List<String> layers = head.layers();
            String last = "conv1";
            for (String l : layers) {
                if (ResNet.FEATURES.indexOf(l) > ResNet.FEATURES.indexOf(last)) {
                    last = l;
                }
            }
            Map<String, Tensor> all = model.backbone().features(x, last);
            Map<String, Tensor> f = new LinkedHashMap<>();
            for (String l : layers) {
                f.put(l, l.equals("input") ? x : all.get(l));
            }
            return f;
        }

        private Tensor masks(EvalBatch b) {
            return Tensors.fromHost(b.masks()).to(s.device(), torch.ScalarType.Float);
        }

        /** One split: its batches, from the images or (frozen tasks) from the feature cache. */
        private final class Splits {
            private final String name;
            private final DownstreamSplit split;
            private final boolean training;
            private FeatureStore store;
            private byte[][] masks;
            private List<List<BoxTarget>> boxes;

            Splits(String name, DownstreamSplit split, boolean training) {
                this.name = name;
                this.split = split;
                this.training = training;
            }

            /** Runs the frozen backbone once over the split and keeps its feature maps. */
            void cache() {
                int n = split.size();
                Map<String, Integer> sizes = new LinkedHashMap<>();
                masks = new byte[n][];
                boxes = new ArrayList<>(java.util.Collections.nCopies(n, List.of()));
                ProgressLine progress = ProgressLine.on(s.log(), "features of " + name, n, "images");
                try (DataLoader<DownstreamSample, List<DownstreamSample>> loader = new DataLoader<>(
                             samples(), l -> l, LoaderOptions.of(s.batchSize(), false, false, s.workers(), s.seed()))) {
                    Iterator<List<DownstreamSample>> it = loader.epoch(0);
                    int done = 0;
                    while (it.hasNext()) {
                        List<DownstreamSample> batch = it.next();
                        EvalBatch b = collate(batch, index(batch, done));
                        try (Scope sc = Scope.open()) {
                            Map<String, Tensor> f = features(b, true);
                            if (store == null) {
                                f.forEach((k, v) -> sizes.put(k, (int) (v.numel() / b.size())));
                                store = new FeatureStore(n, sizes, s.cacheMemory(), dir.resolve("feature-cache"));
                                closeables.add(store);
                            }
                            for (var e : f.entrySet()) {
                                float[] all = Tensors.toFloats(e.getValue().contiguous());
                                int per = sizes.get(e.getKey());
                                for (int k = 0; k < b.size(); k++) {
                                    store.put(e.getKey(), done + k, java.util.Arrays.copyOfRange(all, k * per,
                                            (k + 1) * per));
                                }
                            }
                        }
                        for (int k = 0; k < batch.size(); k++) {
                            DownstreamSample smp = batch.get(k);
                            masks[done + k] = concatMasks(smp.masks());
                            boxes.set(done + k, boxTargets(smp));
                        }
                        done += batch.size();
                        progress.update(done);
                    }
                }
                progress.finish();
            }

            private int[] index(List<DownstreamSample> batch, int from) {
                int[] idx = new int[batch.size()];
                for (int k = 0; k < idx.length; k++) {
                    idx[k] = from + k;
                }
                return idx;
            }

            private SampleSource<DownstreamSample> samples() {
                return new SampleSource<>() {
                    @Override
                    public int size() {
                        return split.size();
                    }

                    @Override
                    public DownstreamSample load(int index, SplittableRandom rnd) {
                        return split.get(index);
                    }

                    @Override
                    public String describe(int index) {
                        return split.imageFile(index).toString();
                    }
                };
            }

            /** The batches of an epoch: shuffled with drop_last for training, in order otherwise. */
            BatchSource<EvalBatch> source() {
                LoaderOptions o = LoaderOptions.of(s.batchSize(), training, training, store != null ? 0 : s.workers(),
                        s.seed());
                DataLoader<?, EvalBatch> loader;
                if (store != null) {
                    SampleSource<Integer> idx = new SampleSource<>() {
                        @Override
                        public int size() {
                            return split.size();
                        }

                        @Override
                        public Integer load(int index, SplittableRandom rnd) {
                            return index;
                        }
                    };
                    loader = new DataLoader<>(idx, this::fromCache, o);
                } else {
                    loader = new DataLoader<>(samples(), l -> collate(l, ids(l)), o);
                }
                long batches = loader.batchesPerEpoch();
                DataLoader<?, EvalBatch> fin = loader;
                return new BatchSource<>() {
                    @Override
                    public long batchesPerEpoch() {
                        return batches;
                    }

                    @Override
                    public long samplesPerEpoch() {
                        return training ? batches * s.batchSize() : split.size();
                    }

                    @Override
                    public Iterator<EvalBatch> epoch(int epoch, long start) {
                        return fin.epoch(epoch, (int) start);
                    }

                    @Override
                    public void close() {
                        fin.close();
                    }
                };
            }

            private int[] ids(List<DownstreamSample> l) {
                int[] idx = new int[l.size()];
                java.util.Arrays.fill(idx, -1);             // indices are not needed outside the cache
                return idx;
            }

            private EvalBatch fromCache(List<Integer> indices) {
                int[] idx = indices.stream().mapToInt(Integer::intValue).toArray();
                Map<String, HostTensor> f = new LinkedHashMap<>();
                for (String layer : store.layers()) {
                    float[] v = store.gather(layer, idx);
                    long per = v.length / idx.length;
                    f.put(layer, floats(v, shapeOf(layer, idx.length, per)));
                }
                int m = masks[idx[0]].length;
                byte[] all = new byte[m * idx.length];
                List<List<BoxTarget>> bx = new ArrayList<>();
                for (int k = 0; k < idx.length; k++) {
                    System.arraycopy(masks[idx[k]], 0, all, k * m, m);
                    bx.add(boxes.get(idx[k]));
                }
                int targets = m / (s.inputSize() * s.inputSize());
                return new EvalBatch(idx, null, f, bytes(all, idx.length, targets, s.inputSize(), s.inputSize()), bx);
            }

            private final Map<String, long[]> layerShapes = new java.util.concurrent.ConcurrentHashMap<>();

            private long[] shapeOf(String layer, int b, long per) {
                long[] chw = layerShapes.computeIfAbsent(layer, l -> Heads.shape(model.backbone(), l, s.inputSize()));
                if (chw[0] * chw[1] * chw[2] != per) {
                    throw new IllegalStateException("feature cache: " + layer + " holds " + per + " floats per image, "
                            + "expected " + java.util.Arrays.toString(chw));
                }
                return new long[] {b, chw[0], chw[1], chw[2]};
            }
        }

        /** The samples as a batch with images. */
        private EvalBatch collate(List<DownstreamSample> l, int[] indices) {
            int b = l.size();
            int px = s.inputSize() * s.inputSize();
            float[] images = new float[b * px];
            byte[] first = concatMasks(l.get(0).masks());
            byte[] masks = new byte[b * first.length];
            List<List<BoxTarget>> boxes = new ArrayList<>();
            for (int k = 0; k < b; k++) {
                DownstreamSample smp = l.get(k);
                if (smp.image().length != px) {
                    throw new LovtException(smp.id() + ": image of " + smp.image().length + " pixels, expected "
                            + px);
                }
                System.arraycopy(smp.image(), 0, images, k * px, px);
                byte[] m = concatMasks(smp.masks());
                System.arraycopy(m, 0, masks, k * first.length, first.length);
                boxes.add(boxTargets(smp));
            }
            int targets = first.length / px;
            return new EvalBatch(indices, floats(images, new long[] {b, 1, s.inputSize(), s.inputSize()}), null,
                    bytes(masks, b, targets, s.inputSize(), s.inputSize()), boxes);
        }

        private static byte[] concatMasks(List<byte[]> masks) {
            int per = masks.isEmpty() ? 0 : masks.get(0).length;
            byte[] out = new byte[per * masks.size()];
            for (int t = 0; t < masks.size(); t++) {
                System.arraycopy(masks.get(t), 0, out, t * per, per);
            }
            return out;
        }

        private static List<BoxTarget> boxTargets(DownstreamSample smp) {
            List<BoxTarget> out = new ArrayList<>();
            float[] b = smp.boxes();
            for (int i = 0; i < smp.classes().length; i++) {
                out.add(new BoxTarget(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], smp.classes()[i]));
            }
            return out;
        }

        private static HostTensor floats(float[] v, long[] shape) {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocateDirect(4 * v.length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(v);
            return new HostTensor(DType.F32, shape, bb);
        }

        private static HostTensor bytes(byte[] v, long... shape) {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocateDirect(v.length);
            bb.put(v).flip();
            return new HostTensor(DType.U8, shape, bb);
        }

        @Override
        public void close() {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing caches and logs: nothing to recover
                }
            }
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
