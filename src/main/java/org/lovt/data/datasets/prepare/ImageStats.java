package org.lovt.data.datasets.prepare;

import java.util.List;

/**
 * Pixel mean and population variance (ddof 0) of one image scaled to [0, 1], after any histogram equalisation and
 * before the 8-bit cast (the original takes them from the float image it is about to store).
 *
 * @param mean     mean pixel value
 * @param variance population variance of the pixel values
 */
public record ImageStats(double mean, double variance) {

    /** Statistics of an image given as levels: {@code counts[l]} pixels of value {@code value[l]}. */
    public static ImageStats ofLevels(double[] value, long[] counts) {
        long n = 0;
        Sum sum = new Sum();
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] > 0) {
                n += counts[l];
                sum.add(counts[l] * value[l]);
            }
        }
        double mean = sum.value() / n;
        Sum sq = new Sum();
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] > 0) {
                double d = value[l] - mean;
                sq.add(counts[l] * (d * d));
            }
        }
        return new ImageStats(mean, sq.value() / n);
    }

    /**
     * A split's {@code scan.pixel_mean} and {@code scan.pixel_std} (spec §0): mean = mean of the image means,
     * var = mean of the image variances + variance of the image means (ddof 0), std = sqrt(var). Every image counts
     * equally. An empty split gives 0 and 0 (the original's {@code compute_pixel_stats} convention).
     *
     * @return {mean, std}
     */
    public static double[] combine(List<ImageStats> images) {
        int n = images.size();
        if (n == 0) {
            return new double[] {0.0, 0.0};
        }
        Sum m = new Sum();
        Sum v = new Sum();
        for (ImageStats s : images) {
            m.add(s.mean());
            v.add(s.variance());
        }
        double mean = m.value() / n;
        Sum dm = new Sum();
        for (ImageStats s : images) {
            double d = s.mean() - mean;
            dm.add(d * d);
        }
        double var = v.value() / n + dm.value() / n;
        return new double[] {mean, Math.sqrt(var)};
    }

    /** Neumaier-compensated sum, so that 26,000 image means add up without drift. */
    static final class Sum {
        private double sum;
        private double c;

        void add(double x) {
            double t = sum + x;
            if (Math.abs(sum) >= Math.abs(x)) {
                c += (sum - t) + x;
            } else {
                c += (x - t) + sum;
            }
            sum = t;
        }

        double value() {
            return sum + c;
        }
    }
}
