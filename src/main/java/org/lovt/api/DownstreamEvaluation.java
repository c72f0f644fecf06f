package org.lovt.api;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lovt.LovtException;
import org.lovt.config.UserConfig;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.eval.downstream.DownstreamRunner;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;

/**
 * Evaluates a backbone on one of the paper's 18 localized downstream tasks (spec lovt-data-eval §3): trains the
 * task's head (YOLOv3, U-Net or linear) on a prepared data set with the original's protocol, keeps the best epoch by
 * the task's validation metric and tests it.
 *
 * <pre>{@code
 * DownstreamEvaluation.Result r = DownstreamEvaluation.builder("rsna_frozen_10")
 *         .backbone("runs/LoVT_100-20261204-101500")      // or backbone_weights.safetensors, a .ckpt, a .pth,
 *         .data(Path.of("/data/rsna/prepared"))            //    "random", "imagenet"
 *         .run();
 * double mAP = r.test().get("test/mAP");
 * }</pre>
 *
 * <p>Bad inputs (an unknown task, a missing or foreign data folder, a weights file that holds no ResNet of the
 * supported family) fail with an exception naming the thing before any output exists. The run folder appears under
 * its name only once the test results are written (see {@link DownstreamRunner}).
 */
public final class DownstreamEvaluation {
    private DownstreamEvaluation() {}

    /** The task keys, in the paper's order. */
    public static List<String> tasks() {
        return DownstreamTasks.all().stream().map(DownstreamTask::key).toList();
    }

    /** An evaluation of {@code task} (a key of {@link #tasks()}). */
    public static Builder builder(String task) {
        return new Builder(DownstreamTasks.get(task));
    }

    /**
     * What a run gave.
     *
     * @param runDir         the run folder
     * @param test           the best checkpoint's test metrics ({@code test/mAP}, {@code test/opacity_dice}, ...)
     * @param bestValidation the best epoch's validation metrics ({@code val/...})
     * @param bestEpoch      that epoch (0-based)
     * @param epochs         epochs trained
     * @param stoppedEarly   whether early stopping ended the run
     * @param headline       the task's headline test metric's name and value
     */
    public record Result(Path runDir, Map<String, Double> test, Map<String, Double> bestValidation, int bestEpoch,
                         int epochs, boolean stoppedEarly, String headlineMetric, double headline) {}

    /** Settings of one evaluation; only the backbone is required (and the data, unless the user config has it). */
    public static final class Builder {
        private final DownstreamTask task;
        private String backbone;
        private Path data;
        private Path out;
        private Double lr;
        private long seed = 12345;
        private int inputSize = DownstreamTask.INPUT_SIZE;
        private Integer batchSize;
        private Integer maxEpochs;
        private int headWidthDivisor = 1;
        private Integer workers;
        private boolean featureCache = true;
        private Path userConfig;
        private PrintStream log = System.err;

        private Builder(DownstreamTask task) {
            this.task = task;
        }

        /**
         * The backbone: a pre-training run folder, a {@code backbone_weights.safetensors}, an original LoVT
         * {@code .ckpt}, a torchvision {@code .pth}, {@code random}, {@code random:SOURCE} (SOURCE's architecture and
         * region layer, freshly initialised) or {@code imagenet}.
         */
        public Builder backbone(String source) {
            this.backbone = source;
            return this;
        }

        /** The prepared data set's folder (default: the user config's {@code data.<dataset>.path}). */
        public Builder data(Path dir) {
            this.data = dir;
            return this;
        }

        /** The run folder to create (default: {@code runs/eval/<task>-<timestamp>}); it must not exist. */
        public Builder out(Path dir) {
            this.out = dir;
            return this;
        }

        /** The learning rate (default: the task's config lr). */
        public Builder learningRate(double value) {
            this.lr = value;
            return this;
        }

        /** The seed of the head's initialisation, the shuffling and a random backbone (default 12345). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The input size (default 224; a multiple of 32; smaller values are for quick checks). */
        public Builder inputSize(int value) {
            this.inputSize = value;
            return this;
        }

        /** Samples per batch (default: the task's). */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** The epoch limit (default: the task's). */
        public Builder maxEpochs(int value) {
            this.maxEpochs = value;
            return this;
        }

        /** Divides the YOLOv3 head's internal widths (default 1, the original; for quick checks only). */
        public Builder headWidthDivisor(int value) {
            this.headWidthDivisor = value;
            return this;
        }

        /** Image-decoding threads (default: processors − 1). */
        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /** Whether frozen tasks compute the backbone's features once per image (default true). */
        public Builder featureCache(boolean value) {
            this.featureCache = value;
            return this;
        }

        /** The user config (default: {@code $LOVT_USER_CONFIG} or {@code ~/.config/lovt/user.yaml}). */
        public Builder userConfig(Path file) {
            this.userConfig = file;
            return this;
        }

        /** Where progress goes (default standard error). */
        public Builder log(PrintStream out) {
            this.log = Objects.requireNonNull(out);
            return this;
        }

        /** Loads everything, checks it, trains, tests; returns the results. */
        public Result run() {
            Natives.load();
            Path userFile = userConfig != null ? userConfig : UserConfig.defaultPath();
            UserConfig user = Files.isRegularFile(userFile) ? UserConfig.load(userFile) : UserConfig.empty();
            Path dataDir = data;
            if (dataDir == null) {
                UserConfig.DataLocation loc = user.data().get(task.dataset().replace('-', '_'));
                if (loc == null) {
                    throw new LovtException("no data folder for task " + task.key() + ": give --data DIR (a folder "
                            + "written by `lovt prepare " + task.dataset() + "`) or set data."
                            + task.dataset().replace('-', '_') + ".path in the user config (" + userFile + ")");
                }
                dataDir = Path.of(loc.path());
            }
            PreparedDownstream prepared = PreparedDownstream.open(dataDir);
            Path runDir = out != null ? out : Path.of("runs", "eval", task.key() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (Files.exists(runDir)) {
                throw new LovtException(runDir + ": already exists (choose another output folder or remove it)");
            }
            Seeds.manualSeed(seed);                       // the original seeds before building the evaluator
            DownstreamBackbones.Loaded b = DownstreamBackbones.resolve(backbone, user, userFile);
            DownstreamRunner.Settings s = new DownstreamRunner.Settings(task, lr != null ? lr : task.configLr(), seed,
                    inputSize, batchSize != null ? batchSize : task.batchSize(),
                    maxEpochs != null ? maxEpochs : task.maxEpochs(), headWidthDivisor, b.regionLayer(),
                    workers != null ? workers : Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                    featureCache, Runtime.getRuntime().maxMemory() / 3, Devices.best(), log);
            DownstreamRunner.Result r = DownstreamRunner.run(s, b.resnet(), b.description(), prepared, runDir);
            String headline = task.reported().get(0);
            return new Result(r.runDir(), r.test(), r.bestValidation(), r.bestEpoch(), r.epochs(), r.stoppedEarly(),
                    headline, r.test().getOrDefault("test/" + headline, Double.NaN));
        }
    }
}
