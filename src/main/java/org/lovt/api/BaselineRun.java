package org.lovt.api;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.TensorVector;
import org.lovt.LovtException;
import org.lovt.baselines.BaselineConfigs;
import org.lovt.baselines.BaselineExperimentConfig;
import org.lovt.baselines.BaselineModelConfig;
import org.lovt.baselines.BaselineTask;
import org.lovt.baselines.ImageBatch;
import org.lovt.config.ConfigLoader;
import org.lovt.config.ResolvedConfig;
import org.lovt.config.UserConfig;
import org.lovt.data.DataLoader;
import org.lovt.data.DatasetConfig;
import org.lovt.data.LoaderOptions;
import org.lovt.data.SampleSource;
import org.lovt.data.datasets.mimic.MimicImageList;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.PilResize;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.model.Backbones;
import org.lovt.torch.DType;
import org.lovt.torch.Devices;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.torch.io.TensorFiles;
import org.lovt.train.Checkpoints;
import org.lovt.train.EarlyStopping;
import org.lovt.train.Fit;
import org.lovt.train.GradientGuard;
import org.lovt.train.LoaderBatchSource;
import org.lovt.train.LrSchedule;
import org.lovt.train.MetricsLog;
import org.lovt.train.MetricsLogger;
import org.lovt.train.ModelCheckpoint;
import org.lovt.train.MonitorMode;
import org.lovt.train.RunDirectory;
import org.lovt.train.TrainListener;
import org.lovt.train.TrainProgress;
import org.lovt.train.TrainState;
import org.lovt.train.Trainer;
import org.lovt.train.WarmupCosine;
import org.lovt.util.AtomicFiles;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * A run of an image-only baseline ({@code lovt pretrain +baseline=byol_100}, spec lovt-data-eval §4), with the options of
 * a {@link Pretraining} builder: the same trainer loop and listeners as LoVT (NaN guard, metrics, progress,
 * checkpoints, exact resume), the baseline's optimiser (Adam), schedule (warm-up cosine per epoch, or
 * ReduceLROnPlateau on val/auroc for CheXpert), and at the end the export of its ResNet as
 * {@code backbone_weights.safetensors} (the last checkpoint's for BYOL and SimCLR, the best by val/auroc for CheXpert,
 * as the original).
 *
 * <p>The run folder holds {@code config.yaml}, {@code run.json}, {@code baseline.json} (method, where the backbone is in
 * the checkpoints, the scan preprocessing), {@code checkpoints/}, {@code metrics.csv}/{@code metrics.jsonl} and the
 * export.
 */
