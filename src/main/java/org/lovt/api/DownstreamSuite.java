package org.lovt.api;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.lovt.LovtException;
import org.lovt.config.UserConfig;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.eval.downstream.DownstreamRunner;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;
import org.lovt.eval.protocol.RunStatistics;
import org.lovt.eval.protocol.Sweep;
import org.lovt.torch.Natives;

/**
 * The paper's evaluation protocol for one model over its 18 downstream tasks (or some of them), into one results
 * folder: per task the lr grid (one run per lr, the best by the validation metric, a later lr winning only when
 * strictly better), then the final runs with that lr, and the original's tables ({@code downstream_<key>.csv}),
 * {@code results.md} and one bar chart per task. Resumable: started again with the same settings after any
 * interruption ({@code kill -9} included), it skips finished runs and ends with the same tables; a lock keeps a second
 * sweep out of the folder. See {@link Sweep} for the seeds and the folder layout.
 *
 * <pre>{@code
 * DownstreamSuite.Result r = DownstreamSuite.builder()
 *         .backbone("runs/LoVT_100-20261204-101500").name("LoVT_100")
 *         .dataRoot(Path.of("/data/prepared"))            // holds rsna/, covid/, siim/, object-cxr/, nih/
 *         .out(Path.of("results"))
 *         .run();
 * }</pre>
 */
public final class DownstreamSuite {
    /** The original's number of final runs per task. */
    public static final int RUNS = 5;

    private DownstreamSuite() {}

    /** A new sweep's settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One task's outcome.
     *
     * @param task           the task key
     * @param lr             the lr of the final runs
     * @param trials         the lr grid's validation values (empty without a grid)
     * @param headlineMetric the reported test metric
     * @param runs           its value per final run
     * @param mean           their mean
     * @param interval95     1.96·std/√n (NaN for one run)
     * @param runDirs        the final runs' folders
     */
    public record TaskOutcome(String task, double lr, Map<Double, Double> trials, String headlineMetric,
                              List<Double> runs, double mean, double interval95, List<Path> runDirs) {}

    /** What the sweep gave. */
    public record Result(Path out, String name, List<TaskOutcome> tasks, List<Path> tables, Path resultsMd,
                         List<Path> charts) {}

    /** Settings; only the backbone is required. */
    public static final class Builder {
        private String backbone;
        private String name;
        private Path out = Path.of("results");
        private List<String> tasks = DownstreamEvaluation.tasks();
        private int runs = RUNS;
        private int maxLrs;
        private final Map<String, Path> data = new TreeMap<>();
        private Path dataRoot;
        private boolean quick;
        private Integer inputSize;
        private Integer batchSize;
        private Integer maxEpochs;
        private Integer headWidthDivisor;
        private Integer workers;
        private boolean featureCache = true;
        private Path userConfig;
        private PrintStream log = System.err;

        private Builder() {}

        /** The backbone, as for {@link DownstreamEvaluation.Builder#backbone}. */
        public Builder backbone(String source) {
            this.backbone = source;
            return this;
        }

        /** The model's row name (default: derived from the backbone source). */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** The results folder (default {@code results}); other models' rows in it are kept. */
        public Builder out(Path dir) {
            this.out = dir;
            return this;
        }

        /** The task keys, in the order to run (default all 18, in the paper's order). */
        public Builder tasks(List<String> keys) {
            this.tasks = List.copyOf(keys);
            return this;
        }

        /** Final runs per task (default 5). */
        public Builder runs(int n) {
            this.runs = n;
            return this;
        }

        /**
         * Try only the first {@code n} lrs of each task's grid (default 0: the whole grid, as the original); with one
         * left, the runs use it without a trial. For reduced sweeps such as the demo's.
         */
        public Builder maxLrs(int n) {
            this.maxLrs = n;
            return this;
        }

