package org.lovt.api;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.bytedeco.pytorch.Device;
import org.lovt.LovtException;
import org.lovt.baselines.BaselineConfigs;
import org.lovt.config.ConfigLoader;
import org.lovt.config.ResolvedConfig;
import org.lovt.config.UserConfig;
import org.lovt.data.DataLoader;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingBatch;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.image.ImageCache;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.PretrainedModels;
import org.lovt.text.ReportAugmentation;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.torch.dist.DistributedEnv;
import org.lovt.torch.dist.DistributedGroup;
import org.lovt.torch.Seeds;
import org.lovt.train.Checkpoints;
import org.lovt.train.Experiments;
import org.lovt.train.LoaderBatchSource;
import org.lovt.train.PreTrainExperimentConfig;
import org.lovt.train.Pretrainer;
import org.lovt.train.RunDirectory;

/**
 * Pre-trains LoVT (or CLIP, ConVIRT, an ablation: any {@code configs/experiment/}) on image–report pairs, in a run
 * folder that a second run with the same folder resumes exactly.
 *
 * <pre>{@code
 * PretrainingResult r = Pretraining.builder()
 *         .overrides(List.of("+experiment=LoVT_100", "pretrain_model.batch_size=16"))
 *         .data(PretrainingData.mimicCxr(Path.of("/data/mimic-cxr-prepared")))
 *         .runDir(Path.of("runs/lovt"))
 *         .listener(new PretrainingListener() { ... })
 *         .build()
 *         .run();
 * try (LovtEncoder model = LovtEncoder.fromRun(r.runDir())) { ... }
 * }</pre>
 *
 * <p>The run folder holds {@code config.yaml} (the resolved config), {@code run.json} (provenance),
 * {@code model.json} and {@code vocab.txt} (what {@link LovtEncoder#fromRun} needs besides the weights),
 * {@code checkpoints/} (last and best), {@code metrics.csv} and, after the run, the self-describing scan backbone
 * {@code backbone_weights.safetensors} (see {@link ScanBackbone}).
 */
public final class Pretraining {
    private final Builder b;

    private Pretraining(Builder b) {
        this.b = b;
    }

    /** A builder; only the data (or a config naming a prepared data set) is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The run folder a new run of this configuration gets (created now, empty): {@code <runs>/<name>-<time>}; for a
     * launcher that must give every worker the same folder.
     */
    public Path createRunDir() {
        if (BaselineConfigs.selectsBaseline(b.overrides)) {
            throw new LovtException("the image-only baselines train in one process; data-parallel training (--nproc) "
                    + "is for LoVT and the experiments built on it");
        }
        if (b.runDir != null) {
            return RunDirectory.open(b.runDir).path();
        }
        ConfigLoader loader = Experiments.loader().configDir(b.configDir).userConfigFile(b.userConfig).build();
        PreTrainExperimentConfig experiment = loader.load(Experiments.TRAIN_REPRESENTATION, b.overrides)
                .bind(PreTrainExperimentConfig.class);
        UserConfig user = b.ignoreUserConfig ? UserConfig.empty() : loader.userConfig();
        return RunDirectory.create(b.runsRoot(user), experiment.name()).path();
    }

