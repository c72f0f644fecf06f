package org.lovt.cli;

import org.lovt.train.Experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.pytorch.Device;
import org.lovt.LovtException;
import org.lovt.config.ConfigLoader;
import org.lovt.config.ResolvedConfig;
import org.lovt.config.UserConfig;
import org.lovt.data.DataLoader;
import org.lovt.data.DatasetConfig;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.datasets.mimic.MimicCxrDataset;
import org.lovt.data.image.ImageCache;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.PretrainedModels;
import org.lovt.text.ReportAugmentation;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Devices;
import org.lovt.torch.Seeds;
import org.lovt.torch.io.Safetensors;
import org.lovt.train.Checkpoints;
import org.lovt.train.LoaderBatchSource;
import org.lovt.train.PreTrainExperimentConfig;
import org.lovt.train.Pretrainer;
import org.lovt.train.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt pretrain +experiment=LoVT_100 [overrides]}: pre-trains on a prepared MIMIC-CXR data set with the
 * experiment's recipe, in a run folder that a second call with {@code --run-dir} resumes exactly.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train LoVT (or CLIP, ConVIRT, an ablation) on a prepared MIMIC-CXR data set. "
                + "Re-running with --run-dir of an interrupted run resumes it exactly.")
public final class PretrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "OVERRIDES", arity = "0..*",
            description = "Config overrides, e.g. +experiment=LoVT_100 pretrain_model.learning_rate=3e-5.")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Option(names = "--data", paramLabel = "DIR",
            description = "Prepared MIMIC-CXR folder (default: the dataset config's path, from the user config).")
    Path data;

    @CommandLine.Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run folder; an existing one is resumed (default: a new folder under --runs).")
    Path runDir;

    @CommandLine.Option(names = "--runs", paramLabel = "DIR", description = "Parent of new run folders "
            + "(default: <models.base_path>/<pretrained_models_folder> from the user config, else ./runs).")
    Path runs;

    @CommandLine.Option(names = "--max-epochs", description = "Override the config's max_epochs.")
    Integer maxEpochs;

    @CommandLine.Option(names = "--max-steps", description = "Stop after this many optimizer steps (a checkpoint "
            + "is written; the run can be resumed).")
    Long maxSteps;

    @CommandLine.Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Also checkpoint every STEPS optimizer steps within an epoch.")
    long checkpointEvery;

    @CommandLine.Option(names = "--workers", description = "Data loader threads (default: the config's "
            + "num_dataloader_workers, at most the number of processors).")
    Integer workers;

    @CommandLine.Option(names = "--image-cache", paramLabel = "DIR",
            description = "Cache downscaled images here so full-resolution JPEGs are decoded once.")
    Path imageCache;

    @CommandLine.Option(names = "--image-cache-size", defaultValue = "448",
            description = "Shorter side of cached images (default ${DEFAULT-VALUE}).")
    int imageCacheSize;

    @CommandLine.Option(names = "--config-dir", paramLabel = "DIR", description = "A configs/ folder of your own.")
    Path configDir;

    @CommandLine.Option(names = "--user-config", paramLabel = "FILE",
            description = "User config (default: $LOVT_USER_CONFIG or ~/.config/lovt/user.yaml).")
    Path userConfig;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ConfigLoader loader = Experiments.loader().configDir(configDir).userConfigFile(userConfig).build();
        ResolvedConfig resolved = loader.load(Experiments.TRAIN_REPRESENTATION, overrides);
        PreTrainExperimentConfig experiment = resolved.bind(PreTrainExperimentConfig.class);
        BiModalModelConfig model = experiment.pretrainModel();
        UserConfig user = loader.userConfig();

        MimicCxrDataset train;
        MimicCxrDataset val;
        if (data != null) {
            train = MimicCxrDataset.open(data, "train");
            val = MimicCxrDataset.open(data, "validation");
        } else {
            DatasetConfig dc = DatasetConfig.load(loader, experiment.pretrainDataset());
            train = MimicCxrDataset.fromConfig(dc, "train");
            val = MimicCxrDataset.fromConfig(dc, "validation");
        }

        RunDirectory run = runDir != null ? RunDirectory.open(runDir)
                : RunDirectory.create(runsRoot(user), experiment.name());
        Path vocabFile = run.path().resolve("vocab.txt");
        // seed_everything(seed) as the original, so that the initialisation is reproducible too.
        Seeds.manualSeed(experiment.seed());
        PretrainedModels.Assembled assembled = PretrainedModels.assemble(model, user, vocabFile,
                () -> sentences(train));
        if (assembled.vocab() != null) {
            Files.write(vocabFile, assembled.vocab());
        }
        Device device = Devices.best();
        assembled.model().to(device, false);
        run.record(resolved, experiment.seed(), device, commandLine(), assembled.notes());
        assembled.notes().forEach(n -> out.println("lovt: " + n));
        out.println("lovt: run folder " + run.path() + " (device " + Devices.name(device) + ", " + train.size()
                + " training and " + val.size() + " validation studies)");
        out.flush();

        int size = model.encoderA().inputSize().get(0);
        if (!model.encoderA().inputSize().get(1).equals(size)) {
            throw new LovtException("encoder_a.input_size must be square, got " + model.encoderA().inputSize());
        }
        ScanImageSource images = imageCache != null ? new ImageCache(imageCache, imageCacheSize)
                : ScanImageSource.decoding();
        var aug = model.encoderA().dataAugmentation();
        PretrainingPipeline trainPipe = PretrainingPipeline.train(
                ScanTransform.train(aug, size, train.pixelMean(), train.pixelStd()),
                new ReportAugmentation(model.encoderB().dataAugmentation()), images);
        PretrainingPipeline valPipe = PretrainingPipeline.validation(
                ScanTransform.validation(aug, size, train.pixelMean(), train.pixelStd()), images);
        int threads = workers != null ? workers
                : Math.max(1, Math.min(experiment.numDataloaderWorkers(), Runtime.getRuntime().availableProcessors()));
        int batch = model.batchSize();
        DataLoader<?, org.lovt.data.PretrainingBatch> trainLoader = trainPipe.loader(train,
                LoaderOptions.of(batch, true, true, threads, experiment.seed()));
        DataLoader<?, org.lovt.data.PretrainingBatch> valLoader = valPipe.loader(val,
                LoaderOptions.of(batch, false, false, threads, experiment.seed()));
        int epochs = maxEpochs != null ? maxEpochs : model.maxEpochs();
        Pretrainer.Options options = Pretrainer.Options.of(epochs).withCheckpointEverySteps(checkpointEvery);
        if (maxSteps != null) {
            options = options.withMaxOptimizerSteps(maxSteps);
        }
        Pretrainer.Result result;
        try (LoaderBatchSource t = new LoaderBatchSource(trainLoader, (long) trainLoader.batchesPerEpoch() * batch);
             LoaderBatchSource v = new LoaderBatchSource(valLoader, val.size())) {
            result = new Pretrainer(experiment, assembled.model(), new ReportPacker(assembled.tokenizer(),
                    model.encoderB().maxLength()), t, v, run.path(), device, options).fit();
        } finally {
            assembled.tokenizer().close();
        }
        Checkpoints ckpts = new Checkpoints(run.path().resolve("checkpoints"));
        exportBackbone(ckpts, run.path());
        out.printf("lovt: %s after %d epochs, %d optimizer steps; best %s %.4f (epoch %d)%n",
                result.stoppedEarly() ? "stopped early" : "finished", result.state().epoch(),
                result.state().optimizerSteps(), experiment.monitorMetric(), result.state().best(),
                result.state().bestEpoch() + 1);
        out.println("lovt: checkpoints in " + ckpts.dir() + ", metrics in " + run.path().resolve("metrics.csv"));
        out.flush();
        return 0;
    }

    /**
     * Writes the best (else last) checkpoint's scan backbone as {@code backbone_weights.safetensors} with
     * torchvision names (no {@code fc}), the file downstream evaluation loads.
     */
    static void exportBackbone(Checkpoints ckpts, Path runDir) {
        var best = ckpts.resolve(Checkpoints.BEST).or(() -> ckpts.resolve(Checkpoints.LAST));
        if (best.isEmpty()) {
            return;
        }
        String prefix = "model_a.encoder.feature_extractor.backbone_layers.";
        Map<String, org.lovt.torch.HostTensor> all = Safetensors.read(best.get().resolve("model.safetensors"))
                .tensors();
        Map<String, org.lovt.torch.HostTensor> backbone = new java.util.LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                backbone.put(k.substring(prefix.length()), v);
            }
        });
        Safetensors.write(runDir.resolve("backbone_weights.safetensors"), backbone,
                Map.of("source", best.get().getFileName().toString()));
    }

    private Path runsRoot(UserConfig user) {
        if (runs != null) {
            return runs;
        }
        String base = user.models().basePath();
        return base != null ? Path.of(base).resolve(user.models().pretrainedModelsFolder()) : Path.of("runs");
    }

    private static Iterable<String> sentences(MimicCxrDataset train) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            all.addAll(train.get(i).sentences());
        }
        return all;
    }

    private List<String> commandLine() {
        List<String> cl = new ArrayList<>(List.of("lovt"));
        cl.addAll(spec.commandLine().getParseResult().originalArgs());
        return cl;
    }

}
