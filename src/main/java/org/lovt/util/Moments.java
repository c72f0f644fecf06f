package org.lovt.util;

/** Sample moments with torch's conventions, for statistics ported from the original. */
public final class Moments {
    private Moments() {}

    /** The arithmetic mean (NaN for no value). */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** torch.var (unbiased, ddof 1): NaN for a single value, as in the original. */
    public static double unbiasedVariance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / (v.length - 1);
    }
}
