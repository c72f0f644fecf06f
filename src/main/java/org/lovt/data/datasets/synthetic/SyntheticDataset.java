package org.lovt.data.datasets.synthetic;

import java.util.List;

import org.lovt.data.Dataset;
import org.lovt.torch.Seeds;

/**
 * One split of synthetic samples, generated on demand (nothing is held in memory; {@link #get} costs a few
 * milliseconds at 224 px). Thread-safe and deterministic: sample i of a split depends only on the data set seed,
 * the split name, i and the image size, so changing the size of one split changes no sample of another.
 */
public final class SyntheticDataset implements Dataset<SyntheticSample> {
    /** The split names, in the order they are written. */
    public static final List<String> SPLITS = List.of("train", "validation", "test");

    private final long seed;
    private final String split;
    private final int count;
    private final int imageSize;
    private final long splitSeed;

    private SyntheticDataset(long seed, String split, int count, int imageSize) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be one of " + SPLITS + ", got '" + split + "'");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (imageSize < SyntheticCxr.MIN_SIZE || imageSize > SyntheticCxr.MAX_SIZE) {
            throw new IllegalArgumentException("image size must be in [" + SyntheticCxr.MIN_SIZE + ", "
                    + SyntheticCxr.MAX_SIZE + "], got " + imageSize);
        }
        this.seed = seed;
        this.split = split;
        this.count = count;
        this.imageSize = imageSize;
        this.splitSeed = Seeds.javaRandom(seed, "synthetic-cxr/split/" + split).nextLong();
    }

    /** Split {@code split} ("train", "validation" or "test") of data set {@code seed} with {@code count} samples. */
    public static SyntheticDataset of(long seed, String split, int count, int imageSize) {
        return new SyntheticDataset(seed, split, count, imageSize);
    }

    /** The three splits of data set {@code seed}, in {@link #SPLITS} order. */
    public static List<SyntheticDataset> splits(long seed, int train, int validation, int test, int imageSize) {
        return List.of(of(seed, "train", train, imageSize), of(seed, "validation", validation, imageSize),
                of(seed, "test", test, imageSize));
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public SyntheticSample get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + count + ") of split " + split);
        }
        return SyntheticCxr.generate(splitSeed, index, imageSize);
    }

    /** The data set seed. */
    public long seed() {
        return seed;
    }

    /** The seed handed to {@link SyntheticCxr#generate} for this split's samples. */
    public long splitSeed() {
        return splitSeed;
    }

    public String split() {
        return split;
    }

    public int imageSize() {
        return imageSize;
    }
}
