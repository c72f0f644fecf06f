package org.lovt.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Tensors;
import org.lovt.util.Moments;

/**
 * LoVT's validation attention statistics ({@code CrossAttentionMetrics}, src/metrics/attention_metrics.py; spec
 * lovt-model §4.8), logged as {@code att/b2a/…}, {@code att/a2b/…}, {@code att/a/entropy}, {@code att/b/entropy}:
 * <ul>
 *   <li>{@code <dir>/mean_entropy}: mean entropy of the attention rows (how spread each query's attention is);</li>
 *   <li>{@code <dir>/std_entropy}: per-sample standard deviation of the row entropies;</li>
 *   <li>{@code <dir>/dist_to_mean}: mean L2 distance of each row to the sample's mean row;</li>
 *   <li>{@code b/entropy} (from b2a) and {@code a/entropy} (from a2b): entropy of the sample's mean row, with a
 *       {@code __std} over all samples.</li>
 * </ul>
 * The original's arithmetic is kept: rows and columns of padding are zeroed, means over all rows are divided by the
 * valid fraction, the unbiased variance runs over all rows (padding included), {@code log} is taken of
 * {@code max(p, eps32)}, {@code pairwise_distance} adds its {@code 1e-6} to the difference, and the epoch value is
 * the mean of the batch means ({@code __std} = √(mean of batch variances + variance of batch means)).
 */
public final class AttentionStatistics {
    private static final double EPS = Math.ulp(1.0f);            // torch.finfo(torch.float32).eps
    private static final double PAIRWISE_EPS = 1e-6;
    private final Map<String, List<Double>> means = new LinkedHashMap<>();
    private final Map<String, List<Double>> vars = new LinkedHashMap<>();

    /**
     * Adds a batch. {@code probsB2a} (B, N_a, N_b) and {@code probsA2b} (B, N_b, N_a) may each be null (direction
     * not computed); {@code maskA} (B, N_a) and {@code maskB} (B, N_b) are bool or null (all valid).
     */
    public void update(Tensor probsB2a, Tensor probsA2b, Tensor maskA, Tensor maskB) {
        Tensor any = probsB2a != null ? probsB2a : probsA2b;
        if (any == null) {
            return;
        }
        int b = (int) any.size(0);
        int na = (int) (probsB2a != null ? probsB2a.size(1) : probsA2b.size(2));
        int nb = (int) (probsB2a != null ? probsB2a.size(2) : probsA2b.size(1));
        boolean[] ma = mask(maskA, b * na);
        boolean[] mb = mask(maskB, b * nb);
        if (probsB2a != null) {
            addDirection("b2a", "b", stats(floats(probsB2a), b, na, nb, ma, mb));
        }
        if (probsA2b != null) {
            addDirection("a2b", "a", stats(floats(probsA2b), b, nb, na, mb, ma));
        }
    }

    private void addDirection(String direction, String keyModality, double[] s) {
        add(direction + "/mean_entropy", s[0], null);
        add(direction + "/std_entropy", s[1], null);
        add(direction + "/dist_to_mean", s[2], null);
        add(keyModality + "/entropy", s[3], s[4]);
    }

    /** Epoch values with the {@code att/} prefix; empty before any update. */
    public Map<String, Double> compute() {
        Map<String, Double> out = new LinkedHashMap<>();
        means.forEach((key, m) -> {
            double mean = mean(m);
            out.put("att/" + key, mean);
            List<Double> v = vars.get(key);
            if (v != null) {
                double std = m.size() > 1 ? Math.sqrt(mean(v) + unbiasedVariance(m)) : Math.sqrt(mean(v));
                out.put("att/" + key + "__std", std);
            }
        });
        return out;
    }

    private void add(String key, double mean, Double var) {
        means.computeIfAbsent(key, k -> new ArrayList<>()).add(mean);
        if (var != null) {
            vars.computeIfAbsent(key, k -> new ArrayList<>()).add(var);
        }
    }

    /**
     * {@code _compute_individual_stats} for probs (B, N_q, N_k) with query mask mq and key mask mk: returns mean
     * entropy, std entropy, distance to the mean row, and the mean and unbiased variance over samples of the mean
     * row's entropy.
     */
    static double[] stats(double[] p, int b, int nq, int nk, boolean[] mq, boolean[] mk) {
        double[] meanEntropy = new double[b];
        double stdEntropySum = 0;
        double[] dist = new double[b];
        double[] meanRowEntropy = new double[b];
        for (int s = 0; s < b; s++) {
            int validQ = 0;
            for (int i = 0; i < nq; i++) {
                validQ += mq[s * nq + i] ? 1 : 0;
            }
            double corr = validQ / (double) nq;
            double[] masked = new double[nq * nk];
            double[] ent = new double[nq];
            for (int i = 0; i < nq; i++) {
                double h = 0;
                for (int j = 0; j < nk; j++) {
                    double v = mq[s * nq + i] && mk[s * nk + j] ? p[(s * nq + i) * nk + j] : 0;
                    masked[i * nk + j] = v;
                    h -= v * Math.log(Math.max(v, EPS));
                }
                ent[i] = h;
            }
            meanEntropy[s] = mean(ent) / corr;
            stdEntropySum += Math.sqrt(unbiasedVariance(ent) / corr);
            double[] meanRow = new double[nk];
            for (int j = 0; j < nk; j++) {
                double sum = 0;
                for (int i = 0; i < nq; i++) {
                    sum += masked[i * nk + j];
                }
                meanRow[j] = sum / nq / corr;
            }
            double h = 0;
            for (double v : meanRow) {
                h -= v * Math.log(Math.max(v, EPS));
            }
            meanRowEntropy[s] = h;
            double d = 0;
            for (int i = 0; i < nq; i++) {
                double sq = 0;
                for (int j = 0; j < nk; j++) {
                    double diff = masked[i * nk + j] - meanRow[j] + PAIRWISE_EPS;
                    sq += diff * diff;
                }
                d += mq[s * nq + i] ? Math.sqrt(sq) : 0;
            }
            dist[s] = d / nq / corr;
        }
        return new double[] {mean(meanEntropy), stdEntropySum / b, mean(dist), mean(meanRowEntropy),
                unbiasedVariance(meanRowEntropy)};
    }

    private static double[] floats(Tensor t) {
        float[] f = Tensors.toFloats(t.detach().to(torch.ScalarType.Float));
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static boolean[] mask(Tensor m, int n) {
        boolean[] out = new boolean[n];
        if (m == null) {
            java.util.Arrays.fill(out, true);
            return out;
        }
        float[] f = Tensors.toFloats(m.to(torch.ScalarType.Float));
        for (int i = 0; i < n; i++) {
            out[i] = f[i] != 0;
        }
        return out;
    }

    private static double mean(double[] v) {
        return Moments.mean(v);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** torch.var (unbiased): NaN for a single element, as in the original. */
    private static double unbiasedVariance(double[] v) {
        return Moments.unbiasedVariance(v);
    }

    private static double unbiasedVariance(List<Double> v) {
        return unbiasedVariance(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
