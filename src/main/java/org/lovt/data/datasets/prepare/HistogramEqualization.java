package org.lovt.data.datasets.prepare;

/**
 * {@code skimage.exposure.equalize_hist(image)} with its defaults (256 bins over the image's own range), bit for bit,
 * for images whose pixels take few distinct values ("levels": the 256 grey values of an 8-bit image, the 766 channel
 * sums of an RGB one, the stored values of a DICOM). Every pixel of a level maps to the same output, so the work is
 * per level, not per pixel (spec lovt-data-eval.md §2.0):
 * <ol>
 *   <li>numpy's histogram: edges {@code linspace(min, max, 257)} (min - 0.5 and max + 0.5 for a flat image), a value
 *       in bin {@code i} when {@code edges[i] <= v < edges[i+1]}, the last bin closed;</li>
 *   <li>cdf = cumulative counts / total, bin centres = mean of neighbouring edges;</li>
 *   <li>{@code np.interp(v, centres, cdf)}: cdf[0] below the first centre, 1 above the last, else
 *       {@code slope * (v - c[j]) + cdf[j]} with numpy's precomputed slopes.</li>
 * </ol>
 * Not {@code cv2.equalizeHist}, which is a different algorithm on 8-bit values.
 */
final class HistogramEqualization {
    /** skimage's default {@code nbins}. */
    public static final int BINS = 256;

    private HistogramEqualization() {}

    /**
     * The equalised value of each level.
     *
     * @param value  the float value of each level (what the image holds, e.g. {@code v / 255.0}), strictly
     *               increasing over the levels that occur
     * @param counts how many pixels have each level (at least one level occurs)
     * @return per level the equalised value in [0, 1] (levels that do not occur get 0)
     */
    public static double[] equalize(double[] value, long[] counts) {
        int first = -1;
        int last = -1;
        long total = 0;
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] > 0) {
                if (first < 0) {
                    first = l;
                }
                last = l;
                total += counts[l];
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("an image without pixels cannot be equalised");
        }
        double lo = value[first];
        double hi = value[last];
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = edges(lo, hi);
        long[] hist = new long[BINS];
        int[] binOf = new int[counts.length];
        for (int l = first; l <= last; l++) {
            if (counts[l] > 0) {
                binOf[l] = bin(value[l], lo, hi, edges);
                hist[binOf[l]] += counts[l];
            }
        }
        double[] cdf = new double[BINS];
        long cum = 0;
        for (int b = 0; b < BINS; b++) {
            cum += hist[b];
            cdf[b] = cum / (double) total;
        }
        double[] centres = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            centres[b] = (edges[b] + edges[b + 1]) / 2.0;
        }
        double[] out = new double[counts.length];
        for (int l = first; l <= last; l++) {
            if (counts[l] > 0) {
                out[l] = interp(value[l], centres, cdf);
            }
        }
        return out;
    }

    /** {@code np.linspace(lo, hi, 257)}: {@code i * step + lo}, the last edge exactly {@code hi}. */
    static double[] edges(double lo, double hi) {
        double step = (hi - lo) / BINS;
        double[] e = new double[BINS + 1];
        for (int i = 0; i < BINS; i++) {
            e[i] = i * step + lo;
        }
        e[BINS] = hi;
        return e;
    }

    /** numpy's bin index: scaled and truncated, then corrected against the edges. */
    static int bin(double v, double lo, double hi, double[] edges) {
        double norm = BINS / (hi - lo);
        int i = (int) ((v - lo) * norm);
        if (i == BINS) {
            i--;
        }
        if (v < edges[i]) {
            i--;
        } else if (v >= edges[i + 1] && i != BINS - 1) {
            i++;
        }
        return i;
    }

    /** {@code np.interp(x, xp, fp)} with the default left/right values. */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (x < xp[0]) {
            return fp[0];
        }
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        int lo = 0;
        int hi = n - 1;
        // Largest j with xp[j] <= x.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (xp[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int j = lo;
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }

    /** The stored byte of an equalised value: {@code (255 * v).astype(np.uint8)}, which truncates. */
    public static int toUint8(double v) {
        return (int) (255 * v);
    }
}
