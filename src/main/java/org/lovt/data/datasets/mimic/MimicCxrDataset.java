package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.lovt.LovtException;
import org.lovt.data.Dataset;
import org.lovt.data.DatasetConfig;
import org.lovt.data.ScanReportSample;

/**
 * One split of a prepared MIMIC-CXR dataset (written by {@link MimicCxrPreparer}), as the original's
 * {@code MimicCxrDataset} (spec lovt-data-eval §1.6, §1.8): each sample is a study with the absolute paths of its
 * frontal images, its findings + impression sentences and its five U-ones CheXpert labels.
 *
 * <p>A subset fraction keeps the <b>first</b> {@code round(f · N)} studies in stored order (Python's round, half to
 * even; {@code apply_subset}), so the "30 %" training set is the lowest subject ids, not a random sample. The pixel
 * statistics are always those of the full split.
 *
 * <p>Only byte offsets of the lines are kept in memory; {@link #get(int)} reads and parses one line, so the full
 * training split (about 220,000 studies) costs a few MB. Safe for concurrent {@code get} calls.
 */
public final class MimicCxrDataset implements Dataset<ScanReportSample> {
    /** Per-split file with one study per line. */
    public static final String SAMPLES_FILE = "samples.jsonl";
    /** Per-split image list for the image-only baselines. */
    public static final String IMAGE_LIST_FILE = "image_list.csv";
    /** Symbolic link to the MIMIC-CXR-JPG {@code files/} tree in the dataset folder. */
    public static final String IMAGES_LINK = "images";
    /** The split names. */
    public static final List<String> SPLITS = List.of("train", "validation", "test");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json writes NaN
            .build();

    private final Path root;
    private final String split;
    private final Path samplesFile;
    private final Path imageRoot;
    private final long[] offsets;
    private final int size;
    private final double pixelMean;
    private final double pixelStd;

    private MimicCxrDataset(Path root, String split, Path samplesFile, Path imageRoot, long[] offsets, int size,
                            double pixelMean, double pixelStd) {
        this.root = root;
        this.split = split;
        this.samplesFile = samplesFile;
        this.imageRoot = imageRoot;
        this.offsets = offsets;
        this.size = size;
        this.pixelMean = pixelMean;
        this.pixelStd = pixelStd;
    }

    /** The whole split, images under {@code root/images}. */
    public static MimicCxrDataset open(Path root, String split) {
        return open(root, split, null, null);
    }

    /** A subset of the split ({@code null} = all), images under {@code root/images}. */
    public static MimicCxrDataset open(Path root, String split, Double subset) {
        return open(root, split, subset, null);
    }

    /**
     * Opens a split.
     *
     * @param root      the prepared dataset folder (with {@code dataset_statistics.json})
     * @param split     {@code train}, {@code validation} or {@code test}
     * @param subset    fraction in (0, 1] of the first studies to keep, or null for all
     * @param imageRoot the MIMIC-CXR-JPG {@code files/} folder, or null for {@code root/images} (the original's
     *                  {@code image_root_path}; useful when the dataset moved to another machine)
     * @throws LovtException if the folder is not a prepared dataset or lacks the split
     */
    public static MimicCxrDataset open(Path root, String split, Double subset, Path imageRoot) {
        if (!SPLITS.contains(split)) {
            throw new LovtException("unknown MIMIC-CXR split '" + split + "' (expected one of " + SPLITS + ")");
        }
        if (subset != null && !(subset > 0 && subset <= 1)) {
            throw new LovtException("subset must be a fraction in (0, 1], got " + subset);
        }
        double[] stats = scanStatistics(root, split);
        Path samples = root.resolve(split).resolve(SAMPLES_FILE);
        if (!Files.isRegularFile(samples)) {
            throw new LovtException(samples + ": missing");
        }
        Path images = imageRoot != null ? imageRoot : root.resolve(IMAGES_LINK);
        if (!Files.isDirectory(images)) {
            throw new LovtException(images + ": image folder not found (pass the MIMIC-CXR-JPG files/ folder)");
        }
        long[] offsets = lineOffsets(samples);
        int n = offsets.length - 1;
        int size = subset == null ? n : subsetSize(n, subset);
        return new MimicCxrDataset(root, split, samples, images.toAbsolutePath(), offsets, size, stats[0], stats[1]);
    }

