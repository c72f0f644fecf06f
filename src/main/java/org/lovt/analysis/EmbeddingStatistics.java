package org.lovt.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lovt.LovtException;

/**
 * The original's embedding statistics ({@code src/metrics/embedding_metrics.py}, spec lovt-data-eval §5.2), keyed
 * {@code emb/<space>/<metric>} as in {@code analysis-test.csv}. So far the global spaces ({@code yg_a}, {@code yg_b},
 * {@code zg_a}, {@code zg_b}, the local centroids {@code zl_a_avg}, {@code zl_b_avg}); the local spaces and the pair
 * metrics are still to come (issue "Analysis and pictures").
 *
 * <p>Every embedding is first L2-normalised (x / max(‖x‖, 1e-12), as {@code F.normalize}); the batch estimates use
 * the samples in order, in batches of the given size (the original's 32, the last one smaller). Double precision.
 */
public final class EmbeddingStatistics {
    /** The original's analysis batch size (the pre-training batch size). */
    public static final int BATCH_SIZE = 32;

    private EmbeddingStatistics() {}

    /**
     * Statistics of one global space: {@code ch_std} (mean over channels of the unbiased std over all samples),
     * {@code uniformity} (log of the mean over batches of mean_{i,j} exp(−2‖e_i − e_j‖²), all pairs including
     * i = j), {@code dist_emb2emb__batch_estimate} (mean over batches of the mean pairwise distance, diagonal
     * included) and {@code cov_offdiagonal} (Σ_{i≠j} C_ij² / d of the unbiased covariance over all samples).
     *
     * @param space      the space's name in the keys ({@code zg_a}, …)
     * @param embeddings n × d, n ≥ 2
     */
    public static Map<String, Double> global(String space, double[][] embeddings, int batchSize) {
        int n = embeddings.length;
        if (n < 2 || batchSize < 1) {
            throw new LovtException("embedding statistics of " + space + " need at least 2 samples and a batch size "
                    + ">= 1 (got " + n + ", " + batchSize + ")");
        }
        int d = embeddings[0].length;
        double[][] e = new double[n][];
        for (int i = 0; i < n; i++) {
            if (embeddings[i].length != d) {
                throw new LovtException("embedding statistics of " + space + ": sample " + i + " has "
                        + embeddings[i].length + " channels, sample 0 has " + d);
            }
            e[i] = normalized(embeddings[i]);
        }
        double[] mean = new double[d];
        for (double[] x : e) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[c] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] x : e) {
            for (int a = 0; a < d; a++) {
                double da = x[a] - mean[a];
                for (int b = 0; b < d; b++) {
                    cov[a][b] += da * (x[b] - mean[b]) / (n - 1);
                }
            }
        }
        double chStd = 0;
        double offDiagonal = 0;
        for (int a = 0; a < d; a++) {
            chStd += Math.sqrt(cov[a][a]) / d;
            for (int b = 0; b < d; b++) {
                if (a != b) {
                    offDiagonal += cov[a][b] * cov[a][b] / d;
                }
            }
        }
        double uniformity = 0;
        double distance = 0;
        int batches = 0;
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            int m = end - start;
            double kernel = 0;
            double dist = 0;
            for (int i = start; i < end; i++) {
                for (int j = start; j < end; j++) {
                    double sq = 0;
                    for (int c = 0; c < d; c++) {
                        double t = e[i][c] - e[j][c];
                        sq += t * t;
                    }
                    kernel += Math.exp(-2 * sq);
                    dist += Math.sqrt(sq);
                }
            }
            uniformity += kernel / ((double) m * m);
            distance += dist / ((double) m * m);
            batches++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String p = "emb/" + space + "/";
        out.put(p + "ch_std", chStd);
        out.put(p + "uniformity", Math.log(uniformity / batches));
        out.put(p + "dist_emb2emb__batch_estimate", distance / batches);
        out.put(p + "cov_offdiagonal", offDiagonal);
        return out;
    }

    static double[] normalized(double[] x) {
        double norm = 0;
        for (double v : x) {
            norm += v * v;
        }
        double s = Math.max(Math.sqrt(norm), 1e-12);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / s;
        }
        return y;
    }
}