    /** Runs (or resumes) the pre-training; returns when it has finished, stopped early or hit a limit. */
    public PretrainingResult run() {
        DataParallelLauncher.exitWithLauncher(b.log);
        Optional<DistributedEnv> denv = DistributedEnv.fromEnvironment().filter(e -> e.worldSize() > 1);
        if (BaselineConfigs.selectsBaseline(b.overrides)) {
            if (denv.isPresent()) {
                throw new LovtException("the image-only baselines train in one process; unset WORLD_SIZE (it is "
                        + denv.get().worldSize() + ")");
            }
            return BaselineRun.run(b);                   // +baseline=...: an image-only baseline (BaselineRun)
        }
        Natives.load();
        ConfigLoader loader = Experiments.loader().configDir(b.configDir).userConfigFile(b.userConfig).build();
        ResolvedConfig resolved = loader.load(Experiments.TRAIN_REPRESENTATION, b.overrides);
        PreTrainExperimentConfig experiment = resolved.bind(PreTrainExperimentConfig.class);
        BiModalModelConfig model = experiment.pretrainModel();
        UserConfig user = b.ignoreUserConfig ? UserConfig.empty() : loader.userConfig();
        // A MIMIC-CXR folder given as data is read with the experiment's data set config (its subsets apply).
        PretrainingData data = b.data != null ? b.data.mimicFolder()
                .map(f -> PretrainingData.fromConfig(loader, experiment.pretrainDataset(), f)).orElse(b.data)
                : PretrainingData.fromConfig(loader, experiment.pretrainDataset());
        int size = model.encoderA().inputSize().get(0);
        if (!model.encoderA().inputSize().get(1).equals(size)) {
            throw new LovtException("encoder_a.input_size must be square, got " + model.encoderA().inputSize());
        }

        if (denv.isPresent() && b.runDir == null) {
            throw new LovtException("a data-parallel run (WORLD_SIZE=" + denv.get().worldSize() + ") needs the same "
                    + "run folder on every rank: give it (--run-dir), as lovt pretrain --nproc does");
        }
        RunDirectory run = b.runDir != null ? RunDirectory.open(b.runDir)
                : RunDirectory.create(b.runsRoot(user), experiment.name());
        if (denv.isEmpty()) {
            return locked(run, () -> run(experiment, model, user, data, run, resolved, size, null));
        }
        DistributedEnv env = denv.get();
        b.log.println("lovt: rank " + env.rank() + " of " + env.worldSize() + " joining the job at "
                + env.masterAddr() + ":" + env.masterPort());
        b.log.flush();
        try (DistributedGroup group = DistributedGroup.gloo(env, distributedTimeout())) {
            java.util.function.Supplier<PretrainingResult> body =
                    () -> run(experiment, model, user, data, run, resolved, size, group);
            return env.rank() == 0 ? locked(run, body) : body.get(); // the other ranks never write
        }
    }

    /** {@code body} as the run folder's one writer (the lock is released when it returns or the process dies). */
    private static PretrainingResult locked(RunDirectory run, java.util.function.Supplier<PretrainingResult> body) {
        try (org.lovt.util.FolderLock lock = org.lovt.util.FolderLock.acquire(run.path(), "lovt pretrain")) {
            return body.get();
        }
    }


    /** How long a collective may wait for the other ranks: {@code -Dlovt.dist.timeout=SECONDS}, else 30 minutes. */
    private static java.time.Duration distributedTimeout() {
        String s = System.getProperty("lovt.dist.timeout");
        if (s == null || s.isBlank()) {
            return java.time.Duration.ofMinutes(30); // PyTorch's default for Gloo
        }
        try {
            long seconds = Long.parseLong(s.strip());
            if (seconds < 1) {
                throw new NumberFormatException();
            }
            return java.time.Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new LovtException("lovt.dist.timeout must be a positive number of seconds, got '" + s + "'");
        }
    }

