package org.lovt.data.datasets.prepare;

import org.lovt.util.StagingDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import org.lovt.LovtException;
import org.lovt.util.Csv;
import org.lovt.util.FileNames;
import org.lovt.util.ProgressLine;

/**
 * The steps every downstream preparation shares: read the annotations, split (from split files or at random),
 * process the images on several threads into a staging folder, write {@code <split>.csv},
 * {@code dataset_statistics.json} and {@code preparation.json}, and move the folder into place. Subclasses say what
 * a sample is and how one is processed.
 *
 * <p>Samples that fail (bad image, broken annotation) are dropped from their split after splitting, so one bad file
 * does not move any other sample to another split.
 *
 * @param <S> the data set's sample type
 */
public abstract class DownstreamPreparer<S> implements DatasetPreparer {
    /** File name of the split statistics (the original's {@code PIXEL_STATS_FILE_NAME}). */
    public static final String STATISTICS_FILE = "dataset_statistics.json";
    /** File name of this implementation's provenance and findings. */
    public static final String REPORT_FILE = "preparation.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LISTED = 20;

    /** A sample and what its processing gave. */
    public record Done<S>(S sample, Processed result) {}

    /** Reads the source annotations: every labelled sample, in source order. */
    protected abstract List<S> readSamples(Path src, PrepareOptions options, PrepareReport report);

    /** The random split (the original's algorithm for this data set). */
    protected abstract Splits<S> randomSplits(Path src, List<S> samples, PrepareOptions options, PrepareReport report);

    /** The split given by split files; the default looks ids up among {@code samples}. */
    protected Splits<S> splitsFrom(Path dir, Path src, List<S> samples, PrepareReport report) {
        return SplitFiles.assign(dir, samples, this::id, "the source annotations", report);
    }

    /** The sample's id (the CSV {@code ID}). */
    protected abstract String id(S sample);

    /** The sample's main source file, named when it is skipped. */
    protected abstract String sourceFile(Path src, S sample);

    /** Creates the output sub-folders. */
    protected abstract void createFolders(StagingDir out);

    /** Processes one sample into {@code out}; throws {@link LovtException} for bad input (the sample is skipped). */
    protected abstract Processed process(Path src, S sample, Path out, PrepareOptions options, PrepareReport report);

    /** Whether the split CSVs are detection CSVs ({@code ID,boxes,classes}) rather than id lists. */
    protected abstract boolean detectionCsv();

    /** Adds the data set's own keys after {@code num_samples} and {@code scan} to a split's statistics. */
    protected abstract void addStatistics(ObjectNode stats, List<Done<S>> done);

    @Override
    public final PrepareResult prepare(Path src, PrepareOptions options) {
        if (!Files.isDirectory(src)) {
            throw new LovtException(src + ": source folder not found");
        }
        PrepareReport report = new PrepareReport();
        List<S> samples = readSamples(src, options, report);
        Splits<S> splits = options.splitsFrom() != null
                ? splitsFrom(options.splitsFrom(), src, samples, report)
                : randomSplits(src, samples, options, report);
        try (StagingDir out = StagingDir.begin(options.out(), options.overwrite())) {
            createFolders(out);
            List<S> all = splits.all();
            ProgressLine progress = new ProgressLine(name(), all.size(), "images", options.log(),
                    options.progressInPlace(), options.progressInPlace() ? ProgressLine.TERMINAL_INTERVAL
                    : ProgressLine.LOG_INTERVAL);
            long t0 = System.nanoTime();
            List<Processed> results = SampleRunner.run(all, this::id, s -> sourceFile(src, s), options.threads(),
                    progress, report, s -> {
                        // Ids come from the source's tables and become file names in the output folder.
                        FileNames.requirePlain(id(s), "image id");
                        return process(src, s, out.dir(), options, report);
                    });
            double seconds = (System.nanoTime() - t0) / 1e9;
            try {
                return finish(src, options, report, splits, results, out, seconds, all.size());
            } catch (UncheckedIOException e) {
                throw new LovtException(e.getMessage(), e);
            }
        }
    }

    private PrepareResult finish(Path src, PrepareOptions options, PrepareReport report, Splits<S> splits,
                                 List<Processed> results, StagingDir out, double seconds, int attempted) {
        EnumMap<SplitName, List<Done<S>>> kept = new EnumMap<>(SplitName.class);
        int k = 0;
        for (SplitName split : SplitName.values()) {
            List<Done<S>> l = new ArrayList<>();
            for (S s : splits.get(split)) {
                Processed r = results.get(k++);
                if (r != null) {
                    l.add(new Done<>(s, r));
                }
            }
            kept.put(split, l);
        }
        ObjectNode stats = JSON.createObjectNode();
        Map<SplitName, Integer> sizes = new EnumMap<>(SplitName.class);
        for (SplitName split : SplitName.values()) {
            List<Done<S>> l = kept.get(split);
            writeCsv(out.dir().resolve(split.csvName()), l);
            stats.set(split.key(), splitStatistics(l));
            sizes.put(split, l.size());
        }
        int processed = sizes.values().stream().mapToInt(Integer::intValue).sum();
        PrepareResult result = new PrepareResult(out.target(), sizes, report.skipped(), report.warnings(),
                seconds, seconds > 0 ? attempted / seconds : 0);
        writeReport(out.dir().resolve(REPORT_FILE), src, options, result);
        // The statistics file is what loaders look for first: written last, then the folder appears at once.
        writeJson(out.dir().resolve(STATISTICS_FILE), stats);
        out.commit();
        printSummary(options.log(), result, processed, options.threads());
        return result;
    }