        /** The prepared folder of one data set ({@code rsna}, {@code covid}, {@code siim}, {@code object-cxr}, {@code nih}). */
        public Builder data(String dataset, Path dir) {
            data.put(dataset, dir);
            return this;
        }

        /** A folder holding the prepared data sets as sub-folders named {@code rsna}, {@code covid}, ... */
        public Builder dataRoot(Path dir) {
            this.dataRoot = dir;
            return this;
        }

        /**
         * The quick preset, for trying the whole protocol in minutes (not for results): input 64 px, at most 3
         * epochs, batches of at most 8, the YOLOv3 head's widths divided by 8. Explicit sizes override it.
         */
        public Builder quick(boolean value) {
            this.quick = value;
            return this;
        }

        /** Input size for every task (default 224). */
        public Builder inputSize(int value) {
            this.inputSize = value;
            return this;
        }

        /** Batch size for every task (default: each task's). */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** Epoch limit for every task (default: each task's). */
        public Builder maxEpochs(int value) {
            this.maxEpochs = value;
            return this;
        }

        /** YOLOv3 head width divisor (default 1). */
        public Builder headWidthDivisor(int value) {
            this.headWidthDivisor = value;
            return this;
        }

        /** Image-decoding threads. */
        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /** Whether frozen tasks cache the backbone's features (default true; results are the same). */
        public Builder featureCache(boolean value) {
            this.featureCache = value;
            return this;
        }

        /** The user config (data and ImageNet paths). */
        public Builder userConfig(Path file) {
            this.userConfig = file;
            return this;
        }

        /** Progress (default standard error). */
        public Builder log(PrintStream value) {
            this.log = Objects.requireNonNull(value);
            return this;
        }

        /** Checks the settings and every data folder, then runs or resumes the sweep. */
        public Result run() {
            Natives.load();
            if (backbone == null || backbone.isBlank()) {
                throw new LovtException("give the backbone to evaluate (--backbone)");
            }
            List<DownstreamTask> taskList = new ArrayList<>();
            for (String k : new LinkedHashSet<>(tasks)) {
                taskList.add(DownstreamTasks.get(k.trim()));
            }
            String model = name != null ? name : defaultName(backbone);
            Path userFile = userConfig != null ? userConfig : UserConfig.defaultPath();
            UserConfig user = Files.isRegularFile(userFile) ? UserConfig.load(userFile) : UserConfig.empty();
            Map<String, Path> dirs = new TreeMap<>();
            for (DownstreamTask t : taskList) {
                dirs.computeIfAbsent(t.dataset(), d -> dataDir(d, user, userFile));
            }
            dirs.values().forEach(PreparedDownstream::open);          // fail on a bad folder before any run
            // and on a bad backbone (its weights file is fingerprinted below)
            DownstreamBackbones.Loaded loaded = DownstreamBackbones.resolve(backbone, user, userFile);
            int size = inputSize != null ? inputSize : quick ? 64 : DownstreamTask.INPUT_SIZE;
            int divisor = headWidthDivisor != null ? headWidthDivisor : quick ? 8 : 1;
            Map<String, String> fingerprint = new LinkedHashMap<>();
            fingerprint.put("backbone", source(backbone));
            // The weights themselves: a run trained further (or a file replaced) must not resume on old results.
            if (loaded.weights() != null) {
                fingerprint.put("backbone_sha256", DownstreamBackbones.sha256(loaded.weights()));
            }
            fingerprint.put("input_size", Integer.toString(size));
            fingerprint.put("batch_size", batchSize != null ? batchSize.toString() : quick ? "min(task, 8)" : "task");
            fingerprint.put("max_epochs", maxEpochs != null ? maxEpochs.toString() : quick ? "min(task, 3)" : "task");
            fingerprint.put("head_width_divisor", Integer.toString(divisor));
            dirs.forEach((d, p) -> fingerprint.put("data." + d, p.toAbsolutePath().normalize().toString()));
            Sweep.Runner runner = (task, lr, seed, runDir) -> {
                DownstreamEvaluation.Builder b = DownstreamEvaluation.builder(task.key()).backbone(backbone)
                        .data(dirs.get(task.dataset())).out(runDir).learningRate(lr).seed(seed).inputSize(size)
                        .headWidthDivisor(divisor).featureCache(featureCache).userConfig(userFile).log(log);
                if (batchSize != null) {
                    b.batchSize(batchSize);
                } else if (quick) {
                    b.batchSize(Math.min(task.batchSize(), 8));
                }
                if (maxEpochs != null) {
                    b.maxEpochs(maxEpochs);
                } else if (quick) {
                    b.maxEpochs(Math.min(task.maxEpochs(), 3));
                }
                if (workers != null) {
                    b.workers(workers);
                }
                DownstreamEvaluation.Result r = b.run();
                return new DownstreamRunner.Result(r.runDir(), r.test(), r.bestValidation(), r.bestEpoch(),
                        r.epochs(), r.stoppedEarly());
            };
            log.printf("[sweep] %s: %d tasks, %d runs each after the lr grids, %d runs in all, into %s%n", model,
                    taskList.size(), runs, Sweep.plannedRuns(taskList, runs, maxLrs), out);
            Sweep.Result r = Sweep.run(new Sweep.Settings(out, model, taskList, runs, maxLrs, fingerprint, log),
                    runner);
            List<TaskOutcome> outcomes = new ArrayList<>();
            for (Sweep.TaskResult t : r.tasks()) {
                RunStatistics h = t.headline();
                outcomes.add(new TaskOutcome(t.task().key(), t.lr(), t.trials(), t.task().reported().get(0),
                        h.values(), h.mean(), h.interval95(), t.runDirs()));
            }
            return new Result(r.out(), model, outcomes, r.tables(), r.resultsMd(), r.charts());
        }

        private Path dataDir(String dataset, UserConfig user, Path userFile) {
            if (data.containsKey(dataset)) {
                return data.get(dataset);
            }
            if (dataRoot != null) {
                Path p = dataRoot.resolve(dataset);
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            UserConfig.DataLocation loc = user.data().get(dataset.replace('-', '_'));
            if (loc == null) {
                throw new LovtException("no data folder for the '" + dataset + "' tasks: give --data-root DIR with a "
                        + "sub-folder " + dataset + "/ (written by `lovt prepare " + dataset + "`) or set data."
                        + dataset.replace('-', '_') + ".path in the user config (" + userFile + ")");
            }
            return Path.of(loc.path());
        }
    }

    /** The row name a backbone source gets by default: the run folder's or file's name, or the word. */
    static String defaultName(String source) {
        if (source.equals("random") || source.equals("imagenet")) {
            return source;
        }
        if (source.startsWith(DownstreamBackbones.RANDOM_LIKE)) {
            return "random_" + defaultName(source.substring(DownstreamBackbones.RANDOM_LIKE.length()));
        }
        Path p = Path.of(source).toAbsolutePath().normalize();
        Path named = p.getFileName() != null && p.getFileName().toString().startsWith("backbone_weights")
                && p.getParent() != null ? p.getParent() : p;
        String n = named.getFileName() == null ? "model" : named.getFileName().toString();
        n = n.replaceFirst("\\.(safetensors|ckpt|pth|pt)$", "").replaceAll("[^A-Za-z0-9_.+-]", "_");
        return n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0)) ? "model_" + n : n;
    }

    private static String source(String backbone) {
        if (backbone.equals("random") || backbone.equals("imagenet")) {
            return backbone;
        }
        if (backbone.startsWith(DownstreamBackbones.RANDOM_LIKE)) {
            return DownstreamBackbones.RANDOM_LIKE + source(backbone.substring(DownstreamBackbones.RANDOM_LIKE.length()));
        }
        return Path.of(backbone).toAbsolutePath().normalize().toString();
    }
}
