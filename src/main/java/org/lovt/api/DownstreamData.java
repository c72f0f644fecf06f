package org.lovt.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.lovt.data.datasets.downstream.SyntheticDownstream;

/**
 * Downstream data sets for {@link DownstreamEvaluation} and {@link DownstreamSuite} without a download: synthetic
 * folders in exactly the prepared format of {@code lovt prepare <dataset>} ({@code lovt prepare synthetic DATASET}),
 * drawn by the pre-training data's generator (same anatomy, exposure, noise and finding drawings), so a backbone
 * pre-trained on {@link PretrainingData#generateSynthetic synthetic studies} sees the same kind of image.
 */
public final class DownstreamData {
    /** The data sets a synthetic folder can imitate. */
    public static final List<String> DATASETS = List.of("rsna", "covid", "siim", "object-cxr", "nih");

    private DownstreamData() {}

    /**
     * Writes a synthetic {@code dataset} (rsna, covid, siim, object-cxr or nih) of {@code imageSize}² images into
     * {@code folder} (atomically; deterministic in {@code seed}), or keeps a folder already prepared there (with its
     * {@code preparation.json}); another existing folder is refused, not overwritten.
     *
     * @return {@code folder}
     */
    public static Path generateSynthetic(Path folder, String dataset, long seed, int train, int validation, int test,
                                         int imageSize) {
        if (!Files.isRegularFile(folder.resolve("preparation.json"))) {
            SyntheticDownstream.write(folder, dataset, train, validation, test, imageSize, seed,
                    new SyntheticDownstream.Options(Math.max(1, Runtime.getRuntime().availableProcessors()), false,
                            false, null, false));
        }
        return folder;
    }
}
