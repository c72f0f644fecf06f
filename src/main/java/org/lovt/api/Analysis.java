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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.model.EmbeddingCollector;
import org.lovt.model.EmbeddingStatistics;
import org.lovt.data.DataLoader;
import org.lovt.data.Dataset;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingBatch;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.ScanReportExample;
import org.lovt.data.ScanReportSample;
import org.lovt.data.datasets.mimic.MimicCxrDataset;
import org.lovt.data.datasets.synthetic.SyntheticFolder;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.LovtModel;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.util.AtomicFiles;
import org.lovt.util.Csv;
import org.lovt.util.ProgressLine;

/**
 * The embedding analysis of a trained LoVT model ({@code lovt analyze}; the original's {@code evaluation_job.py analyze},
 * spec lovt-data-eval §5.1-5.3): the model's embeddings of a data split (test by default; validation transform, one
 * view per study, batches of 32) and the original's embedding statistics over them, written as one row of the
 * original's {@code analysis-test.csv} layout ({@code name} and {@code emb/<space>/<metric>} columns, values as
 * fractions).
 *
 * <pre>{@code
 * Analysis.Result r = Analysis.builder(Path.of("runs/LoVT_100-20261205-101500")).split("test").maxSamples(2000).run();
 * double assignment = r.metrics().get("emb/zl_a||zl_b/assignment_1to1");
 * }</pre>
 *
 * <p>The data is the folder the run was trained from (recorded in its {@code data.json}) unless another is given: a
 * MIMIC-CXR folder prepared by {@code lovt prepare mimic-cxr} or a synthetic folder ({@code lovt demo}'s
 * {@code data/}). The projections are held in memory (about 0.15 MB per study at full size; the local spaces are
 * reduced batch by batch); the run refuses at the
 * first batch, with the estimate, when the split would not fit in the JVM's heap.
 */
public final class Analysis {
    static final String DATA_JSON = "data.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What an analysis produced.
     *
     * @param csv     the written {@code analysis-<split>.csv}
     * @param name    the row's name
     * @param samples studies analysed
     * @param data    where they came from
     * @param metrics the {@code emb/…} values, keys sorted
     */
    public record Result(Path csv, String name, int samples, String data, Map<String, Double> metrics) {}

    private final Builder b;

    private Analysis(Builder b) {
        this.b = b;
    }

    /** An analysis of the run in {@code runDir}. */
    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** Records the training data's folder in the run folder ({@code data.json}), for a later analysis. */
    static void recordData(Path runDir, PretrainingData data) {
        ObjectNode n = JSON.createObjectNode();
        n.put("description", data.description());
        data.mimicFolder().ifPresent(f -> n.put("kind", "mimic-cxr").put("folder", f.toAbsolutePath().toString()));
        data.syntheticFolder().ifPresent(f -> n.put("kind", "synthetic").put("folder", f.toAbsolutePath().toString()));
        try {
            AtomicFiles.writeString(runDir.resolve(DATA_JSON), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(n));
        } catch (IOException e) {
            throw new LovtException("cannot write " + runDir.resolve(DATA_JSON) + ": " + e.getMessage(), e);
        }
    }

