package org.lovt.data.datasets.prepare;

import java.util.List;

/**
 * The outcome of preparing one sample.
 *
 * @param stats            pixel statistics of the stored image (before the 8-bit cast)
 * @param positiveFraction fraction of mask pixels that are foreground (SIIM, COVID), else NaN
 * @param boxes            the boxes as written to the detection CSV (fitted to the image), empty for
 *                         segmentation-only data sets
 */
public record Processed(ImageStats stats, double positiveFraction, List<Box> boxes) {
    /** A sample without mask fraction or boxes. */
    public static Processed of(ImageStats stats) {
        return new Processed(stats, Double.NaN, List.of());
    }
}