    /**
     * The split's {@code scan.pixel_mean} and {@code scan.pixel_std} from the folder's {@code dataset_statistics.json}.
     *
     * @throws LovtException when the folder is not a prepared data set or lacks the split's statistics
     */
    static double[] scanStatistics(Path root, String split) {
        Path stats = root.resolve(DatasetFiles.STATISTICS_FILE);
        if (!Files.isRegularFile(stats)) {
            throw new LovtException(root + ": not a prepared MIMIC-CXR dataset (no " + DatasetFiles.STATISTICS_FILE
                    + "; run `lovt prepare mimic-cxr`)");
        }
        JsonNode scan;
        try {
            scan = JSON.readTree(stats.toFile()).path(split).path("scan");
        } catch (IOException e) {
            throw new LovtException(stats + ": cannot read: " + e.getMessage(), e);
        }
        if (!scan.path("pixel_mean").isNumber() || !scan.path("pixel_std").isNumber()) {
            throw new LovtException(stats + ": no scan.pixel_mean/pixel_std for the " + split + " split");
        }
        return new double[] {scan.get("pixel_mean").asDouble(), scan.get("pixel_std").asDouble()};
    }

    /** The subset fraction a dataset config gives a split ({@code train_subset}, ...), or null. */
    static Double subset(DatasetConfig config, String split) {
        return switch (split) {
            case "train" -> config.trainSubset();
            case "validation" -> config.valSubset();
            case "test" -> config.testSubset();
            default -> throw new LovtException("unknown MIMIC-CXR split '" + split + "'");
        };
    }

    /**
     * The split of a dataset config ({@code configs/dataset/mimic-cxr_*.yaml}): its path and the subset fraction of
     * that split ({@code train_subset}, {@code val_subset} or {@code test_subset}).
     */
    public static MimicCxrDataset fromConfig(DatasetConfig config, String split) {
        return open(Path.of(config.path()), split, subset(config, split), null);
    }

    /** {@code round(n * fraction)} with Python's round (half to even). */
    public static int subsetSize(int n, double fraction) {
        return (int) Math.rint(n * fraction);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ScanReportSample get(int index) {
        JsonNode node = record(index);
        String patient = node.path("patient_id").asText();
        String study = node.path("study_id").asText();
        List<Path> images = new ArrayList<>();
        Path studyDir = imageRoot.resolve("p" + patient.substring(0, Math.min(2, patient.length())))
                .resolve("p" + patient).resolve("s" + study);
        for (JsonNode d : node.path("scan").path("dicom_id")) {
            images.add(studyDir.resolve(d.asText() + ".jpg"));
        }
        List<String> sentences = new ArrayList<>();
        for (JsonNode s : node.path("report").path("sentences")) {
            sentences.add(s.asText());
        }
        float[] labels = new float[ScanReportSample.CHEXPERT_LABELS.size()];
        JsonNode bin = node.path("chexpert_bin_labels");
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (float) bin.path(ScanReportSample.CHEXPERT_LABELS.get(i)).asDouble();
        }
        return new ScanReportSample("s" + study, List.copyOf(images), List.copyOf(sentences), labels);
    }

    /**
     * The stored JSON object of a study, with every field the preparation wrote (views with sizes and statistics,
     * section sentences, token counts, the 14 CheXpert classes, ...).
     */
    public JsonNode record(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        long start = offsets[index];
        int length = (int) (offsets[index + 1] - start);
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(samplesFile, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    throw new LovtException(samplesFile + ": ends inside sample " + index);
                }
            }
            return JSON.readTree(new String(buf.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LovtException(samplesFile + ": cannot read sample " + index + ": " + e.getMessage(), e);
        }
    }

    /** The split's {@code scan.pixel_mean} (of the full split, also for a subset). */
    public double pixelMean() {
        return pixelMean;
    }

    /** The split's {@code scan.pixel_std} (of the full split, also for a subset). */
    public double pixelStd() {
        return pixelStd;
    }

    /** The split name. */
    public String split() {
        return split;
    }

    /** The dataset folder. */
    public Path root() {
        return root;
    }

    /** The folder the image paths are under. */
    public Path imageRoot() {
        return imageRoot;
    }

    /** Start offsets of the non-empty lines, then the end offset of the last one ({@code n + 1} values). */
    private static long[] lineOffsets(Path file) {
        long[] offsets = new long[1024];
        int n = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            long pos = 0;
            long lineStart = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        long end = pos + i;
                        if (end > lineStart) {
                            if (n + 2 > offsets.length) {
                                offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
                            }
                            offsets[n++] = lineStart;
                            offsets[n] = end;
                        }
                        lineStart = end + 1;
                    }
                }
                pos += r;
            }
            if (pos > lineStart) {
                throw new LovtException(file + ": the last line is incomplete (no newline); the file is truncated");
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
        // Line i is parsed from its start to the next line's start (or the last line's end): starts, then one end.
        return java.util.Arrays.copyOf(offsets, n + 1);
    }
}