final class BaselineRun {
    static final String BASELINE_JSON = "baseline.json";
    static final String FORMAT = "lovt-baseline-run/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What {@code baseline.json} records.
     *
     * @param format         {@link #FORMAT}
     * @param method         {@code CHEXPERT}, {@code BYOL} or {@code SIMCLR}
     * @param backbonePrefix the exported ResNet's key prefix in the checkpoints
     * @param export         the checkpoint exported: {@code best} or {@code last}
     * @param scan           the backbone and its preprocessing
     */
    record Info(String format, String method, String backbonePrefix, String export, ModelFiles.ScanInfo scan) {}

    private BaselineRun() {}

    static PretrainingResult run(Pretraining.Builder b) {
        Natives.load();
        ConfigLoader loader = BaselineConfigs.loader().configDir(b.configDir()).userConfigFile(b.userConfig()).build();
        ResolvedConfig resolved = loader.load(BaselineConfigs.BASELINE, b.overrides());
        BaselineExperimentConfig experiment = resolved.bind(BaselineExperimentConfig.class);
        BaselineModelConfig c = experiment.modelConfig();
        BaselineModelConfig.Method method = c.method();
        UserConfig user = b.ignoresUserConfig() ? UserConfig.empty() : loader.userConfig();
        if (method != BaselineModelConfig.Method.CHEXPERT && c.batchSize() < 2) {
            throw new LovtException("model_config.batch_size must be at least 2 for " + method + " (BatchNorm in the "
                    + "projector, negatives), got " + c.batchSize());
        }

        DatasetConfig ds = dataset(loader, c.dataset(), b.data());
        MimicImageList train = MimicImageList.fromConfig(ds, "train");
        MimicImageList validation = MimicImageList.fromConfig(ds, "validation");
        if (train.size() < c.batchSize()) {
            throw new LovtException(ds.path() + ": the training split has " + train.size() + " images, fewer than one "
                    + "batch of " + c.batchSize() + " (batches are dropped when incomplete, as the original)");
        }
        if (validation.size() == 0) {
            throw new LovtException(ds.path() + ": the validation split has no image");
        }
        double mean = c.normalizeWithDatasetStats() ? train.pixelMean() : 0.5;
        double std = c.normalizeWithDatasetStats() ? train.pixelStd() : 0.5;

        RunDirectory run = b.runDir() != null ? RunDirectory.open(b.runDir())
                : RunDirectory.create(b.runsRoot(user),
                runName(experiment.name(), b.overrides()));
        try (org.lovt.util.FolderLock lock = org.lovt.util.FolderLock.acquire(run.path(), "lovt pretrain")) {
            return train(b, experiment, resolved, user, ds, train, validation, mean, std, run);
        }
    }

    private static PretrainingResult train(Pretraining.Builder b, BaselineExperimentConfig experiment,
                                           ResolvedConfig resolved, UserConfig user, DatasetConfig ds,
                                           MimicImageList train, MimicImageList validation, double mean, double std,
                                           RunDirectory run) {
        BaselineModelConfig c = experiment.modelConfig();
        BaselineModelConfig.Method method = c.method();
        Seeds.manualSeed(experiment.seed());
        ResNetConfig resnet = Backbones.resnet(c.backboneModel(), c.backboneArgs());
        Module learner = BaselineTask.learner(c, resnet);
        List<String> notes = new ArrayList<>();
        loadInitialWeights(c, user, BaselineTask.backbone(learner), notes);
        Device device = Devices.best();
        learner.to(device, false);
        Info info = new Info(FORMAT, method.name(), BaselineTask.backbonePrefix(method),
                method == BaselineModelConfig.Method.CHEXPERT ? Checkpoints.BEST : Checkpoints.LAST,
                new ModelFiles.ScanInfo("resnet50", resnet.layers(), resnet.stemWidth(), c.size(), mean, std, "conv5",
                        ScanAugmentationConfig.ValResizeMode.PAD));
        writeInfo(run.path(), info);
        run.record(resolved, experiment.seed(), device, b.commandLine(), notes);
        PrintStream log = b.log();
        notes.forEach(n -> log.println("lovt: " + n));
        log.println("lovt: run folder " + run.path() + " (" + method + " baseline, device " + Devices.name(device) + ", "
                + train.size() + " training and " + validation.size() + " validation images from " + ds.path()
                + "; normalisation mean " + mean + ", std " + std + ")");
        log.flush();

        ScanImageSource images = b.imageSource();
        int threads = b.workers() != null ? b.workers() : Math.max(1, Math.min(experiment.numDataloaderWorkers(),
                Runtime.getRuntime().availableProcessors()));
        boolean supervised = method == BaselineModelConfig.Method.CHEXPERT;
        SampleSource<Sample> trainSource = supervised
                ? transformed(train, ScanTransform.train(c.dataAugmentation(), c.size(), mean, std), images)
                : resized(train, c.maxSize(), images);
        SampleSource<Sample> valSource = supervised
                ? transformed(validation, ScanTransform.validation(c.dataAugmentation(), c.size(), mean, std), images)
                : resized(validation, c.maxSize(), images);
        DataLoader<Sample, ImageBatch> trainLoader = new DataLoader<>(trainSource, BaselineRun::collate,
                LoaderOptions.of(c.batchSize(), true, true, threads, experiment.seed()));
        DataLoader<Sample, ImageBatch> valLoader = new DataLoader<>(valSource, BaselineRun::collate,
                LoaderOptions.of(c.batchSize(), false, false, threads, experiment.seed()));

        int epochs = b.maxEpochs() != null ? b.maxEpochs() : c.maxEpochs();
        int accumulate = experiment.trainer().accumulateGradBatches();
        Checkpoints checkpoints = new Checkpoints(run.path().resolve("checkpoints"));
        Trainer.Result result;
        try (LoaderBatchSource<ImageBatch> t = new LoaderBatchSource<>(trainLoader,
                (long) trainLoader.batchesPerEpoch() * c.batchSize());
             LoaderBatchSource<ImageBatch> v = new LoaderBatchSource<>(valLoader, validation.size());
             MetricsLog metrics = new MetricsLog(run.path())) {
            BaselineTask task = new BaselineTask(c, learner, v, device, experiment.seed(), mean, std);
            Adam optimizer = adam(learner, c);
            long stepsPerEpoch = (t.batchesPerEpoch() + accumulate - 1) / accumulate;
            LrSchedule schedule = supervised
                    ? new LrSchedule.ReduceOnPlateau(c.learningRate(), c.lrReducePatience(), c.lrReduceFactor(),
                    MonitorMode.MAX)
                    : perEpoch(c.lrScheduleClosedForm()
                    ? WarmupCosine.closedForm(c.learningRate(), c.warmupEpochs(), c.maxEpochs(), 0, 0,
                    Math.max(epochs, 1))
                    : WarmupCosine.chained(c.learningRate(), c.warmupEpochs(), c.maxEpochs(), 0, 0,
                    Math.max(epochs, 1)), stepsPerEpoch);
            Trainer<ImageBatch> trainer = new Trainer<>(task, t, optimizer, schedule,
                    new Trainer.Settings(epochs, b.maxSteps(), b.deadline(), accumulate,
                            experiment.trainer().gradientClipVal(), supervised ? "val/auroc" : "val/loss",
                            supervised ? MonitorMode.MAX : MonitorMode.MIN));
            ModelCheckpoint checkpoint = new ModelCheckpoint(checkpoints, learner, optimizer, List::of,
                    b.checkpointEvery(), log);
            trainer.addListener(new GradientGuard(learner, checkpoints));
            trainer.addListener(new TrainListener<>() {          // BYOL's target, after every optimiser step
                @Override
                public void onTrainBatchEnd(Fit fit, BatchEnd end) {
                    if (end.stepped()) {
                        task.afterOptimizerStep();
                    }
                }
            });
            if (supervised) {
                trainer.addListener(new EarlyStopping(1e-5, c.earlyStopPatience()));
            }
            trainer.addListener(new MetricsLogger(metrics, 5)).addListener(new TrainProgress(log))
                    .addListener(checkpoint);
            Optional<TrainState> restored = checkpoint.restore();
            if (restored.isEmpty()) {
                task.mockForward();
            }
            result = trainer.fit(restored.orElse(TrainState.start()));
        }
        Path backbone = export(run.path(), checkpoints, info);
        return new PretrainingResult(run.path(), result.state().epoch(), result.state().optimizerSteps(),
                result.stoppedEarly(), supervised ? "val/auroc" : "val/loss",
                supervised ? -result.state().best() : result.state().best(), result.state().bestEpoch(),
                result.lastValidation(), backbone);
    }

    /** The config's {@code name}, or the selected baseline's ({@code byol_100}) when the name is left unset. */
    static String runName(String name, List<String> overrides) {
        String selected = BaselineConfigs.selectedName(overrides);
        return "<unnamed>".equals(name) && selected != null && selected.matches("[A-Za-z0-9_.-]+") ? selected : name;
    }

    /** The dataset config, with {@code path} replaced by the {@code --data} folder when one is given. */
    private static DatasetConfig dataset(ConfigLoader loader, String name, PretrainingData data) {
        if (data == null) {
            return DatasetConfig.load(loader, name);
        }
        Path folder = data.mimicFolder().orElseThrow(() -> new LovtException("the image-only baselines train on a "
                + "prepared MIMIC-CXR folder (its <split>/image_list.csv), not on the " + data.description()));
        return loader.load("dataset/" + name, List.of("path=" + folder.toAbsolutePath())).bind(DatasetConfig.class);
    }

    /** Adam (coupled L2 weight decay) over the parameters that require a gradient (not BYOL's target). */
    private static Adam adam(Module learner, BaselineModelConfig c) {
        TensorVector params = new TensorVector();
        TensorVector all = learner.parameters(true);
        for (long i = 0; i < all.size(); i++) {
            if (all.get(i).requires_grad()) {
                params.push_back(all.get(i));
            }
        }
        AdamOptions o = new AdamOptions(c.learningRate());
        o.weight_decay().put(c.weightDecay());
        return new Adam(params, o);
    }

    /** A schedule stepped per epoch: the lr of epoch {@code t / stepsPerEpoch} (the last one after the table). */
    static LrSchedule perEpoch(double[] lrs, long stepsPerEpoch) {
        return t -> lrs[(int) Math.min(t / Math.max(1, stepsPerEpoch), lrs.length - 1)];
    }

    /** ImageNet weights (or {@code backbone_checkpoint}) into the ResNet; a classifier's own {@code fc} stays fresh. */
    private static void loadInitialWeights(BaselineModelConfig c, UserConfig user, ResNet resnet, List<String> notes) {
        Path file;
        if (c.backboneCheckpoint() != null) {
            file = Path.of(c.backboneCheckpoint());
            notes.add("backbone: weights from backbone_checkpoint " + file);
        } else if (!c.backbonePretrained()) {
            notes.add("backbone: random init (backbone_pretrained: false)");
            return;
        } else if (user.models().pretrained().resnet50Imagenet() == null) {
            notes.add("backbone: no ImageNet weights configured (models.pretrained.resnet50_imagenet in the user "
                    + "config); starting from random init");
            return;
        } else {
            file = Path.of(user.models().pretrained().resnet50Imagenet());
            notes.add("backbone: ImageNet weights from " + file);
        }
        Map<String, HostTensor> w = new LinkedHashMap<>(TensorFiles.read(file));
        w.keySet().removeIf(k -> k.startsWith("fc."));
        StateDict.LoadReport r;
        try {
            r = StateDict.fromHost(w).loadInto(resnet, false);
        } catch (LovtException e) {
            throw new LovtException(file + ": not a matching torchvision ResNet checkpoint: " + e.getMessage(), e);
        }
        List<String> missing = r.missing().stream().filter(k -> !k.startsWith("fc.")).toList();
        if (!missing.isEmpty() || !r.unexpected().isEmpty()) {
            throw new LovtException(file + ": not a matching torchvision ResNet checkpoint (missing " + missing
                    + ", unexpected " + r.unexpected() + ")");
        }
    }

    private static void writeInfo(Path runDir, Info info) {
        Path file = runDir.resolve(BASELINE_JSON);
        try {
            String json = JSON.writeValueAsString(info);
            if (Files.isRegularFile(file)) {
                if (!JSON.readTree(file.toFile()).equals(JSON.readTree(json))) {
                    throw new LovtException(file + ": the run was started as another baseline or with another "
                            + "backbone or normalisation; start a new run folder");
                }
            } else {
                AtomicFiles.writeString(file, json);
            }
        } catch (IOException e) {
            throw new LovtException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A baseline run folder's {@code baseline.json}, or empty when the folder is not a baseline run. */
    static Optional<Info> readInfo(Path runDir) {
        Path file = runDir.resolve(BASELINE_JSON);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Info info;
        try {
            info = JSON.readValue(file.toFile(), Info.class);
        } catch (IOException e) {
            throw new LovtException(file + ": unreadable baseline description: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(info.format()) || info.backbonePrefix() == null || info.scan() == null
                || info.export() == null) {
            throw new LovtException(file + ": not a baseline description of this version (format " + info.format()
                    + ", expected " + FORMAT + ")");
        }
        return Optional.of(info);
    }

    /** The checkpoint a baseline run exports: its rule's ({@code best} or {@code last}), else the other one. */
    static Optional<Path> exportedCheckpoint(Path runDir, Info info) {
        Checkpoints c = new Checkpoints(runDir.resolve("checkpoints"));
        String other = info.export().equals(Checkpoints.BEST) ? Checkpoints.LAST : Checkpoints.BEST;
        return c.resolve(info.export()).or(() -> c.resolve(other));
    }

    /** The backbone's weights (torchvision names, no {@code fc}) in a baseline checkpoint. */
    static Map<String, HostTensor> backboneWeights(Path checkpoint, Info info) {
        Map<String, HostTensor> all = Safetensors.read(checkpoint.resolve("model.safetensors")).tensors();
        Map<String, HostTensor> w = new LinkedHashMap<>();
        String prefix = info.backbonePrefix();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.startsWith(prefix + "fc.")) {
                w.put(k.substring(prefix.length()), v);
            }
        });
        if (w.isEmpty()) {
            throw new LovtException(checkpoint + ": the checkpoint holds no backbone under '" + prefix + "'");
        }
        return w;
    }

    private static Path export(Path runDir, Checkpoints checkpoints, Info info) {
        Path ckpt = exportedCheckpoint(runDir, info).orElseThrow(() -> new LovtException(runDir
                + ": the run wrote no checkpoint to export"));
        Path out = runDir.resolve(ModelFiles.BACKBONE);
        Safetensors.write(out, backboneWeights(ckpt, info), ScanBackbone.metadata(info.scan(),
                runDir.toAbsolutePath().normalize().getFileName().toString(), ckpt.getFileName().toString()));
        return out;
    }

    /** One loaded image: its id, pixels (uint8 (1, S, S) or float32 (3, s, s)) and labels. */
    record Sample(String id, HostTensor pixels, float[] labels) {}

    /** The self-supervised baselines' samples: the image resized to {@code size x size} (PIL bilinear), uint8. */
    private static SampleSource<Sample> resized(MimicImageList list, int size, ScanImageSource images) {
        return SampleSource.of(list, (img, rnd) -> {
            GrayImage g = PilResize.resize(images.load(img.file()).pixels(), size, size);
            return new Sample(img.id(), new HostTensor(DType.U8, new long[] {1, size, size},
                    ByteBuffer.wrap(g.pixels())), img.labels());
        }, img -> img.file().toString());
    }

    /** The supervised baseline's samples: LoVT's scan transform (augmented for training). */
    private static SampleSource<Sample> transformed(MimicImageList list, ScanTransform transform,
                                                    ScanImageSource images) {
        return SampleSource.of(list, (img, rnd) -> new Sample(img.id(),
                transform.applyTensor(images.load(img.file()), rnd), img.labels()), img -> img.file().toString());
    }

    private static ImageBatch collate(List<Sample> samples) {
        HostTensor first = samples.get(0).pixels();
        long[] shape = new long[first.shape().length + 1];
        shape[0] = samples.size();
        System.arraycopy(first.shape(), 0, shape, 1, first.shape().length);
        ByteBuffer data = ByteBuffer.allocate((int) (first.byteSize() * samples.size())).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer labels = ByteBuffer.allocate(samples.size() * 5 * 4).order(ByteOrder.LITTLE_ENDIAN);
        List<String> ids = new ArrayList<>();
        for (Sample s : samples) {
            data.put(s.pixels().bytes());
            for (float f : s.labels()) {
                labels.putFloat(f);
            }
            ids.add(s.id());
        }
        data.flip();
        labels.flip();
        return new ImageBatch(ids, new HostTensor(first.dtype(), shape, data),
                new HostTensor(DType.F32, new long[] {samples.size(), 5}, labels));
    }
}
