package org.lovt.data.datasets.downstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.util.Csv;
import org.lovt.util.FileNames;

/**
 * A downstream data set as {@code lovt prepare {rsna,covid,siim,object-cxr,nih}} (or {@link SyntheticDownstream})
 * wrote it, opened for the evaluation tasks: its splits with the original's subsets and the evaluation transform
 * (spec lovt-data-eval.md §0, §2, §3.2).
 *
 * <p>{@link #open(Path)} checks the whole folder once (the two JSON files, the three split CSVs and their boxes, the
 * image and mask folders) and refuses it with a one-line {@link LovtException} naming the first missing or bad file;
 * image and mask files are read only when a sample is. A folder without this project's {@code preparation.json}
 * (for instance one the original Python scripts wrote) is refused: its file names are not known to match.
 *
 * <p>Every folder serves both kinds of task as in the original: detection data sets (RSNA, Object-CXR, NIH) have
 * boxes and masks, segmentation data sets (COVID, SIIM) masks only. Normalisation always uses the train split's
 * statistics, for every split and subset (the original's {@code train_dataset.stats['scan']}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PreparedDownstream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final DownstreamFormat format;
    private final boolean synthetic;
    private final boolean quirksFixed;
    private final double mean;
    private final double std;
    private final Map<SplitName, Rows> splits;

    /** A split CSV as read: ids, and for detection CSVs each row's boxes (x, y, w, h concatenated) and classes. */
    private record Rows(List<String> ids, List<double[]> boxes, List<int[]> classes) {}

    private PreparedDownstream(Path dir, DownstreamFormat format, boolean synthetic, boolean quirksFixed, double mean,
                               double std, Map<SplitName, Rows> splits) {
        this.dir = dir;
        this.format = format;
        this.synthetic = synthetic;
        this.quirksFixed = quirksFixed;
        this.mean = mean;
        this.std = std;
        this.splits = splits;
    }

    /**
     * Opens and checks a prepared folder.
     *
     * @throws LovtException naming the missing or bad file or folder: {@code preparation.json} (absent, not JSON, or
     *                       naming no downstream data set), {@code dataset_statistics.json} (absent, not JSON, no
     *                       positive train statistics, a {@code num_samples} that disagrees with its CSV),
     *                       {@code <split>.csv} (absent, a missing column, a bad boxes or classes field), the image
     *                       folder or a mask folder
     */
    public static PreparedDownstream open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LovtException(dir + ": not a folder (a prepared downstream data set is expected)");
        }
        Path report = dir.resolve(DownstreamPreparer.REPORT_FILE);
        if (!Files.isRegularFile(report)) {
            throw new LovtException(report + ": missing; " + dir + " was not written by `lovt prepare "
                    + "{" + DownstreamFormat.keys().replace(", ", ",") + "}` (or `lovt prepare synthetic`)");
        }
        JsonNode prep = readJson(report);
        JsonNode name = prep.get("dataset");
        if (name == null || !name.isTextual()) {
            throw new LovtException(report + ": no \"dataset\" name; not a preparation.json of `lovt prepare`");
        }
        DownstreamFormat format;
        try {
            format = DownstreamFormat.of(name.asText());
        } catch (LovtException e) {
            throw new LovtException(report + ": dataset '" + name.asText() + "' is not a downstream data set ("
                    + DownstreamFormat.keys() + ")", e);
        }
        boolean synthetic = prep.path("synthetic").isObject();
        boolean quirksFixed = prep.path("options").path("fix_quirks").asBoolean(false);

        Path statsFile = dir.resolve(DownstreamPreparer.STATISTICS_FILE);
        if (!Files.isRegularFile(statsFile)) {
            throw new LovtException(statsFile + ": missing (the split statistics of a prepared data set)");
        }
        JsonNode stats = readJson(statsFile);
        double mean = statistic(stats, statsFile, "pixel_mean");
        double std = statistic(stats, statsFile, "pixel_std");
        if (!(std > 0)) {
            throw new LovtException(statsFile + ": train.scan.pixel_std is " + std + "; a positive value is needed");
        }

        Map<SplitName, Rows> splits = new EnumMap<>(SplitName.class);
        for (SplitName s : SplitName.values()) {
            Path csv = dir.resolve(s.csvName());
            if (!Files.isRegularFile(csv)) {
                throw new LovtException(csv + ": missing (the " + s.key() + " split)");
            }
            Rows rows = readCsv(csv, format.hasBoxes());
            JsonNode n = stats.path(s.key()).path("num_samples");
            if (n.isNumber() && n.asInt() != rows.ids().size()) {
                throw new LovtException(csv + ": " + rows.ids().size() + " samples, but " + statsFile.getFileName()
                        + " says num_samples " + n.asInt() + " for " + s.key());
            }
            splits.put(s, rows);
        }
        Path images = dir.resolve(format.imageFolder());
        if (!Files.isDirectory(images)) {
            throw new LovtException(images + ": image folder missing");
        }
        for (int t = 0; t < format.targets().size(); t++) {
            Path masks = format.maskFolder(dir, t);
            if (!Files.isDirectory(masks)) {
                throw new LovtException(masks + ": mask folder of target " + format.targets().get(t) + " missing");
            }
        }
        return new PreparedDownstream(dir, format, synthetic, quirksFixed, mean, std, splits);
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new LovtException(file + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new LovtException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static double statistic(JsonNode stats, Path file, String key) {
        JsonNode v = stats.path("train").path("scan").path(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new LovtException(file + ": train.scan." + key + " is missing or not a number");
        }
        return v.asDouble();
    }

    private static Rows readCsv(Path file, boolean detection) {
        Csv.Table t = Csv.read(file);
        int idCol = t.column("ID");
        int boxCol = detection ? t.column("boxes") : -1;
        int classCol = detection ? t.column("classes") : -1;
        List<String> ids = new ArrayList<>(t.size());
        List<double[]> boxes = new ArrayList<>(detection ? t.size() : 0);
        List<int[]> classes = new ArrayList<>(detection ? t.size() : 0);
        for (int r = 0; r < t.size(); r++) {
            String id = t.get(r, idCol);
            if (id.isEmpty()) {
                throw new LovtException(t.where(r) + ": empty ID");
            }
            ids.add(FileNames.requirePlain(id, t.where(r) + ": ID")); // it names the image and mask files

            if (detection) {
                double[] b = parseBoxes(t.get(r, boxCol), t.where(r));
                int[] c = parseClasses(t.get(r, classCol), t.where(r));
                if (c.length != b.length / 4) {
                    throw new LovtException(t.where(r) + ": " + b.length / 4 + " boxes but " + c.length
                            + " classes");
                }
                boxes.add(b);
                classes.add(c);
            }
        }
        return new Rows(ids, boxes, classes);
    }

    /** {@code x;y;w;h} boxes joined by {@code |} (spec §2.0); empty for none. */
    static double[] parseBoxes(String field, String where) {
        if (field.isEmpty()) {
            return new double[0];
        }
        String[] boxes = field.split("\\|", -1);
        double[] out = new double[4 * boxes.length];
        for (int k = 0; k < boxes.length; k++) {
            String[] v = boxes[k].split(";", -1);
            if (v.length != 4) {
                throw new LovtException(where + ": box '" + boxes[k] + "' is not x;y;w;h");
            }
            for (int j = 0; j < 4; j++) {
                try {
                    out[4 * k + j] = Double.parseDouble(v[j]);
                } catch (NumberFormatException e) {
                    throw new LovtException(where + ": box '" + boxes[k] + "' has a value that is not a number", e);
                }
                if (!Double.isFinite(out[4 * k + j])) {
                    throw new LovtException(where + ": box '" + boxes[k] + "' has a value that is not finite");
                }
            }
        }
        return out;
    }

    private static int[] parseClasses(String field, String where) {
        if (field.isEmpty()) {
            return new int[0];
        }
        String[] c = field.split("\\|", -1);
        int[] out = new int[c.length];
        for (int k = 0; k < c.length; k++) {
            try {
                out[k] = Integer.parseInt(c[k]);
            } catch (NumberFormatException e) {
                throw new LovtException(where + ": class '" + c[k] + "' is not an integer", e);
            }
        }
        return out;
    }

    /** The prepared folder. */
    public Path dir() {
        return dir;
    }

    /** The data set's name as {@code preparation.json} records it: rsna, covid, siim, object-cxr or nih. */
    public String dataset() {
        return format.key();
    }

    /** The data set's file layout. */
    public DownstreamFormat format() {
        return format;
    }

    /** Whether the folder holds synthetic data ({@link SyntheticDownstream}). */
    public boolean synthetic() {
        return synthetic;
    }

    /**
     * Whether it was prepared with {@code --fix-quirks}: only Object-CXR has target bugs to fix (spec §8 item 5).
     * When false, an Object-CXR CSV holds the original's boxes {@code (x1, y1, y2 - y1, x2 - x1)}, width and height
     * swapped, which the reader returns as they are, as the original's {@code DetectionDataset} does.
     */
    public boolean quirksFixed() {
        return quirksFixed;
    }

    /** Whether the split CSVs hold boxes (RSNA, Object-CXR, NIH), i.e. detection tasks can use the data set. */
    public boolean hasBoxes() {
        return format.hasBoxes();
    }

    /** The segmentation targets in the original's order: one mask per target and sample. */
    public List<String> targets() {
        return format.targets();
    }

    /** The train split's {@code scan.pixel_mean} (images scaled to [0, 1]). */
    public double pixelMean() {
        return mean;
    }

    /** The train split's {@code scan.pixel_std}. */
    public double pixelStd() {
        return std;
    }

    /** The number of samples in a split as stored. */
    public int size(SplitName split) {
        return splits.get(split).ids().size();
    }

    /**
     * A split, or its subset, with the evaluation transform to {@code inputSize x inputSize}.
     *
     * @param fraction null for the whole split; otherwise the original's {@code apply_subset}: the first
     *                 {@code round(n * fraction)} samples in stored order, Python's half-even rounding (RSNA's
     *                 1 % and 10 % train subsets, its 10 % validation subset)
     * @throws LovtException when the fraction is not in (0, 1] or the input size is not positive
     */
    public DownstreamSplit split(SplitName split, Double fraction, int inputSize) {
        if (inputSize < 1) {
            throw new LovtException("input size must be positive, got " + inputSize);
        }
        Rows rows = splits.get(split);
        int n = subsetSize(rows.ids().size(), fraction);
        return new DownstreamSplit(dir, format, split, rows.ids().subList(0, n),
                rows.boxes().isEmpty() ? List.of() : rows.boxes().subList(0, n),
                rows.classes().isEmpty() ? List.of() : rows.classes().subList(0, n), inputSize, mean, std);
    }

    /** {@code round(n * fraction)} with Python's half-even rounding; null keeps all. */
    static int subsetSize(int n, Double fraction) {
        if (fraction == null) {
            return n;
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new LovtException("a subset fraction lies in (0, 1], not " + fraction);
        }
        return (int) Math.rint(n * fraction);
    }
}
