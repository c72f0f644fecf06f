package org.lovt.eval.protocol;

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
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamRunner;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.util.AtomicFiles;
import org.lovt.util.ProgressLine;

/**
 * The evaluation protocol over several tasks for one model, as the original's {@code run_finetuning_experiment}
 * runs it (spec lovt-data-eval §3.2), resumable:
 * <ol>
 *   <li>a task whose lr grid has more than one value trains one run per lr, in the grid's order, and keeps the lr with
 *       the best validation value of the task's monitored metric (a later lr wins only when strictly greater);</li>
 *   <li>then {@code runs} runs with that lr (a task without a grid uses its config lr);</li>
 *   <li>the runs' test metrics go into {@code downstream_<key>.csv} ({@link ResultsTable}), then {@code results.md}
 *       and the charts are redrawn.</li>
 * </ol>
 *
 * <p><b>Seeds.</b> Every lr trial and the first final run use the base seed (12345, the original's
 * {@code seed_everything} before each {@code run_finetuning} call); final run k (1-based) uses base seed + k − 1.
 * The original instead lets its five runs continue one random stream, which cannot be resumed run by run. The first
 * final run of a task with a grid is therefore the trial of the chosen lr, which is reused rather than trained twice
 * (same settings, same seed, same result).
 *
 * <p><b>Layout</b> under the results folder: {@code runs/<name>/<task>/lr-<lr>/} (trials) and
 * {@code runs/<name>/<task>/run-<k>/} (final runs), each a {@link DownstreamRunner} run folder, which appears under its
 * name only when finished; {@code runs/<name>/sweep.json} (the settings the sweep was started with); the tables at the
 * top. <b>Resuming:</b> started again with the same settings, a sweep skips every finished run, redoes an interrupted
 * one from scratch, and ends with the same tables. A lock ({@code .sweep.lock}, an OS file lock, released even on
 * {@code kill -9}) keeps a second sweep out of the folder.
 */
public final class Sweep {
    /** The lock file in the results folder. */
    public static final String LOCK = ".sweep.lock";
    /** The original's seed. */
    public static final long BASE_SEED = 12345;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Trains and tests one run into {@code runDir} (which must not exist yet). */
    @FunctionalInterface
    public interface Runner {
        DownstreamRunner.Result run(DownstreamTask task, double lr, long seed, Path runDir);
    }

