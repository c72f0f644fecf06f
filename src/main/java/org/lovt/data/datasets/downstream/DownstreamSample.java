package org.lovt.data.datasets.downstream;

import java.util.List;

/**
 * One downstream sample after the evaluation transform (spec lovt-data-eval.md §3.2), what the original's data sets
 * and {@code ScanDataTransform} hand to a detection or segmentation head.
 *
 * @param id      the sample's {@code ID} in its split CSV
 * @param image   {@code inputSize * inputSize} floats, row-major, one channel, normalised with the train split's
 *                {@code scan.pixel_mean} / {@code scan.pixel_std} (the model replicates it to three channels)
 * @param boxes   {@code n * 4} floats: x, y, w, h per box (top-left corner and size) in the {@code inputSize} frame,
 *                as the CSV gives them after padding and scaling; empty for segmentation-only data sets. Object-CXR
 *                folders prepared without {@code --fix-quirks} hold the original's swapped w/h, read as they are
 *                (see {@link PreparedDownstream#quirksFixed()})
 * @param classes {@code n} class indices, all 0: the original's {@code DetectionDataset} overwrites every class with
 *                0 (spec §2.0 quirk; the CSV's classes are in {@link DownstreamSplit#storedClasses(int)})
 * @param masks   one {@code inputSize * inputSize} 0/1 mask per target, in {@link PreparedDownstream#targets()}
 *                order
 */
public record DownstreamSample(String id, float[] image, float[] boxes, int[] classes, List<byte[]> masks) {
    public DownstreamSample {
        if (boxes.length % 4 != 0 || classes.length != boxes.length / 4) {
            throw new IllegalArgumentException(boxes.length + " box values for " + classes.length + " classes");
        }
        masks = List.copyOf(masks);
    }

    /** The number of boxes. */
    public int numBoxes() {
        return classes.length;
    }
}
