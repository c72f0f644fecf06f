package org.lovt.torch;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.global.torch;

/**
 * Seeding of every random source a run uses, like Lightning's {@code seed_everything}.
 *
 * <p>libtorch's CPU generator follows PyTorch's: {@code manualSeed(1234)} then {@code randn(5)} gives the same
 * numbers as Python's {@code torch.manual_seed(1234); torch.randn(5)}. Java-side randomness (data order,
 * augmentation parameters) comes from {@link SplittableRandom}s derived from the same seed, one per consumer, so
 * that adding a consumer does not shift another's stream.
 */
public final class Seeds {
    private Seeds() {}

    /** Seeds libtorch's default generators (CPU, and every CUDA device when available). */
    public static void manualSeed(long seed) {
        Natives.load();
        // torch::manual_seed also seeds every CUDA generator when CUDA is available.
        torch.manual_seed(seed);
    }

    /** A Java random stream for one named consumer (e.g. {@code "loader"}), stable for a given seed and name. */
    public static SplittableRandom javaRandom(long seed, String consumer) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < consumer.length(); i++) {
            h = (h ^ consumer.charAt(i)) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }
}