    private PretrainingResult run(PreTrainExperimentConfig experiment, BiModalModelConfig model, UserConfig user,
                                  PretrainingData data, RunDirectory run, ResolvedConfig resolved, int size,
                                  DistributedGroup group) {
        boolean writes = group == null || group.rank() == 0;
        Path vocabFile = run.path().resolve(ModelFiles.VOCAB);
        // seed_everything(seed) as the original, so that the initialisation is reproducible too.
        Seeds.manualSeed(experiment.seed());
        PretrainedModels.Assembled assembled = PretrainedModels.assemble(model, user, vocabFile,
                data::trainSentences);
        Device device = Devices.best();
        try {
            if (writes) {
                ModelFiles.writeRunFiles(run.path(), assembled, data.pixelMean(), data.pixelStd());
                Analysis.recordData(run.path(), data);
            }
            assembled.model().to(device, false);
            if (writes) {
                run.record(resolved, experiment.seed(), device, group == null ? 1 : group.worldSize(), b.commandLine,
                        assembled.notes());
            }
            assembled.notes().forEach(n -> b.log.println("lovt: " + n));
            b.log.println("lovt: run folder " + run.path() + " (device " + Devices.name(device) + ", "
                    + data.trainSize() + " training and " + data.validationSize() + " validation studies from the "
                    + data.description() + ")");
            b.log.flush();

            ScanImageSource images = b.imageSource();
            var aug = model.encoderA().dataAugmentation();
            PretrainingPipeline trainPipe = PretrainingPipeline.train(
                    ScanTransform.train(aug, size, data.pixelMean(), data.pixelStd()),
                    new ReportAugmentation(model.encoderB().dataAugmentation()), images);
            PretrainingPipeline valPipe = PretrainingPipeline.validation(
                    ScanTransform.validation(aug, size, data.pixelMean(), data.pixelStd()), images);
            int threads = b.workers != null ? b.workers : Math.max(1, Math.min(experiment.numDataloaderWorkers(),
                    Runtime.getRuntime().availableProcessors()));
            int batch = model.batchSize();
            LoaderOptions trainOptions = LoaderOptions.of(batch, true, true, threads, experiment.seed());
            if (group != null) { // this rank's share of every epoch; batch_size is per process, as in DDP
                trainOptions = trainOptions.withShard(new LoaderOptions.Shard(group.rank(), group.worldSize()));
            }
            DataLoader<?, PretrainingBatch> trainLoader = trainPipe.loader(data.train(), trainOptions);
            DataLoader<?, PretrainingBatch> valLoader = valPipe.loader(data.validation(),
                    LoaderOptions.of(batch, false, false, threads, experiment.seed()));
            int epochs = b.maxEpochs != null ? b.maxEpochs : model.maxEpochs();
            Pretrainer.Options options = new Pretrainer.Options(epochs, b.maxSteps, b.checkpointEverySteps, 5,
                    b.log);
            if (b.deadlineNanos != Long.MAX_VALUE) {
                options = options.withDeadline(b.deadlineNanos);
            }
            if (group != null) {
                options = options.withDistributed(group);
            }
            LovtEncoder view = LovtEncoder.view(assembled.model(), assembled.tokenizer(), data.pixelMean(),
                    data.pixelStd(), device, run.path().toString());
            if (!b.evaluators.isEmpty()) {
                options = options.withExtraValidation(epoch -> {
                    Map<String, Double> all = new LinkedHashMap<>();
                    for (PretrainingEvaluator e : b.evaluators) {
                        e.evaluate(view, epoch).forEach((k, v) -> {
                            if (all.put(k, v) != null) {
                                throw new LovtException("two evaluators report the metric '" + k + "'");
                            }
                        });
                    }
                    return all;
                });
            }
            Pretrainer.Result result;
            try (LoaderBatchSource<PretrainingBatch> t = new LoaderBatchSource<>(trainLoader,
                    (long) trainLoader.batchesPerEpoch() * batch);
                 LoaderBatchSource<PretrainingBatch> v = new LoaderBatchSource<>(valLoader, data.validationSize())) {
                Pretrainer trainer = new Pretrainer(experiment, assembled.model(), new ReportPacker(
                        assembled.tokenizer(), model.encoderB().maxLength()), t, v, run.path(), device, options);
                trainer.localNegatives(b.localNegatives);
                Listeners.attach(trainer, b.listeners, view);
                result = trainer.fit();
            }
            Checkpoints ckpts = new Checkpoints(run.path().resolve("checkpoints"));
            Optional<Path> backbone = writes ? ModelFiles.exportBackbone(run.path(), ckpts) : Optional.empty();
            return new PretrainingResult(run.path(), result.state().epoch(), result.state().optimizerSteps(),
                    result.stoppedEarly(), experiment.monitorMetric(), result.state().best(),
                    result.state().bestEpoch(), result.lastValidation(), backbone.orElse(null));
        } finally {
            assembled.tokenizer().close();
        }
    }