    /** Runs the model over the split and writes the table. */
    public Result run() {
        Path runDir = b.runDir;
        Path folder = b.data != null ? b.data : recordedFolder(runDir);
        Dataset<ScanReportSample> split = open(folder, b.split);
        int n = b.maxSamples > 0 ? Math.min(b.maxSamples, split.size()) : split.size();
        if (n < 2) {
            throw new LovtException(folder + ": the " + b.split + " split has " + split.size() + " studies; the "
                    + "analysis needs at least 2");
        }
        Dataset<ScanReportSample> first = new Dataset<>() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public ScanReportSample get(int index) {
                return split.get(index);
            }
        };
        String name = b.name != null ? b.name : runDir.toAbsolutePath().normalize().getFileName().toString();
        Path out = b.out != null ? b.out : runDir.resolve("analysis-" + b.split + ".csv");
        EmbeddingCollector collector = new EmbeddingCollector();
        try (LovtEncoder enc = LovtEncoder.fromRun(runDir)) {
            LovtModel model = enc.model();
            BiModalModelConfig c = model.config();
            ScanTransform transform = ScanTransform.validation(c.encoderA().dataAugmentation(), enc.inputSize(),
                    enc.input().pixelMean(), enc.input().pixelStd());
            int threads = b.workers > 0 ? b.workers : Math.max(1, Math.min(4,
                    Runtime.getRuntime().availableProcessors()));
            ProgressLine progress = ProgressLine.on(b.log, "analysis of " + b.split, n, "studies");
            try (DataLoader<ScanReportExample, PretrainingBatch> loader = PretrainingPipeline
                    .validation(transform, ScanImageSource.decoding())
                    .loader(first, LoaderOptions.of(EmbeddingStatistics.BATCH_SIZE, false, false, threads, 0));
                 NoGradGuard g = new NoGradGuard()) {
                var it = loader.epoch(0);
                while (it.hasNext()) {
                    PretrainingBatch batch = it.next();
                    try (Scope s = Scope.open()) {
                        Tensor scans = Tensors.fromHost(batch.scans()).to(enc.device(), torch.ScalarType.Float);
                        collector.add(model.forward(scans, enc.packer().pack(batch.sentences()).to(enc.device())));
                    }
                    checkMemory(collector, n);
                    progress.update(collector.size());
                }
            }
            progress.finish();
        }
        Map<String, Double> metrics = collector.compute(EmbeddingStatistics.BATCH_SIZE);
        write(out, name, metrics);
        writeAlignment(out.resolveSibling("alignment-" + b.split + ".csv"), name, collector.alignmentDistances());
        return new Result(out, name, n, folder.toString(), metrics);
    }

    private static void checkMemory(EmbeddingCollector c, int total) {
        long estimate = c.bytes() / Math.max(1, c.size()) * total;
        long max = Runtime.getRuntime().maxMemory();
        // The statistics of the largest space work on two more copies of it (normalised, centred): about 3x.
        if (estimate * 3 > max * 0.9) {
            throw new LovtException(String.format(java.util.Locale.ROOT, "the embeddings of %d studies need about "
                    + "%.1f GB (and the statistics up to three times that), more than this JVM's heap allows (%.1f GB); "
                    + "analyse fewer (--max-samples) or give the JVM more memory (LOVT_JAVA_OPTS=-Xmx...)", total,
                    estimate / 1e9, max / 1e9));
        }
    }

    private static Path recordedFolder(Path runDir) {
        Path file = runDir.resolve(DATA_JSON);
        if (!Files.isRegularFile(file)) {
            throw new LovtException(runDir + ": no " + DATA_JSON + " (runs before this version do not record their "
                    + "data); give the data folder with --data");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (!n.path("folder").isTextual()) {
                throw new LovtException(file + ": the run's data has no folder (" + n.path("description").asText()
                        + "); give one with --data");
            }
            return Path.of(n.get("folder").asText());
        } catch (IOException e) {
            throw new LovtException(file + ": unreadable: " + e.getMessage(), e);
        }
    }

    /** A split of a MIMIC-CXR folder or of a synthetic folder, recognised by their files. */
    static Dataset<ScanReportSample> open(Path folder, String split) {
        if (Files.isRegularFile(folder.resolve(split).resolve("reports.jsonl"))) {
            return SyntheticFolder.open(folder.resolve(split));
        }
        if (Files.isRegularFile(folder.resolve("dataset_statistics.json"))) {
            return MimicCxrDataset.open(folder, split);
        }
        throw new LovtException(folder + ": neither a prepared MIMIC-CXR folder (dataset_statistics.json) nor a "
                + "synthetic folder with a " + split + " split (" + split + "/reports.jsonl)");
    }

    /**
     * Writes the row atomically: {@code name} and the sorted {@code emb/…} columns. An existing table keeps its other
     * models' rows (a row of the same name is replaced), so one file can hold the paper's table of several models.
     */
    static void write(Path out, String name, Map<String, Double> metrics) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        if (Files.isRegularFile(out)) {
            rows.putAll(read(out));
        }
        rows.put(name, metrics);
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        rows.values().forEach(m -> columns.addAll(m.keySet()));
        List<String> header = new ArrayList<>(List.of("name"));
        header.addAll(columns);
        StringBuilder text = new StringBuilder(Csv.line(header)).append("\n");
        rows.forEach((n, m) -> {
            List<String> row = new ArrayList<>(List.of(n));
            columns.forEach(c -> row.add(m.containsKey(c) ? Double.toString(m.get(c)) : ""));
            text.append(Csv.line(row)).append("\n");
        });
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            AtomicFiles.writeString(out, text.toString());
        } catch (IOException e) {
            throw new LovtException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Columns of {@code alignment-<split>.csv}: the boxes of the original's alignment boxplots, one row per kind. */
    static final List<String> ALIGNMENT_COLUMNS = List.of("name", "kind", "normalized", "n", "mean", "q1", "median",
            "q3", "whisker_low", "whisker_high");

    /**
     * Writes the alignment distances' box statistics (quartiles with linear interpolation, whiskers at the last datum
     * within 1.5 IQR, as matplotlib draws them) for the report's boxplots; other models' rows are kept.
     */
    static void writeAlignment(Path file, String name, Map<String, double[]> distances) {
        List<List<String>> rows = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            Csv.Table t = Csv.read(file);
            for (int r = 0; r < t.size(); r++) {
                if (!t.get(r, t.column("name")).equals(name)) {
                    List<String> row = new ArrayList<>();
                    for (String c : ALIGNMENT_COLUMNS) {
                        row.add(t.get(r, t.column(c)));
                    }
                    rows.add(row);
                }
            }
        }
        distances.forEach((key, values) -> {
            if (values.length == 0) {
                return;
            }
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            double q1 = quantile(v, 0.25);
            double q3 = quantile(v, 0.75);
            double iqr = q3 - q1;
            double low = v[0];
            double high = v[v.length - 1];
            for (double x : v) {
                if (x >= q1 - 1.5 * iqr) {
                    low = x;
                    break;
                }
            }
            for (int i = v.length - 1; i >= 0; i--) {
                if (v[i] <= q3 + 1.5 * iqr) {
                    high = v[i];
                    break;
                }
            }
            boolean normalized = key.endsWith("/normalized");
            rows.add(List.of(name, key.replace("/normalized", ""), Boolean.toString(normalized),
                    Integer.toString(v.length), Double.toString(java.util.Arrays.stream(v).average().orElse(Double.NaN)),
                    Double.toString(q1), Double.toString(quantile(v, 0.5)), Double.toString(q3), Double.toString(low),
                    Double.toString(high)));
        });
        StringBuilder text = new StringBuilder(Csv.line(ALIGNMENT_COLUMNS)).append("\n");
        rows.forEach(r -> text.append(Csv.line(r)).append("\n"));
        try {
            AtomicFiles.writeString(file, text.toString());
        } catch (IOException e) {
            throw new LovtException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** numpy's default (linear) quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Reads an {@code analysis-*.csv} (one row per model): name → metrics. */
    public static Map<String, Map<String, Double>> read(Path csv) {
        Csv.Table t = Csv.read(csv);
        int nameCol = t.column("name");
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int c = 0; c < t.header().size(); c++) {
                if (c != nameCol) {
                    String v = t.get(r, c);
                    m.put(t.header().get(c), v.isEmpty() ? Double.NaN : Double.parseDouble(v));
                }
            }
            rows.put(t.get(r, nameCol), m);
        }
        return rows;
    }

    /** Options of an {@link Analysis}. */
    public static final class Builder {
        private final Path runDir;
        private String split = "test";
        private Path data;
        private int maxSamples;
        private String name;
        private Path out;
        private int workers;
        private PrintStream log = System.err;

        private Builder(Path runDir) {
            this.runDir = Objects.requireNonNull(runDir, "runDir");
        }

        /** {@code train}, {@code validation} or {@code test} (default). */
        public Builder split(String s) {
            if (!List.of("train", "validation", "test").contains(s)) {
                throw new LovtException("unknown split '" + s + "' (train, validation or test)");
            }
            this.split = s;
            return this;
        }

        /** The data folder (default: the one the run was trained from). */
        public Builder data(Path folder) {
            this.data = folder;
            return this;
        }

        /** Analyse only the first {@code n} studies of the split (default 0: all). */
        public Builder maxSamples(int n) {
            if (n < 0) {
                throw new LovtException("max samples must not be negative, got " + n);
            }
            this.maxSamples = n;
            return this;
        }

        /** The row's name (default: the run folder's name). */
        public Builder name(String n) {
            this.name = n;
            return this;
        }

        /**
         * The table file (default: {@code <run>/analysis-<split>.csv}); an existing one keeps its other models' rows.
         */
        public Builder out(Path file) {
            this.out = file;
            return this;
        }

        /** Image-decoding threads (default: up to 4). */
        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        /** Where progress goes (default: standard error). */
        public Builder log(PrintStream p) {
            this.log = Objects.requireNonNull(p, "log");
            return this;
        }

        /** The configured analysis. */
        public Analysis build() {
            return new Analysis(this);
        }

        /** Builds and runs it. */
        public Result run() {
            return build().run();
        }
    }
}
