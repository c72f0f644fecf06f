package org.lovt.data.datasets.prepare;

import java.util.List;

/**
 * The original's {@code apply_subset} (spec §0): a fraction f of a split keeps its <b>first</b> {@code round(n * f)}
 * samples in stored order, Python's half-even rounding; no sampling. The subsets of the paper are 1 %, 10 % and
 * 100 % of RSNA's train split (160, 1,601 and 16,010 images) and 10 % of its validation split (534).
 */
final class Subsets {
    /** The train fractions of the paper's tasks. */
    public static final List<Double> PAPER_FRACTIONS = List.of(0.01, 0.1, 1.0);

    private Subsets() {}

    /** {@code round(n * f)}; null or 1 keeps all. */
    public static int size(int n, Double fraction) {
        if (fraction == null) {
            return n;
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a subset fraction lies in (0, 1], not " + fraction);
        }
        return (int) Math.rint(n * fraction);
    }

    /** The first {@code size(list.size(), fraction)} elements. */
    public static <T> List<T> prefix(List<T> list, Double fraction) {
        return list.subList(0, size(list.size(), fraction));
    }
}
