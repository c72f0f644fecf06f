package org.lovt.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.util.Moments;

/**
 * The original's embedding statistics ({@code src/metrics/embedding_metrics.py}, spec lovt-data-eval §5.2), keyed
 * {@code emb/<space>/<metric>} as in {@code analysis-test.csv}: the global spaces ({@code yg_a}, {@code yg_b},
 * {@code zg_a}, {@code zg_b}, the local centroids {@code zl_a_avg}, {@code zl_b_avg}) and the local spaces
 * ({@code yl_a}, {@code yl_b}, {@code zl_a}, {@code zl_b}, {@code zl_a&b}); the pair metrics are still to come
 * (issue "Analysis and pictures").
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

    /**
     * Statistics of one local space (regions or sentences of each sample; the original's
     * {@code LocalEmbeddingSpaceMetrics} with {@code compute_cov=True}): per sample the centroid μ_s and the unbiased
     * per-channel variance of its locals (0 for a single local); {@code ch_std}, {@code ch_std_per_sample} (+
     * {@code __std}), {@code ch_std_sample_centroids}, {@code per_sample_uniformity} (+ {@code __std}),
     * {@code dist_emb2cent} (+ {@code __std} = sqrt(mean of the batch variances + variance of the batch means)),
     * {@code dist_emb2emb} (the mean over batches of the batch's mean over samples of the mean pairwise distance,
     * diagonal included), {@code dist_emb2emb__weighted} (Σ_ij w_i w_j d_ij, with weights), {@code
     * dist_cent2cent__batch_estimate}, {@code dist_cent2dataset}, {@code cov_offdiagonal__batch_estimate},
     * {@code cov_offdiagonal_per_sample} (+ {@code __std}), {@code cov_offdiagonal_sample_centroids}. Batch values
     * of a one-sample batch are NaN where the original divides by B − 1, as there.
     *
     * @param samples the valid locals of each sample (n_s × d, n_s ≥ 1), in order
     * @param weights the local weights of each sample (n_s), or null
     */
    public static Map<String, Double> local(String space, java.util.List<double[][]> samples, java.util.List<double[]> weights,
                                            int batchSize) {
        int n = samples.size();
        if (n < 2 || batchSize < 1) {
            throw new LovtException("embedding statistics of " + space + " need at least 2 samples and a batch size "
                    + ">= 1 (got " + n + ", " + batchSize + ")");
        }
        int d = -1;
        double[][][] e = new double[n][][];
        for (int s = 0; s < n; s++) {
            double[][] x = samples.get(s);
            if (x.length == 0) {
                throw new LovtException("embedding statistics of " + space + ": sample " + s + " has no local");
            }
            e[s] = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                if (d < 0) {
                    d = x[i].length;
                }
                if (x[i].length != d) {
                    throw new LovtException("embedding statistics of " + space + ": sample " + s + " local " + i
                            + " has " + x[i].length + " channels, not " + d);
                }
                e[s][i] = normalized(x[i]);
            }
            if (weights != null && weights.get(s).length != x.length) {
                throw new LovtException("embedding statistics of " + space + ": sample " + s + " has " + x.length
                        + " locals but " + weights.get(s).length + " weights");
            }
        }
        double[][] means = new double[n][d];
        double[][] vars = new double[n][d];
        double[] covPerSample = new double[n];
        double[][][] covs = new double[n][][];
        double[] uniformity = new double[n];
        double[] emb2cent = new double[n];
        double[] emb2emb = new double[n];
        double[] weighted = new double[n];
        for (int s = 0; s < n; s++) {
            int m = e[s].length;
            for (double[] x : e[s]) {
                for (int c = 0; c < d; c++) {
                    means[s][c] += x[c] / m;
                }
            }
            double[][] cov = new double[d][d];
            if (m > 1) {
                for (double[] x : e[s]) {
                    for (int a = 0; a < d; a++) {
                        double da = x[a] - means[s][a];
                        for (int b = 0; b < d; b++) {
                            cov[a][b] += da * (x[b] - means[s][b]) / (m - 1);
                        }
                    }
                }
            }
            covs[s] = cov;
            for (int c = 0; c < d; c++) {
                vars[s][c] = cov[c][c];
            }
            covPerSample[s] = offDiagonal(cov);
            double kernel = 0;
            double dist = 0;
            double w = 0;
            for (int i = 0; i < m; i++) {
                emb2cent[s] += distance(e[s][i], means[s]) / m;
                for (int j = 0; j < m; j++) {
                    double dij = distance(e[s][i], e[s][j]);
                    kernel += Math.exp(-2 * dij * dij);
                    dist += dij;
                    if (weights != null) {
                        w += weights.get(s)[i] * weights.get(s)[j] * dij;
                    }
                }
            }
            uniformity[s] = Math.log(kernel / ((double) m * m));
            emb2emb[s] = dist / ((double) m * m);
            weighted[s] = w;
        }
        java.util.List<Double> emb2centMeans = new java.util.ArrayList<>();
        java.util.List<Double> emb2centVars = new java.util.ArrayList<>();
        java.util.List<Double> emb2embBatches = new java.util.ArrayList<>();
        java.util.List<Double> weightedBatches = new java.util.ArrayList<>();
        java.util.List<Double> cent2cent = new java.util.ArrayList<>();
        java.util.List<Double> covBatches = new java.util.ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            int b = end - start;
            double[] slice = java.util.Arrays.copyOfRange(emb2cent, start, end);
            emb2centMeans.add(mean(slice));
            emb2centVars.add(unbiasedVariance(slice));
            emb2embBatches.add(mean(java.util.Arrays.copyOfRange(emb2emb, start, end)));
            weightedBatches.add(mean(java.util.Arrays.copyOfRange(weighted, start, end)));
            double cc = 0;
            for (int i = start; i < end; i++) {
                for (int j = start; j < end; j++) {
                    cc += distance(means[i], means[j]);
                }
            }
            cent2cent.add(cc / ((double) b * b));
            double[][] total = covariance(java.util.Arrays.copyOfRange(means, start, end));
            for (int s = start; s < end; s++) {
                for (int a = 0; a < d; a++) {
                    for (int c = 0; c < d; c++) {
                        total[a][c] += covs[s][a][c] / b;
                    }
                }
            }
            covBatches.add(offDiagonal(total));
        }
        double[][] centroidCov = covariance(means);
        double chStd = 0;
        double centroidStd = 0;
        double[] perSampleStd = new double[n];
        for (int c = 0; c < d; c++) {
            double meanVar = 0;
            for (int s = 0; s < n; s++) {
                meanVar += vars[s][c] / n;
            }
            chStd += Math.sqrt(centroidCov[c][c] + meanVar) / d;
            centroidStd += Math.sqrt(centroidCov[c][c]) / d;
        }
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < d; c++) {
                perSampleStd[s] += Math.sqrt(vars[s][c]) / d;
            }
        }
        double[] datasetMean = new double[d];
        for (double[] mu : means) {
            for (int c = 0; c < d; c++) {
                datasetMean[c] += mu[c] / n;
            }
        }
        double cent2dataset = 0;
        for (double[] mu : means) {
            cent2dataset += distance(mu, datasetMean) / n;
        }
        double[] batchMeans = emb2centMeans.stream().mapToDouble(Double::doubleValue).toArray();
        double[] batchVars = emb2centVars.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Double> out = new LinkedHashMap<>();
        String p = "emb/" + space + "/";
        out.put(p + "ch_std", chStd);
        out.put(p + "ch_std_per_sample", mean(perSampleStd));
        out.put(p + "ch_std_per_sample__std", Math.sqrt(unbiasedVariance(perSampleStd)));
        out.put(p + "ch_std_sample_centroids", centroidStd);
        out.put(p + "per_sample_uniformity", mean(uniformity));
        out.put(p + "per_sample_uniformity__std", Math.sqrt(unbiasedVariance(uniformity)));
        out.put(p + "dist_emb2cent", mean(batchMeans));
        out.put(p + "dist_emb2cent__std", Math.sqrt(mean(batchVars)
                + (batchMeans.length > 1 ? unbiasedVariance(batchMeans) : 0)));
        out.put(p + "dist_emb2emb", mean(emb2embBatches.stream().mapToDouble(Double::doubleValue).toArray()));
        out.put(p + "dist_cent2cent__batch_estimate", mean(cent2cent.stream().mapToDouble(Double::doubleValue).toArray()));
        out.put(p + "dist_cent2dataset", cent2dataset);
        out.put(p + "cov_offdiagonal__batch_estimate", mean(covBatches.stream().mapToDouble(Double::doubleValue)
                .toArray()));
        out.put(p + "cov_offdiagonal_per_sample", mean(covPerSample));
        out.put(p + "cov_offdiagonal_per_sample__std", Math.sqrt(unbiasedVariance(covPerSample)));
        out.put(p + "cov_offdiagonal_sample_centroids", offDiagonal(centroidCov));
        if (weights != null) {
            out.put(p + "dist_emb2emb__weighted", mean(weightedBatches.stream().mapToDouble(Double::doubleValue)
                    .toArray()));
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double sq = 0;
        for (int c = 0; c < a.length; c++) {
            double t = a[c] - b[c];
            sq += t * t;
        }
        return Math.sqrt(sq);
    }

    private static double mean(double[] v) {
        return Moments.mean(v);
    }

    private static double unbiasedVariance(double[] v) {
        return Moments.unbiasedVariance(v);
    }

    /** Unbiased covariance of the rows (NaN for one row, as the original's division by B − 1). */
    private static double[][] covariance(double[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        double[] m = new double[d];
        for (double[] r : rows) {
            for (int c = 0; c < d; c++) {
                m[c] += r[c] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] r : rows) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (r[a] - m[a]) * (r[b] - m[b]);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] /= (n - 1);
            }
        }
        return cov;
    }

    private static double offDiagonal(double[][] cov) {
        int d = cov.length;
        double s = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                if (a != b) {
                    s += cov[a][b] * cov[a][b];
                }
            }
        }
        return s / d;
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
