package org.lovt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.config.ConfigLoader;
import org.lovt.data.Dataset;
import org.lovt.data.DatasetConfig;
import org.lovt.data.ScanReportSample;
import org.lovt.data.datasets.mimic.MimicCxrDataset;
import org.lovt.data.datasets.mimic.PixelStats;
import org.lovt.data.datasets.synthetic.SyntheticDataset;
import org.lovt.data.datasets.synthetic.SyntheticFolder;
import org.lovt.data.datasets.synthetic.SyntheticWriter;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ImageDecoder;

/**
 * Image–report pairs to pre-train on: a MIMIC-CXR folder prepared by {@code lovt prepare mimic-cxr}, or generated
 * synthetic chest X-rays with reports ({@link #generateSynthetic}), which need no download.
 *
 * <p>The pixel mean and standard deviation used to normalise scans come from the training split (the original's
 * {@code compute_pixel_stats}), and travel with every model trained on it.
 */
public final class PretrainingData {
    /** Training images read to estimate a synthetic folder's pixel statistics (they vary little between images). */
    static final int SYNTHETIC_STATS_IMAGES = 400;

    private final String description;
    private final Dataset<ScanReportSample> train;
    private final Dataset<ScanReportSample> validation;
    private final double pixelMean;
    private final double pixelStd;
    private Path mimicFolder;
    private Path syntheticFolder;

    private PretrainingData(String description, Dataset<ScanReportSample> train,
                            Dataset<ScanReportSample> validation, double pixelMean, double pixelStd) {
        if (train.size() == 0) {
            throw new LovtException(description + ": the training split is empty");
        }
        if (validation.size() == 0) {
            throw new LovtException(description + ": the validation split is empty");
        }
        this.description = description;
        this.train = train;
        this.validation = validation;
        this.pixelMean = pixelMean;
        this.pixelStd = pixelStd;
    }

    /** A MIMIC-CXR folder prepared by {@code lovt prepare mimic-cxr} (splits {@code train} and {@code validation}). */
    public static PretrainingData mimicCxr(Path preparedFolder) {
        MimicCxrDataset train = MimicCxrDataset.open(preparedFolder, "train");
        MimicCxrDataset val = MimicCxrDataset.open(preparedFolder, "validation");
        PretrainingData d = new PretrainingData("MIMIC-CXR folder " + preparedFolder, train, val, train.pixelMean(),
                train.pixelStd());
        d.mimicFolder = preparedFolder;
        return d;
    }

    /** The prepared MIMIC-CXR folder, when the data is one (the image-only baselines read its image lists). */
    java.util.Optional<Path> mimicFolder() {
        return java.util.Optional.ofNullable(mimicFolder);
    }

    /** The data set a config names ({@code dataset/<name>}, paths from the loader's user config). */
    static PretrainingData fromConfig(ConfigLoader loader, String name) {
        return fromConfig(loader, name, null);
    }

    /**
     * The data set a config names, read from {@code folder} instead of the config's path when one is given: its
     * subsets still apply ({@code LoVT_30} trains on the first 30 % of the studies also with {@code --data}).
     */
    static PretrainingData fromConfig(ConfigLoader loader, String name, Path folder) {
        DatasetConfig dc = folder == null ? DatasetConfig.load(loader, name)
                : loader.load("dataset/" + name, java.util.List.of("path=" + folder.toAbsolutePath()))
                .bind(DatasetConfig.class);
        MimicCxrDataset train = MimicCxrDataset.fromConfig(dc, "train");
        MimicCxrDataset val = MimicCxrDataset.fromConfig(dc, "validation");
        String subset = dc.trainSubset() == null ? "" : ", the first " + Math.round(dc.trainSubset() * 100)
                + " % of the training studies";
        PretrainingData d = new PretrainingData((folder == null ? "data set " + name + " (" + dc.path() + ")"
                : "MIMIC-CXR folder " + folder + " (dataset/" + name + ")") + subset, train, val, train.pixelMean(),
                train.pixelStd());
        d.mimicFolder = folder;
        return d;
    }

    /** A folder written by {@link #generateSynthetic} (or {@code lovt demo}): {@code train/}, {@code validation/}. */
    public static PretrainingData synthetic(Path folder) {
        for (String split : List.of("train", "validation")) {
            if (!Files.isRegularFile(folder.resolve(split).resolve("reports.jsonl"))) {
                throw new LovtException(folder + ": not a synthetic data folder (no " + split + "/reports.jsonl)");
            }
        }
        Dataset<ScanReportSample> train = SyntheticFolder.open(folder.resolve("train"));
        Dataset<ScanReportSample> val = SyntheticFolder.open(folder.resolve("validation"));
        int n = Math.min(SYNTHETIC_STATS_IMAGES, train.size());
        double[] means = new double[n];
        double[] vars = new double[n];
        for (int i = 0; i < n; i++) {
            Path image = train.get(i).images().get(0);
            GrayImage g = ImageDecoder.decodeGray(image);
            PixelStats.MeanVar mv = PixelStats.ofUint8(g.pixels());
            means[i] = mv.mean();
            vars[i] = mv.variance();
        }
        PixelStats.MeanVar pooled = PixelStats.pool(means, vars);
        PretrainingData d = new PretrainingData("synthetic folder " + folder, train, val, pooled.mean(), pooled.std());
        d.syntheticFolder = folder;
        return d;
    }

    /** The synthetic folder, when the data is one. */
    java.util.Optional<Path> syntheticFolder() {
        return java.util.Optional.ofNullable(syntheticFolder);
    }

    /**
     * Generates {@code train + validation + test} synthetic studies of {@code imageSize}² pixels into
     * {@code folder} (deterministic in {@code seed}; see {@code org.lovt.data.datasets.synthetic}) and opens them.
     * An existing complete folder is opened as it is.
     */
    public static PretrainingData generateSynthetic(Path folder, long seed, int train, int validation, int test,
                                                    int imageSize) {
        if (!Files.isRegularFile(folder.resolve("validation").resolve("reports.jsonl"))) {
            try {
                SyntheticWriter.write(folder, SyntheticDataset.splits(seed, train, validation, test, imageSize));
            } catch (IOException e) {
                throw new LovtException("cannot write synthetic data to " + folder + ": " + e.getMessage(), e);
            }
        }
        return synthetic(folder);
    }

    /** What the data is, for messages. */
    public String description() {
        return description;
    }

    /** Number of training studies. */
    public int trainSize() {
        return train.size();
    }

    /** Number of validation studies. */
    public int validationSize() {
        return validation.size();
    }

    /** Mean of the training images' pixels in [0, 1]. */
    public double pixelMean() {
        return pixelMean;
    }

    /** Standard deviation of the training images' pixels in [0, 1]. */
    public double pixelStd() {
        return pixelStd;
    }

    Dataset<ScanReportSample> train() {
        return train;
    }

    Dataset<ScanReportSample> validation() {
        return validation;
    }

    /** Every training sentence, for building a vocabulary. */
    List<String> trainSentences() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            all.addAll(train.get(i).sentences());
        }
        return all;
    }
}
