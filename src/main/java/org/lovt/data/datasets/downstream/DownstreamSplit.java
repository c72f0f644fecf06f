package org.lovt.data.datasets.downstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ImageDecoder;

/**
 * One split of a prepared downstream data set (or its subset, a prefix in stored order), with the evaluation
 * transform of a given input size. Samples are decoded and transformed on each {@link #get(int)}; nothing is cached.
 * Immutable: {@link #get(int)} may be called from several loader threads at once.
 */
public final class DownstreamSplit {
    private final Path dir;
    private final DownstreamFormat format;
    private final SplitName split;
    private final List<String> ids;
    private final List<double[]> boxes;
    private final List<int[]> classes;
    private final DownstreamTransform transform;
    private final int inputSize;

    DownstreamSplit(Path dir, DownstreamFormat format, SplitName split, List<String> ids, List<double[]> boxes,
                    List<int[]> classes, int inputSize, double mean, double std) {
        this.dir = dir;
        this.format = format;
        this.split = split;
        this.ids = List.copyOf(ids);
        this.boxes = List.copyOf(boxes);
        this.classes = List.copyOf(classes);
        this.inputSize = inputSize;
        this.transform = new DownstreamTransform(inputSize, mean, std);
    }

    /** Which split this is. */
    public SplitName split() {
        return split;
    }

    /** Samples in this split (or subset). */
    public int size() {
        return ids.size();
    }

    /** Side length of the transformed images and masks. */
    public int inputSize() {
        return inputSize;
    }

    /** The id of sample {@code i} (its CSV {@code ID}). */
    public String id(int i) {
        return ids.get(i);
    }

    /** The prepared image file of sample {@code i}. */
    public Path imageFile(int i) {
        return format.imageFile(dir, ids.get(i));
    }

    /** The mask file of sample {@code i} for target {@code t} (in {@link PreparedDownstream#targets()} order). */
    public Path maskFile(int i, int t) {
        return format.maskFile(dir, t, ids.get(i));
    }

    /**
     * The classes of sample {@code i}'s boxes as its CSV stores them (RSNA and Object-CXR 1, NIH 0-7), which
     * {@link #get(int)} replaces by 0 as the original does; empty for segmentation-only data sets.
     */
    public int[] storedClasses(int i) {
        return classes.isEmpty() ? new int[0] : classes.get(i).clone();
    }

    /**
     * Sample {@code i}: image, boxes and masks decoded and transformed (spec §3.2).
     *
     * @throws LovtException naming the file when an image or mask is missing or corrupt
     */
    public DownstreamSample get(int i) {
        String id = ids.get(i);
        Path imageFile = imageFile(i);
        GrayImage image = ImageDecoder.decodeGray(imageFile);
        List<GrayImage> masks = new ArrayList<>(format.targets().size());
        for (int t = 0; t < format.targets().size(); t++) {
            masks.add(MaskFiles.read(maskFile(i, t)));
        }
        double[] b = boxes.isEmpty() ? new double[0] : boxes.get(i);
        DownstreamTransform.Result r = transform.apply(image, b, masks);
        return new DownstreamSample(id, r.image(), r.boxes(), new int[b.length / 4], r.masks());
    }
}