    static Path defaultRunsRoot(UserConfig user) {
        String base = user.models().basePath();
        return base != null ? Path.of(base).resolve(user.models().pretrainedModelsFolder()) : Path.of("runs");
    }

    /** Options of a {@link Pretraining}. */
    public static final class Builder {
        private final List<String> overrides = new ArrayList<>();
        private PretrainingData data;
        private Path runDir;
        private Path runsRoot;
        private Integer maxEpochs;
        private long maxSteps = Long.MAX_VALUE;
        private long checkpointEverySteps;
        private long deadlineNanos = Long.MAX_VALUE;
        private Integer workers;
        private Path imageCache;
        private int imageCacheSize = 448;
        private ImageCache.Storage imageCacheStorage = ImageCache.Storage.RAW;
        private boolean imageCacheReducedJpeg;
        private boolean localNegatives;
        private Path configDir;
        private Path userConfig;
        private boolean ignoreUserConfig;
        private PrintStream log = System.err;
        private final List<PretrainingListener> listeners = new ArrayList<>();
        private final List<PretrainingEvaluator> evaluators = new ArrayList<>();
        private List<String> commandLine = List.of();

        private Builder() {}

        /**
         * Config overrides as on the command line: {@code +experiment=LoVT_100}, {@code pretrain_model.d_z=64},
         * ... (default: none, i.e. {@code train_representation} without experiment, which fails to bind).
         */
        public Builder overrides(List<String> o) {
            overrides.addAll(Objects.requireNonNull(o, "overrides"));
            return this;
        }

        /**
         * The data to train on (default: the config's {@code pretrain_dataset}, paths from the user config). A
         * {@link PretrainingData#mimicCxr} folder is read with the experiment's {@code pretrain_dataset} config, so
         * its subsets apply ({@code LoVT_30}: the first 30 % of the training studies).
         */
        public Builder data(PretrainingData d) {
            this.data = Objects.requireNonNull(d, "data");
            return this;
        }

        /** The run folder; an existing one is resumed (its config must be the same). */
        public Builder runDir(Path dir) {
            this.runDir = dir;
            return this;
        }

        /**
         * Parent of a new, time-stamped run folder when {@link #runDir} is not set (default:
         * {@code <models.base_path>/<pretrained_models_folder>} of the user config, else {@code ./runs}).
         */
        public Builder runsRoot(Path dir) {
            this.runsRoot = dir;
            return this;
        }