    /**
     * A sweep.
     *
     * @param out         the results folder
     * @param name        the model's row name in the tables
     * @param tasks       the tasks, in order
     * @param runs        final runs per task
     * @param maxLrs      try only the first this many lrs of each grid (0: the whole grid, the original); with one
     *                    left, it is the lr of the runs
     * @param fingerprint what makes two sweeps of the same name the same (backbone, sizes, ...): a restart with
     *                    other values is refused
     * @param log         progress
     */
    public record Settings(Path out, String name, List<DownstreamTask> tasks, int runs, int maxLrs,
                           Map<String, String> fingerprint, PrintStream log) {
        /** The whole grids. */
        public Settings(Path out, String name, List<DownstreamTask> tasks, int runs, Map<String, String> fingerprint,
                        PrintStream log) {
            this(out, name, tasks, runs, 0, fingerprint, log);
        }

        public Settings {
            if (maxLrs < 0) {
                throw new LovtException("max lrs must be >= 0 (0: the whole grid), got " + maxLrs);
            }
            Objects.requireNonNull(out, "out");
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.+-]*")) {
                throw new LovtException("model name '" + name + "': use letters, digits and _ . + - (it names a "
                        + "folder and a table row)");
            }
            if (tasks.isEmpty() || runs < 1) {
                throw new LovtException("a sweep needs at least one task and one run (got " + tasks.size()
                        + " tasks, " + runs + " runs)");
            }
            tasks = List.copyOf(tasks);
            Map<String, String> f = new java.util.HashMap<>(fingerprint);
            if (maxLrs > 0) {
                f.put("max_lrs", Integer.toString(maxLrs));
            }
            fingerprint = Map.copyOf(f);
        }
    }

    /**
     * One task's outcome.
     *
     * @param task      the task
     * @param lr        the lr of the final runs
     * @param trials    the grid's validation values by lr (empty without a grid)
     * @param runDirs   the final runs' folders
     * @param runs      the final runs' test metrics
     */
    public record TaskResult(DownstreamTask task, double lr, Map<Double, Double> trials, List<Path> runDirs,
                             List<Map<String, Double>> runs) {
        /** The headline metric over the runs. */
        public RunStatistics headline() {
            return new RunStatistics(runs.stream().map(r -> r.get("test/" + task.reported().get(0))).toList());
        }
    }

    /** What a sweep gave: its tasks, the tables, {@code results.md} and the charts. */
    public record Result(Path out, List<TaskResult> tasks, List<Path> tables, Path resultsMd, List<Path> charts) {}

    private Sweep() {}

    /** How many runs the sweep trains in all (trials included, the reused trial counted once). */
    public static int plannedRuns(List<DownstreamTask> tasks, int runs) {
        return plannedRuns(tasks, runs, 0);
    }

    /** The same with the grids cut to {@code maxLrs} values (0: whole grids). */
    public static int plannedRuns(List<DownstreamTask> tasks, int runs, int maxLrs) {
        int n = 0;
        for (DownstreamTask t : tasks) {
            int g = grid(t, maxLrs).size();
            n += g > 1 ? g + runs - 1 : runs;
        }
        return n;
    }

    /** The lrs a task tries: its grid, or its first {@code maxLrs} values. */
    static List<Double> grid(DownstreamTask t, int maxLrs) {
        return maxLrs > 0 && t.lrGrid().size() > maxLrs ? t.lrGrid().subList(0, maxLrs) : t.lrGrid();
    }

    /** Runs (or resumes) the sweep. */
    public static Result run(Settings s, Runner runner) {
        try {
            Files.createDirectories(s.out());
        } catch (IOException e) {
            throw new LovtException(s.out() + ": cannot create the results folder: " + e.getMessage(), e);
        }
        try (org.lovt.util.FolderLock lock = org.lovt.util.FolderLock.acquire(s.out(), LOCK, "lovt evaluate --suite",
                "another sweep is writing this results folder", "wait for it or choose another --out")) {
            return new Execution(s, runner).execute();
        }
    }

    /** Reads a finished run folder's results. */
    public static DownstreamRunner.Result readRun(Path dir) {
        Path f = dir.resolve(DownstreamRunner.TEST_RESULTS);
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return new DownstreamRunner.Result(dir, numbers(n.path("test")), numbers(n.path("best_validation")),
                    n.path("best_epoch").asInt(), n.path("epochs").asInt(), n.path("stopped_early").asBoolean());
        } catch (IOException e) {
            throw new LovtException(f + ": cannot read the finished run's results (" + e.getMessage() + "); remove "
                    + dir + " to redo the run", e);
        }
    }

    private static Map<String, Double> numbers(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN);
        }
        return m;
    }

    /** The folder name of an lr trial. */
    static String trialDir(double lr) {
        return "lr-" + PythonFloats.repr(lr);
    }

    private static final class Execution {
        private final Settings s;
        private final Runner runner;
        private final Path modelDir;
        private final int planned;
        private int done;
        private int trainedHere;
        private double secondsHere;

        Execution(Settings s, Runner runner) {
            this.s = s;
            this.runner = runner;
            this.modelDir = s.out().resolve("runs").resolve(s.name());
            this.planned = plannedRuns(s.tasks(), s.runs(), s.maxLrs());
        }

        Result execute() {
            checkFingerprint();
            List<TaskResult> results = new ArrayList<>();
            List<Path> tables = new ArrayList<>();
            for (int i = 0; i < s.tasks().size(); i++) {
                DownstreamTask t = s.tasks().get(i);
                TaskResult r = task(t, i);
                results.add(r);
                tables.add(ResultsTable.put(s.out(), t, s.name(), r.runs()));
                RunStatistics h = r.headline();
                s.log().printf("[sweep] %s: test/%s %s over %d runs (lr %s)%n", t.key(), t.reported().get(0),
                        ResultsReport.cell(h), h.n(), PythonFloats.repr(r.lr()));
                ResultsReport.write(s.out());
                DownstreamCharts.writeAll(s.out());
            }
            Path md = ResultsReport.write(s.out());
            List<Path> charts = DownstreamCharts.writeAll(s.out());
            return new Result(s.out(), results, tables, md, charts);
        }

        private void checkFingerprint() {
            Path f = modelDir.resolve("sweep.json");
            Map<String, String> want = new TreeMap<>(s.fingerprint());
            try {
                if (Files.exists(f)) {
                    Map<String, String> had = new TreeMap<>();
                    JSON.readTree(f.toFile()).fields().forEachRemaining(e -> had.put(e.getKey(), e.getValue().asText()));
                    if (!had.equals(want)) {
                        List<String> diff = new ArrayList<>();
                        for (String k : new java.util.TreeSet<>(union(had, want))) {
                            if (!Objects.equals(had.get(k), want.get(k))) {
                                diff.add(k + ": " + had.get(k) + " → " + want.get(k));
                            }
                        }
                        throw new LovtException(f + ": model '" + s.name() + "' was evaluated here with other settings "
                                + "(" + String.join("; ", diff) + "); use another --name or another results folder");
                    }
                    return;
                }
                Files.createDirectories(modelDir);
                ObjectNode n = JSON.createObjectNode();
                want.forEach(n::put);
                AtomicFiles.writeString(f, JSON.writeValueAsString(n) + "\n");
            } catch (IOException e) {
                throw new LovtException(f + ": " + e.getMessage(), e);
            }
        }

        private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
            java.util.Set<String> u = new java.util.HashSet<>(a.keySet());
            u.addAll(b.keySet());
            return u;
        }

        private TaskResult task(DownstreamTask t, int index) {
            Path dir = modelDir.resolve(t.key());
            String where = "task " + (index + 1) + "/" + s.tasks().size() + " " + t.key();
            Map<Double, Double> trials = new LinkedHashMap<>();
            List<Double> grid = grid(t, s.maxLrs());
            double lr = grid.size() == 1 ? grid.get(0) : t.configLr();
            List<Path> runDirs = new ArrayList<>();
            List<Map<String, Double>> runs = new ArrayList<>();
            if (grid.size() > 1) {
                Double best = null;
                double bestValue = Double.NEGATIVE_INFINITY;
                Map<Double, DownstreamRunner.Result> byLr = new LinkedHashMap<>();
                for (int j = 0; j < grid.size(); j++) {
                    double g = grid.get(j);
                    DownstreamRunner.Result r = runOrSkip(t, g, BASE_SEED, dir.resolve(trialDir(g)), where
                            + " · lr trial " + (j + 1) + "/" + grid.size() + " (lr " + PythonFloats.repr(g) + ")");
                    double v = r.bestValidation().getOrDefault(t.monitorKey(), Double.NaN);
                    trials.put(g, v);
                    byLr.put(g, r);
                    if (best == null || v > bestValue) {        // strictly greater; NaN never wins
                        if (best == null || !Double.isNaN(v)) {
                            best = g;
                            bestValue = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
                        }
                    }
                }
                lr = best;
                s.log().printf("[sweep] %s: lr %s chosen by %s (%s)%n", t.key(), PythonFloats.repr(lr), t.monitorKey(),
                        trialsText(trials));
                DownstreamRunner.Result first = byLr.get(lr);
                runDirs.add(first.runDir());
                runs.add(first.test());
            }
            for (int k = runs.size() + 1; k <= s.runs(); k++) {
                DownstreamRunner.Result r = runOrSkip(t, lr, BASE_SEED + k - 1, dir.resolve("run-" + k), where
                        + " · run " + k + "/" + s.runs() + " (lr " + PythonFloats.repr(lr) + ")");
                runDirs.add(r.runDir());
                runs.add(r.test());
            }
            return new TaskResult(t, lr, trials, runDirs, runs);
        }

        private static String trialsText(Map<Double, Double> trials) {
            List<String> p = new ArrayList<>();
            trials.forEach((k, v) -> p.add(PythonFloats.repr(k) + ": " + String.format(java.util.Locale.ROOT, "%.4f",
                    v)));
            return String.join(", ", p);
        }

        private DownstreamRunner.Result runOrSkip(DownstreamTask t, double lr, long seed, Path runDir, String what) {
            if (Files.isDirectory(runDir)) {
                done++;
                s.log().printf("[sweep] %s: finished earlier, kept (%s)%n", what, runDir);
                return readRun(runDir);
            }
            String eta = trainedHere == 0 ? "" : " · about " + ProgressLine.duration(
                    secondsHere / trainedHere * (planned - done)) + " left";
            s.log().printf("[sweep] %s · %d/%d runs done%s%n", what, done, planned, eta);
            long t0 = System.nanoTime();
            DownstreamRunner.Result r = runner.run(t, lr, seed, runDir);
            secondsHere += (System.nanoTime() - t0) / 1e9;
            trainedHere++;
            done++;
            return r;
        }
    }
}
