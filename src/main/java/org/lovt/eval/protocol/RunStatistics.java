package org.lovt.eval.protocol;

import java.util.List;

/**
 * One metric over the runs of a task, as the original's {@code export_multi_run_results} aggregates it (spec
 * lovt-data-eval §3.10): the mean, the sample standard deviation (ddof 1; NaN for a single run, as numpy gives) and
 * the 95 % interval half-width {@code 1.96·std/√n}, which is the "±" of the paper's tables.
 *
 * @param values the runs' test values, in run order
 */
public record RunStatistics(List<Double> values) {
    public RunStatistics {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
    }

    /** Runs. */
    public int n() {
        return values.size();
    }

    /** The mean. */
    public double mean() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.size();
    }

    /** The sample standard deviation (ddof 1). */
    public double std() {
        int n = values.size();
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean();
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** The 95 % interval half-width, {@code 1.96·std/√n}. */
    public double interval95() {
        return 1.96 * (std() / Math.sqrt(values.size()));
    }

    /** Whether the 95 % intervals of this and {@code other} overlap (a NaN interval counts as zero width). */
    public boolean overlaps(RunStatistics other) {
        double a = nanToZero(interval95());
        double b = nanToZero(other.interval95());
        return Math.abs(mean() - other.mean()) <= a + b;
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