        /** Stops after this many epochs (default: the config's {@code max_epochs}). */
        public Builder maxEpochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxEpochs must be at least 1, got " + n);
            }
            this.maxEpochs = n;
            return this;
        }

        /** Stops after this many optimizer steps, with a checkpoint from which a later run resumes. */
        public Builder maxSteps(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + n);
            }
            this.maxSteps = n;
            return this;
        }

        /** Also checkpoints every {@code n} optimizer steps within an epoch (default: only at epoch ends). */
        public Builder checkpointEverySteps(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("checkpointEverySteps must not be negative, got " + n);
            }
            this.checkpointEverySteps = n;
            return this;
        }

        /**
         * Starts no epoch that would, at the pace of the previous one, end after {@code System.nanoTime()} reaches
         * {@code deadline} (a time budget; the run then depends on the machine's speed).
         */
        public Builder deadlineNanos(long deadline) {
            this.deadlineNanos = deadline;
            return this;
        }

        /** Data loading threads (default: the config's {@code num_dataloader_workers}, at most the processors). */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + n);
            }
            this.workers = n;
            return this;
        }

        /** Caches images downscaled to {@code shorterSide} in {@code dir}, so full-size JPEGs are decoded once. */
        public Builder imageCache(Path dir, int shorterSide) {
            this.imageCache = dir;
            this.imageCacheSize = shorterSide;
            return this;
        }

        /**
         * Whether new image cache entries are deflated: about half the disk, but about 1 ms more per image read
         * (default false: raw pixels, the fastest reads). Entries of either kind already in the folder are read.
         */
        public Builder imageCacheCompressed(boolean compressed) {
            this.imageCacheStorage = compressed ? ImageCache.Storage.DEFLATE : ImageCache.Storage.RAW;
            return this;
        }

        /**
         * Whether the image cache decodes large JPEGs at a reduced resolution (libjpeg's DCT scaling by 2, 4 or 8)
         * before its exact resize: filling the cache is several times faster, the stored pixels differ slightly
         * from the exact decode (figures in the README, "Benchmarks"); default false, the exact path.
         */
        public Builder imageCacheReducedJpegDecode(boolean on) {
            this.imageCacheReducedJpeg = on;
            return this;
        }

        /**
         * In a data-parallel run (see {@link DataParallelLauncher}), compute the global contrastive loss over each
         * process's own batch only; by default it is computed over the global batch gathered from all processes,
         * whose samples then serve as extra negatives (with gradient scaling that makes the averaged gradient that
         * of one process holding the global batch).
         */
        public Builder localNegatives(boolean on) {
            this.localNegatives = on;
            return this;
        }

        /** A {@code configs/} folder of your own, read before the shipped configs. */
        public Builder configDir(Path dir) {
            this.configDir = dir;
            return this;
        }

        /** The user config (default: {@code $LOVT_USER_CONFIG} or {@code ~/.config/lovt/user.yaml}). */
        public Builder userConfig(Path file) {
            this.userConfig = file;
            return this;
        }

        /**
         * Ignores the user config's pre-trained weights and paths: backbones start from random initialisation and
         * the result depends only on the config, the data and the seed (the demo and tests use this).
         */
        public Builder ignoreUserConfig() {
            this.ignoreUserConfig = true;
            return this;
        }

        /** Where progress lines and notes go (default: standard error). */
        public Builder log(PrintStream out) {
            this.log = Objects.requireNonNull(out, "log");
            return this;
        }

        /** Adds a listener that is told about every batch and epoch. */
        public Builder listener(PretrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Adds an evaluator whose metrics are computed after each epoch's validation and logged under val/. */
        public Builder evaluator(PretrainingEvaluator e) {
            evaluators.add(Objects.requireNonNull(e, "evaluator"));
            return this;
        }

        /** The command line recorded in {@code run.json} (the CLI sets it). */
        public Builder commandLine(List<String> cl) {
            this.commandLine = List.copyOf(cl);
            return this;
        }

        /** The configured pre-training. */
        public Pretraining build() {
            return new Pretraining(this);
        }

        // What BaselineRun reads.
        List<String> overrides() {
            return overrides;
        }

        PretrainingData data() {
            return data;
        }

        Path runDir() {
            return runDir;
        }

        /** The parent of new run folders: the one given, else the user config's models folder, else ./runs. */
        Path runsRoot(UserConfig user) {
            return runsRoot != null ? runsRoot : defaultRunsRoot(user);
        }

        Integer maxEpochs() {
            return maxEpochs;
        }

        long maxSteps() {
            return maxSteps;
        }

        long checkpointEvery() {
            return checkpointEverySteps;
        }

        long deadline() {
            return deadlineNanos;
        }

        Integer workers() {
            return workers;
        }

        /** The image cache this configuration asks for, or the plain decoder when there is none. */
        ScanImageSource imageSource() {
            return imageCache == null ? ScanImageSource.decoding()
                    : new ImageCache(imageCache, imageCacheSize).withStorage(imageCacheStorage)
                            .withReducedJpegDecode(imageCacheReducedJpeg);
        }

        Path configDir() {
            return configDir;
        }

        Path userConfig() {
            return userConfig;
        }

        boolean ignoresUserConfig() {
            return ignoreUserConfig;
        }

        PrintStream log() {
            return log;
        }

        List<String> commandLine() {
            return commandLine;
        }
    }
}
