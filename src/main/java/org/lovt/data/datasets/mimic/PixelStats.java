package org.lovt.data.datasets.mimic;

/**
 * Pixel statistics as the original computes them (spec lovt-data-eval §0, §1.2 steps 7-8, lovt-model §5.4): per
 * image the mean and population variance of {@code pixels / 255}; per study (or split) the mean of the means and
 * the mean of the variances plus the population variance of the means, so that every image (or study) counts
 * equally, whatever its size.
 */
public final class PixelStats {
    private PixelStats() {}

    /**
     * Mean and variance of a set of values.
     *
     * @param mean     the mean
     * @param variance the population variance (ddof 0)
     */
    public record MeanVar(double mean, double variance) {
        /** {@code sqrt(variance)}. */
        public double std() {
            return Math.sqrt(variance);
        }
    }

    /**
     * Mean and variance of {@code v / 255} over 8-bit values. Sums are exact integers, so the result does not
     * depend on the order of the pixels.
     *
     * @param count   number of values (all channels of all pixels)
     * @param sum     sum of the raw values
     * @param sumSq   sum of the squared raw values
     */
    public static MeanVar ofUint8Sums(long count, long sum, long sumSq) {
        if (count <= 0) {
            throw new IllegalArgumentException("no pixels");
        }
        double n = count;
        double mean = sum / n / 255.0;
        // count*sumSq - sum^2 is an exact integer that may not fit in a long for very large images.
        java.math.BigInteger num = java.math.BigInteger.valueOf(count).multiply(java.math.BigInteger.valueOf(sumSq))
                .subtract(java.math.BigInteger.valueOf(sum).multiply(java.math.BigInteger.valueOf(sum)));
        double var = num.doubleValue() / (n * n) / (255.0 * 255.0);
        return new MeanVar(mean, var);
    }

    /** Statistics of 8-bit values (convenience for tests and small images). */
    public static MeanVar ofUint8(byte[] values) {
        long sum = 0;
        long sumSq = 0;
        for (byte b : values) {
            int v = b & 0xFF;
            sum += v;
            sumSq += (long) v * v;
        }
        return ofUint8Sums(values.length, sum, sumSq);
    }

    /**
     * Pools parts (images of a study, studies of a split): mean = mean of the means; variance = mean of the
     * variances + population variance of the means. Zero parts give mean 0 and variance 0 (the original's
     * {@code compute_pixel_stats} for an empty split).
     */
    public static MeanVar pool(double[] means, double[] variances) {
        if (means.length != variances.length) {
            throw new IllegalArgumentException(means.length + " means but " + variances.length + " variances");
        }
        int n = means.length;
        if (n == 0) {
            return new MeanVar(0, 0);
        }
        double mean = 0;
        double meanVar = 0;
        for (int i = 0; i < n; i++) {
            mean += means[i];
            meanVar += variances[i];
        }
        mean /= n;
        meanVar /= n;
        double spread = 0;
        for (double m : means) {
            spread += (m - mean) * (m - mean);
        }
        return new MeanVar(mean, meanVar + spread / n);
    }
}
