package org.lovt.data.datasets.prepare;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.lovt.LovtException;

/**
 * How to prepare a data set.
 *
 * @param out             the folder to create (it must not exist unless {@code overwrite})
 * @param splitsFrom      a folder with {@code train.csv}, {@code validation.csv}, {@code test.csv} whose ids and order
 *                        are reproduced, or null to split at random with {@code seed}
 * @param threads         worker threads
 * @param seed            the numpy seed of the random split (the original's {@code --seed}); ignored with
 *                        {@code splitsFrom}
 * @param valFraction     validation fraction of the random split (0.2 in the original)
 * @param testFraction    test fraction of the random split (0.2; Object-CXR's test split is its dev set)
 * @param overwrite       replace an existing {@code out} once the new one is complete
 * @param fixQuirks       fix the original's target bugs instead of reproducing them (Object-CXR: swapped box width
 *                        and height, transposed polygon masks; spec §8 item 5)
 * @param log             where progress and the summary go (standard error), or null for silence
 * @param progressInPlace redraw the progress line in place (a terminal)
 */
public record PrepareOptions(Path out, Path splitsFrom, int threads, long seed, double valFraction,
                             double testFraction, boolean overwrite, boolean fixQuirks, PrintWriter log,
                             boolean progressInPlace) {

    /** Seed of the random splits when none is given. */
    public static final long DEFAULT_SEED = 0;

    public PrepareOptions {
        if (out == null) {
            throw new LovtException("no output folder given");
        }
        if (threads < 1) {
            throw new LovtException("--threads must be at least 1, not " + threads);
        }
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new LovtException("--seed must lie in [0, 4294967295] (a numpy seed), not " + seed);
        }
        if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) {
            throw new LovtException("validation and test fractions must be non-negative with a sum below 1, not "
                    + valFraction + " and " + testFraction);
        }
    }

    /** Defaults: random split with seed 0, 20 % validation and test, all processors, no log. */
    public static PrepareOptions to(Path out) {
        return new PrepareOptions(out, null, Runtime.getRuntime().availableProcessors(), DEFAULT_SEED, 0.2, 0.2,
                false, false, null, false);
    }

    /** With split files to reproduce. */
    public PrepareOptions withSplitsFrom(Path dir) {
        return new PrepareOptions(out, dir, threads, seed, valFraction, testFraction, overwrite, fixQuirks, log,
                progressInPlace);
    }

    /** With another thread count. */
    public PrepareOptions withThreads(int n) {
        return new PrepareOptions(out, splitsFrom, n, seed, valFraction, testFraction, overwrite, fixQuirks, log,
                progressInPlace);
    }

    /** With another seed. */
    public PrepareOptions withSeed(long s) {
        return new PrepareOptions(out, splitsFrom, threads, s, valFraction, testFraction, overwrite, fixQuirks, log,
                progressInPlace);
    }

    /** With other split fractions. */
    public PrepareOptions withFractions(double val, double test) {
        return new PrepareOptions(out, splitsFrom, threads, seed, val, test, overwrite, fixQuirks, log,
                progressInPlace);
    }

    /** Allowing an existing output to be replaced. */
    public PrepareOptions withOverwrite(boolean o) {
        return new PrepareOptions(out, splitsFrom, threads, seed, valFraction, testFraction, o, fixQuirks, log,
                progressInPlace);
    }

    /** Fixing instead of reproducing the original's target bugs. */
    public PrepareOptions withFixQuirks(boolean f) {
        return new PrepareOptions(out, splitsFrom, threads, seed, valFraction, testFraction, overwrite, f, log,
                progressInPlace);
    }

    /** With a log for progress and summary. */
    public PrepareOptions withLog(PrintWriter w, boolean inPlace) {
        return new PrepareOptions(out, splitsFrom, threads, seed, valFraction, testFraction, overwrite, fixQuirks, w,
                inPlace);
    }

    /** A fresh generator for the random split, seeded as {@code np.random.seed(seed)}. */
    public NumpyRandom random() {
        return new NumpyRandom(seed);
    }
}