    private ObjectNode splitStatistics(List<Done<S>> done) {
        ObjectNode n = JSON.createObjectNode();
        n.put("num_samples", done.size());
        double[] ms = ImageStats.combine(done.stream().map(d -> d.result().stats()).toList());
        ObjectNode scan = n.putObject("scan");
        putFloat(scan, "pixel_mean", ms[0]);
        putFloat(scan, "pixel_std", ms[1]);
        addStatistics(n, done);
        return n;
    }

    /** Puts a float written as Python's {@code json.dump} writes it; non-finite values become null (not JSON). */
    protected static void putFloat(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) {
            node.putRawValue(key, new RawValue(PyFloat.repr(v)));
        } else {
            node.putNull(key);
        }
    }

    /** A JSON array of strings. */
    protected static ArrayNode stringArray(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private void writeCsv(Path file, List<Done<S>> done) {
        StringBuilder sb = new StringBuilder();
        if (detectionCsv()) {
            sb.append(Csv.line(List.of("ID", "boxes", "classes"))).append('\n');
            for (Done<S> d : done) {
                List<Box> b = d.result().boxes();
                sb.append(Csv.line(List.of(id(d.sample()), Box.boxesField(b), Box.classesField(b)))).append('\n');
            }
        } else {
            sb.append(Csv.line(List.of("ID"))).append('\n');
            for (Done<S> d : done) {
                sb.append(Csv.line(List.of(id(d.sample())))).append('\n');
            }
        }
        writeText(file, sb.toString());
    }

    private void writeReport(Path file, Path src, PrepareOptions o, PrepareResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("dataset", name());
        n.put("source", src.toAbsolutePath().normalize().toString());
        String v = DownstreamPreparer.class.getPackage().getImplementationVersion();
        n.put("lovt_version", v != null ? v : "development");
        n.put("java_version", System.getProperty("java.version"));
        ObjectNode opt = n.putObject("options");
        opt.put("splits_from", o.splitsFrom() == null ? null : o.splitsFrom().toAbsolutePath().normalize().toString());
        opt.put("seed", o.splitsFrom() == null ? (Long) o.seed() : null);
        opt.put("val_fraction", o.valFraction());
        opt.put("test_fraction", o.testFraction());
        opt.put("fix_quirks", o.fixQuirks());
        opt.put("threads", o.threads());
        ObjectNode sizes = n.putObject("split_sizes");
        r.splitSizes().forEach((s, c) -> sizes.put(s.key(), c));
        // Subsets are prefixes of the stored order (spec §0); their sizes, for checking a loader's.
        ObjectNode subsets = n.putObject("subset_sizes");
        r.splitSizes().forEach((s, c) -> {
            ObjectNode f = subsets.putObject(s.key());
            Subsets.PAPER_FRACTIONS.forEach(x -> f.put(PyFloat.repr(x), Subsets.size(c, x)));
        });
        n.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        n.put("images_per_second", Math.round(r.imagesPerSecond() * 100) / 100.0);
        n.set("skipped", entries(r.skipped()));
        n.set("warnings", entries(r.warnings()));
        describe(n);
        writeJson(file, n);
    }

    /**
     * Adds keys of its own to {@code preparation.json} (after the shared ones; a key given again replaces the shared
     * one). The real data sets add nothing; the synthetic downstream writer records its generator here.
     */
    protected void describe(ObjectNode report) {}

    private static ArrayNode entries(List<PrepareReport.Entry> l) {
        ArrayNode a = JSON.createArrayNode();
        for (PrepareReport.Entry e : l) {
            ObjectNode o = a.addObject();
            o.put("id", e.id());
            o.put("file", e.file());
            o.put("message", e.message());
        }
        return a;
    }

    private void printSummary(PrintWriter log, PrepareResult r, int processed, int threads) {
        if (log == null) {
            return;
        }
        Map<SplitName, Integer> s = r.splitSizes();
        log.printf(java.util.Locale.ROOT, "%s: prepared %,d images in %s (%.1f images/s on %d threads): train %,d,"
                        + " validation %,d, test %,d -> %s%n", name(), processed, ProgressLine.duration(r.seconds()),
                r.imagesPerSecond(), threads, s.get(SplitName.TRAIN), s.get(SplitName.VALIDATION),
                s.get(SplitName.TEST), r.out());
        list(log, "skipped", r.skipped(), r.out());
        list(log, "warnings", r.warnings(), r.out());
        log.flush();
    }

    private void list(PrintWriter log, String what, List<PrepareReport.Entry> l, Path out) {
        if (l.isEmpty()) {
            return;
        }
        log.printf(java.util.Locale.ROOT, "%s: %s: %,d%n", name(), what, l.size());
        for (int i = 0; i < Math.min(LISTED, l.size()); i++) {
            PrepareReport.Entry e = l.get(i);
            log.println("  " + e.id() + " (" + e.file() + "): " + e.message());
        }
        if (l.size() > LISTED) {
            log.println("  ... the full list is in " + out.resolve(REPORT_FILE));
        }
    }

    /** Writes UTF-8 text (into the staging folder). */
    protected static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeJson(Path file, ObjectNode node) {
        try {
            writeText(file, JSON.writeValueAsString(node) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
