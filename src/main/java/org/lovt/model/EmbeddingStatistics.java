package org.lovt.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.util.Moments;

/**
 * The original's embedding statistics ({@code src/metrics/embedding_metrics.py}, spec lovt-data-eval §5.2), keyed
 * {@code emb/<space>/<metric>} as in {@code analysis-test.csv}: the global spaces ({@code yg_a}, {@code yg_b},
 * {@code zg_a}, {@code zg_b}, the local centroids {@code zl_a_avg}, {@code zl_b_avg}) and the local spaces
 * ({@code yl_a}, {@code yl_b}, {@code zl_a}, {@code zl_b}, {@code zl_a&b}), and the pairs ({@code zg_a;zg_b},
 * {@code zl_a_avg;zl_b_avg}, {@code zl_a;zl_b2a}, {@code zl_b;zl_a2b}, {@code zl_a||zl_b}). Not yet wired into
 * validation ({@code emb/…} metrics) or an analysis command (issue "Analysis and pictures").
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
        return global(space, embeddings, batchSize, true);
    }

    /**
     * The global statistics of the local spaces' centroids ({@code zl_a_avg}, {@code zl_b_avg}): the mean of each
     * sample's L2-normalised locals, not normalised again (as the original passes them on).
     */
    public static Map<String, Double> centroids(String space, java.util.List<double[][]> samples, int batchSize) {
        double[][] mu = new double[samples.size()][];
        for (int s = 0; s < mu.length; s++) {
            mu[s] = centroid(space, s, samples.get(s));
        }
        return global(space, mu, batchSize, false);
    }

    /** Each sample's centroid of its L2-normalised locals (not normalised again): the {@code zl_*_avg} embeddings. */
    public static double[][] centroidsOf(String space, java.util.List<double[][]> samples) {
        double[][] mu = new double[samples.size()][];
        for (int s = 0; s < mu.length; s++) {
            mu[s] = centroid(space, s, samples.get(s));
        }
        return mu;
    }

    private static double[] centroid(String space, int s, double[][] locals) {
        if (locals.length == 0) {
            throw new LovtException("embedding statistics of " + space + ": sample " + s + " has no local");
        }
        double[] mu = new double[locals[0].length];
        for (double[] x : locals) {
            if (x.length != mu.length) {
                throw new LovtException("embedding statistics of " + space + ": sample " + s + " mixes " + mu.length
                        + " and " + x.length + " channels");
            }
            double[] y = normalized(x);
            for (int c = 0; c < mu.length; c++) {
                mu[c] += y[c] / locals.length;
            }
        }
        return mu;
    }

    private static Map<String, Double> global(String space, double[][] embeddings, int batchSize, boolean normalize) {
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
            e[i] = normalize ? normalized(embeddings[i]) : embeddings[i].clone();
        }
        double[] mean = new double[d];
        for (double[] x : e) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[c] / n;
            }
        }
        double chStd = 0;
        double[][] centered = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                centered[i][c] = e[i][c] - mean[c];
            }
        }
        for (int c = 0; c < d; c++) {
            double var = 0;
            for (double[] x : centered) {
                var += x[c] * x[c] / (n - 1);
            }
            chStd += Math.sqrt(var) / d;
        }
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / (n - 1));
        double offDiagonal = offDiagonalOfSum(centered, w, d);
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
        if (samples.size() < 2 || batchSize < 1) {
            throw new LovtException("embedding statistics of " + space + " need at least 2 samples and a batch size "
                    + ">= 1 (got " + samples.size() + ", " + batchSize + ")");
        }
        LocalSpace acc = new LocalSpace(space, weights != null);
        for (int start = 0; start < samples.size(); start += batchSize) {
            int end = Math.min(samples.size(), start + batchSize);
            acc.add(samples.subList(start, end), weights == null ? null : weights.subList(start, end));
        }
        return acc.compute();
    }

    /**
     * {@link #local} batch by batch (the original's {@code LocalEmbeddingSpaceMetrics.update} and {@code compute}): a
     * batch's locals are reduced when it is added, and only each sample's centroid and per-channel variance (2 · d
     * doubles) and a few numbers are kept, so a split of any size fits in memory.
     */
    public static final class LocalSpace {
        private final String space;
        private final boolean weighted;
        private final boolean covariance;
        private int d = -1;
        private int offset;
        private final java.util.List<double[]> means = new java.util.ArrayList<>();
        private final java.util.List<double[]> vars = new java.util.ArrayList<>();
        private final java.util.List<Double> covPerSample = new java.util.ArrayList<>();
        private final java.util.List<Double> uniformity = new java.util.ArrayList<>();
        private final java.util.List<Double> emb2centMeans = new java.util.ArrayList<>();
        private final java.util.List<Double> emb2centVars = new java.util.ArrayList<>();
        private final java.util.List<Double> emb2embBatches = new java.util.ArrayList<>();
        private final java.util.List<Double> weightedBatches = new java.util.ArrayList<>();
        private final java.util.List<Double> cent2cent = new java.util.ArrayList<>();
        private final java.util.List<Double> covBatches = new java.util.ArrayList<>();

        /**
         * @param space    the space's name in the keys
         * @param weighted whether batches come with local weights ({@code dist_emb2emb__weighted})
         */
        public LocalSpace(String space, boolean weighted) {
            this(space, weighted, true);
        }

        /**
         * @param covariance whether to compute the covariance statistics (the original's {@code compute_cov}; False
         *                   during validation, True in the analysis)
         */
        public LocalSpace(String space, boolean weighted, boolean covariance) {
            this.space = space;
            this.weighted = weighted;
            this.covariance = covariance;
        }

        /** Samples added so far. */
        public int size() {
            return means.size();
        }

        /**
         * Adds one batch: the valid locals of each sample (n_s × d, n_s ≥ 1) and, when weighted, their weights.
         */
        public void add(java.util.List<double[][]> samples, java.util.List<double[]> weights) {
            int n = samples.size();
            if (n == 0) {
                return;
            }
            if (weighted != (weights != null)) {
                throw new LovtException("embedding statistics of " + space + ": weights must be given for every batch "
                        + "or for none");
            }
            double[][][] e = new double[n][][];
            for (int s = 0; s < n; s++) {
                double[][] x = samples.get(s);
                if (x.length == 0) {
                    throw new LovtException("embedding statistics of " + space + ": sample " + (offset + s)
                            + " has no local");
                }
                e[s] = new double[x.length][];
                for (int i = 0; i < x.length; i++) {
                    if (d < 0) {
                        d = x[i].length;
                    }
                    if (x[i].length != d) {
                        throw new LovtException("embedding statistics of " + space + ": sample " + (offset + s)
                                + " local " + i + " has " + x[i].length + " channels, not " + d);
                    }
                    e[s][i] = normalized(x[i]);
                }
                if (weights != null && weights.get(s).length != x.length) {
                    throw new LovtException("embedding statistics of " + space + ": sample " + (offset + s) + " has "
                            + x.length + " locals but " + weights.get(s).length + " weights");
                }
            }
            double[][] mu = new double[n][d];
            double[][][] centered = new double[n][][];
            double[] emb2cent = new double[n];
            double[] emb2emb = new double[n];
            double[] w = new double[n];
            for (int s = 0; s < n; s++) {
                int m = e[s].length;
                for (double[] x : e[s]) {
                    for (int c = 0; c < d; c++) {
                        mu[s][c] += x[c] / m;
                    }
                }
                centered[s] = new double[m][d];
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < d; c++) {
                        centered[s][i][c] = e[s][i][c] - mu[s][c];
                    }
                }
                double[] var = new double[d];
                double cov = 0;
                if (m > 1) {
                    for (double[] x : centered[s]) {
                        for (int c = 0; c < d; c++) {
                            var[c] += x[c] * x[c] / (m - 1);
                        }
                    }
                    if (covariance) {
                        double[] ws = new double[m];
                        java.util.Arrays.fill(ws, 1.0 / (m - 1));
                        cov = offDiagonalOfSum(centered[s], ws, d);
                    }
                }
                double kernel = 0;
                double dist = 0;
                double wsum = 0;
                for (int i = 0; i < m; i++) {
                    emb2cent[s] += distance(e[s][i], mu[s]) / m;
                    for (int j = 0; j < m; j++) {
                        double dij = distance(e[s][i], e[s][j]);
                        kernel += Math.exp(-2 * dij * dij);
                        dist += dij;
                        if (weights != null) {
                            wsum += weights.get(s)[i] * weights.get(s)[j] * dij;
                        }
                    }
                }
                means.add(mu[s]);
                vars.add(var);
                covPerSample.add(cov);
                uniformity.add(Math.log(kernel / ((double) m * m)));
                emb2emb[s] = dist / ((double) m * m);
                w[s] = wsum;
            }
            emb2centMeans.add(mean(emb2cent));
            emb2centVars.add(unbiasedVariance(emb2cent));
            emb2embBatches.add(mean(emb2emb));
            weightedBatches.add(mean(w));
            double cc = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    cc += distance(mu[i], mu[j]);
                }
            }
            cent2cent.add(cc / ((double) n * n));
            // mean_s C_s + Cov_batch(μ_s) as a weighted sum of outer products (never formed as a d x d matrix)
            if (!covariance) {
                covBatches.add(Double.NaN);
            } else if (n < 2) {
                covBatches.add(Double.NaN);                       // the original divides by B - 1
            } else {
                java.util.List<double[]> rows = new java.util.ArrayList<>();
                java.util.List<Double> rowWeights = new java.util.ArrayList<>();
                double[] batchMean = new double[d];
                for (double[] x : mu) {
                    for (int c = 0; c < d; c++) {
                        batchMean[c] += x[c] / n;
                    }
                }
                for (int s = 0; s < n; s++) {
                    int m = centered[s].length;
                    if (m > 1) {
                        for (double[] x : centered[s]) {
                            rows.add(x);
                            rowWeights.add(1.0 / ((double) n * (m - 1)));
                        }
                    }
                    double[] x = new double[d];
                    for (int c = 0; c < d; c++) {
                        x[c] = mu[s][c] - batchMean[c];
                    }
                    rows.add(x);
                    rowWeights.add(1.0 / (n - 1));
                }
                covBatches.add(offDiagonalOfSum(rows.toArray(double[][]::new),
                        rowWeights.stream().mapToDouble(Double::doubleValue).toArray(), d));
            }
            offset += n;
        }

        /** The statistics of the samples added (at least 2). */
        public Map<String, Double> compute() {
            int n = means.size();
            if (n < 2) {
                throw new LovtException("embedding statistics of " + space + " need at least 2 samples, got " + n);
            }
            double[] allMean = new double[d];
            for (double[] mu : means) {
                for (int c = 0; c < d; c++) {
                    allMean[c] += mu[c] / n;
                }
            }
            double[][] centeredMeans = new double[n][d];
            double[] centroidVar = new double[d];
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < d; c++) {
                    centeredMeans[s][c] = means.get(s)[c] - allMean[c];
                    centroidVar[c] += centeredMeans[s][c] * centeredMeans[s][c] / (n - 1);
                }
            }
            double[] centroidWeights = new double[n];
            java.util.Arrays.fill(centroidWeights, 1.0 / (n - 1));
            double centroidOffDiagonal = covariance ? offDiagonalOfSum(centeredMeans, centroidWeights, d) : Double.NaN;
            double chStd = 0;
            double centroidStd = 0;
            double[] perSampleStd = new double[n];
            for (int c = 0; c < d; c++) {
                double meanVar = 0;
                for (int s = 0; s < n; s++) {
                    meanVar += vars.get(s)[c] / n;
                }
                chStd += Math.sqrt(centroidVar[c] + meanVar) / d;
                centroidStd += Math.sqrt(centroidVar[c]) / d;
            }
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < d; c++) {
                    perSampleStd[s] += Math.sqrt(vars.get(s)[c]) / d;
                }
            }
            double cent2dataset = 0;
            for (double[] mu : means) {
                cent2dataset += distance(mu, allMean) / n;
            }
            double[] batchMeans = array(emb2centMeans);
            double[] batchVars = array(emb2centVars);
            double[] uni = array(uniformity);
            double[] cov = array(covPerSample);
            Map<String, Double> out = new LinkedHashMap<>();
            String p = "emb/" + space + "/";
            out.put(p + "ch_std", chStd);
            out.put(p + "ch_std_per_sample", mean(perSampleStd));
            out.put(p + "ch_std_per_sample__std", Math.sqrt(unbiasedVariance(perSampleStd)));
            out.put(p + "ch_std_sample_centroids", centroidStd);
            out.put(p + "per_sample_uniformity", mean(uni));
            out.put(p + "per_sample_uniformity__std", Math.sqrt(unbiasedVariance(uni)));
            out.put(p + "dist_emb2cent", mean(batchMeans));
            out.put(p + "dist_emb2cent__std", Math.sqrt(mean(batchVars)
                    + (batchMeans.length > 1 ? unbiasedVariance(batchMeans) : 0)));
            out.put(p + "dist_emb2emb", mean(array(emb2embBatches)));
            out.put(p + "dist_cent2cent__batch_estimate", mean(array(cent2cent)));
            out.put(p + "dist_cent2dataset", cent2dataset);
            if (covariance) {
                out.put(p + "cov_offdiagonal__batch_estimate", mean(array(covBatches)));
                out.put(p + "cov_offdiagonal_per_sample", mean(cov));
                out.put(p + "cov_offdiagonal_per_sample__std", Math.sqrt(unbiasedVariance(cov)));
                out.put(p + "cov_offdiagonal_sample_centroids", centroidOffDiagonal);
            }
            if (weighted) {
                out.put(p + "dist_emb2emb__weighted", mean(array(weightedBatches)));
            }
            return out;
        }

        private static double[] array(java.util.List<Double> v) {
            return v.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * Two global spaces of the same samples ({@code zg_a;zg_b}; {@code zl_a_avg;zl_b_avg} with {@code centroids}
     * given, which are not normalised again): {@code rmse} = sqrt(mean over batches of the batch's mean ‖a − b‖²),
     * {@code dist} = mean over batches of the mean ‖a − b‖, {@code dist__std} = sqrt(mean of the batch variances +
     * variance of the batch means).
     */
    public static Map<String, Double> globalPair(String space, double[][] a, double[][] b, int batchSize,
                                                 boolean normalize) {
        requirePairs(space, a.length, b.length, batchSize);
        java.util.List<Double> mse = new java.util.ArrayList<>();
        java.util.List<Double> means = new java.util.ArrayList<>();
        java.util.List<Double> vars = new java.util.ArrayList<>();
        for (int start = 0; start < a.length; start += batchSize) {
            int end = Math.min(a.length, start + batchSize);
            double[] dist = new double[end - start];
            double sq = 0;
            for (int i = start; i < end; i++) {
                double[] x = normalize ? normalized(a[i]) : a[i];
                double[] y = normalize ? normalized(b[i]) : b[i];
                if (x.length != y.length) {
                    throw new LovtException("embedding statistics of " + space + ": sample " + i + " has " + x.length
                            + " and " + y.length + " channels");
                }
                dist[i - start] = distance(x, y);
                sq += dist[i - start] * dist[i - start] / dist.length;
            }
            mse.add(sq);
            means.add(mean(dist));
            vars.add(unbiasedVariance(dist));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String p = "emb/" + space + "/";
        double[] m = toArray(means);
        out.put(p + "rmse", Math.sqrt(mean(toArray(mse))));
        out.put(p + "dist", mean(m));
        out.put(p + "dist__std", Math.sqrt(mean(toArray(vars)) + (m.length > 1 ? unbiasedVariance(m) : 0)));
        return out;
    }

    /**
     * Each local against its cross-attended counterpart ({@code zl_a;zl_b2a}, {@code zl_b;zl_a2b}; the original's
     * {@code LocalEmbeddingPairMetrics}): per sample the rmse over its locals (+ {@code __std} from the batches,
     * {@code __weighted} = sqrt Σ w·‖a − b‖² with weights), the smallest and largest distance, and
     * {@code sample_std_dist}. The last reproduces the original's arithmetic over the batch's padded length N (the
     * largest local count in the batch; padded positions count as distance 0): sqrt(var over N, ddof 1, / (n_s / N)).
     */
    public static Map<String, Double> localPair(String space, java.util.List<double[][]> a, java.util.List<double[][]> b,
                                                java.util.List<double[]> weights, int batchSize) {
        requirePairs(space, a.size(), b.size(), batchSize);
        java.util.List<Double> rmseMeans = new java.util.ArrayList<>();
        java.util.List<Double> rmseVars = new java.util.ArrayList<>();
        java.util.List<Double> weighted = new java.util.ArrayList<>();
        java.util.List<Double> minDist = new java.util.ArrayList<>();
        java.util.List<Double> maxDist = new java.util.ArrayList<>();
        java.util.List<Double> stdDist = new java.util.ArrayList<>();
        for (int start = 0; start < a.size(); start += batchSize) {
            int end = Math.min(a.size(), start + batchSize);
            int padded = paddedLength(a, start, end);
            double[] rmse = new double[end - start];
            double[] wr = new double[end - start];
            double[] mins = new double[end - start];
            double[] maxs = new double[end - start];
            double[] stds = new double[end - start];
            for (int s = start; s < end; s++) {
                double[][] x = a.get(s);
                double[][] y = b.get(s);
                if (x.length != y.length || x.length == 0) {
                    throw new LovtException("embedding statistics of " + space + ": sample " + s + " has " + x.length
                            + " locals and " + y.length + " counterparts");
                }
                int k = s - start;
                double[] dist = new double[padded];                    // padded positions: 0, as masked there
                double sq = 0;
                double wsq = 0;
                mins[k] = Double.POSITIVE_INFINITY;
                for (int i = 0; i < x.length; i++) {
                    dist[i] = distance(normalized(x[i]), normalized(y[i]));
                    sq += dist[i] * dist[i];
                    if (weights != null) {
                        wsq += weights.get(s)[i] * dist[i] * dist[i];
                    }
                    mins[k] = Math.min(mins[k], dist[i]);
                    maxs[k] = Math.max(maxs[k], dist[i]);
                }
                rmse[k] = Math.sqrt(sq / x.length);
                wr[k] = Math.sqrt(wsq);
                stds[k] = Math.sqrt(unbiasedVariance(dist) / ((double) x.length / padded));
            }
            rmseMeans.add(mean(rmse));
            rmseVars.add(unbiasedVariance(rmse));
            weighted.add(mean(wr));
            minDist.add(mean(mins));
            maxDist.add(mean(maxs));
            stdDist.add(mean(stds));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String p = "emb/" + space + "/";
        double[] m = toArray(rmseMeans);
        out.put(p + "sample_rmse", mean(m));
        out.put(p + "sample_rmse__std", Math.sqrt(mean(toArray(rmseVars)) + (m.length > 1 ? unbiasedVariance(m) : 0)));
        out.put(p + "sample_min_dist", mean(toArray(minDist)));
        out.put(p + "sample_max_dist", mean(toArray(maxDist)));
        out.put(p + "sample_std_dist", mean(toArray(stdDist)));
        if (weights != null) {
            out.put(p + "sample_rmse__weighted", mean(toArray(weighted)));
        }
        return out;
    }

    /**
     * The two local distributions of each sample ({@code zl_a||zl_b}; the original's
     * {@code LocalDistributionPairMetrics}): {@code dist_emb2emb} (mean cross-modal distance over valid pairs),
     * {@code dist_emb2emb__weighted} (Σ_i w1_i Σ_j w2_j d_ij, with both weights), the 1-NN distances and the centroid
     * assignments ({@code assignment_1to1}: mean over a's locals of s_own / (s_own + s_other) with s = 1/‖e − μ‖²,
     * μ the modality centroids; 0.5 = modalities perfectly mixed). The original's quirk is reproduced:
     * its {@code masked_fill} is not in place, so padded positions of b (distance 0 there) take part in the minimum
     * of {@code 1NN_emb2emb_2to1}, which is 0 for every sample with fewer b locals than the batch's largest.
     */
    public static Map<String, Double> distributionPair(String space, java.util.List<double[][]> a,
                                                       java.util.List<double[][]> b, java.util.List<double[]> weightsA,
                                                       java.util.List<double[]> weightsB, int batchSize) {
        requirePairs(space, a.size(), b.size(), batchSize);
        java.util.List<Double> dist = new java.util.ArrayList<>();
        java.util.List<Double> weighted = new java.util.ArrayList<>();
        java.util.List<Double> nn21 = new java.util.ArrayList<>();
        java.util.List<Double> nn12 = new java.util.ArrayList<>();
        java.util.List<Double> assign22 = new java.util.ArrayList<>();
        java.util.List<Double> assign11 = new java.util.ArrayList<>();
        for (int start = 0; start < a.size(); start += batchSize) {
            int end = Math.min(a.size(), start + batchSize);
            int paddedA = paddedLength(a, start, end);
            int paddedB = paddedLength(b, start, end);
            int n = end - start;
            double[] d = new double[n];
            double[] w = new double[n];
            double[] n21 = new double[n];
            double[] n12 = new double[n];
            double[] a22 = new double[n];
            double[] a11 = new double[n];
            for (int s = start; s < end; s++) {
                int k = s - start;
                double[][] x = normalizedAll(a.get(s));
                double[][] y = normalizedAll(b.get(s));
                double[] muA = centroid(space, s, a.get(s));
                double[] muB = centroid(space, s, b.get(s));
                double[][] c = new double[x.length][y.length];
                for (int i = 0; i < x.length; i++) {
                    for (int j = 0; j < y.length; j++) {
                        c[i][j] = distance(x[i], y[j]);
                        d[k] += c[i][j] / ((double) x.length * y.length);
                    }
                }
                if (weightsA != null || weightsB != null) {
                    double total = 0;
                    double[] rows = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        for (int j = 0; j < y.length; j++) {
                            rows[i] += weightsB != null ? weightsB.get(s)[j] * c[i][j] : c[i][j] / y.length;
                        }
                    }
                    if (weightsA != null) {
                        for (int i = 0; i < x.length; i++) {
                            total += weightsA.get(s)[i] * rows[i];
                        }
                    } else {
                        // the original's branch without a's weights: the mean over a of each column, then the plain
                        // mean over b's padded positions (padding counts as 0), b's weights unused
                        for (int j = 0; j < y.length; j++) {
                            double col = 0;
                            for (int i = 0; i < x.length; i++) {
                                col += c[i][j] / x.length;
                            }
                            total += col / paddedB;
                        }
                    }
                    w[k] = total;
                }
                for (int i = 0; i < x.length; i++) {
                    double min = y.length < paddedB ? 0 : Double.POSITIVE_INFINITY;
                    for (int j = 0; j < y.length; j++) {
                        min = Math.min(min, c[i][j]);
                    }
                    n21[k] += min / x.length;
                }
                for (int j = 0; j < y.length; j++) {
                    double min = x.length < paddedA ? 0 : Double.POSITIVE_INFINITY;
                    for (int i = 0; i < x.length; i++) {
                        min = Math.min(min, c[i][j]);
                    }
                    n12[k] += min / y.length;
                }
                for (double[] e : y) {
                    double own = 1 / Math.pow(distance(e, muB), 2);
                    double other = 1 / Math.pow(distance(e, muA), 2);
                    a22[k] += own / (own + other) / y.length;
                }
                for (double[] e : x) {
                    double own = 1 / Math.pow(distance(e, muA), 2);
                    double other = 1 / Math.pow(distance(e, muB), 2);
                    a11[k] += own / (own + other) / x.length;
                }
            }
            dist.add(mean(d));
            weighted.add(mean(w));
            nn21.add(mean(n21));
            nn12.add(mean(n12));
            assign22.add(mean(a22));
            assign11.add(mean(a11));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String p = "emb/" + space + "/";
        out.put(p + "dist_emb2emb", mean(toArray(dist)));
        out.put(p + "1NN_emb2emb_2to1", mean(toArray(nn21)));
        out.put(p + "1NN_emb2emb_1to2", mean(toArray(nn12)));
        out.put(p + "assignment_2to2", mean(toArray(assign22)));
        out.put(p + "assignment_1to1", mean(toArray(assign11)));
        if (weightsA != null || weightsB != null) {
            out.put(p + "dist_emb2emb__weighted", mean(toArray(weighted)));
        }
        return out;
    }

    private static void requirePairs(String space, int a, int b, int batchSize) {
        if (a != b || a < 1 || batchSize < 1) {
            throw new LovtException("embedding statistics of " + space + ": need as many samples on both sides (got "
                    + a + " and " + b + ") and a batch size >= 1");
        }
    }

    /** The batch's padded local count: the largest of its samples' (the original's collation pads to it). */
    private static int paddedLength(java.util.List<double[][]> samples, int start, int end) {
        int n = 0;
        for (int s = start; s < end; s++) {
            n = Math.max(n, samples.get(s).length);
        }
        return n;
    }

    private static double[][] normalizedAll(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = normalized(x[i]);
        }
        return y;
    }

    private static double[] toArray(java.util.List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
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

    /**
     * {@code Σ_{a≠b} T_ab² / d} of {@code T = Σ_r w_r x_r x_rᵀ} (the rows {@code x_r} of length d, weights w_r ≥ 0), the
     * original's {@code cov[~diag].pow(2).sum() / d}, without forming the d × d matrix: ‖T‖_F² is the squared
     * Frobenius norm of the smaller Gram matrix of the scaled rows (libtorch, float64), less the squared diagonal. At
     * full size (d = 2048, about 1,600 rows per batch) this is what keeps the analysis to seconds and megabytes.
     */
    static double offDiagonalOfSum(double[][] rows, double[] weights, int d) {
        int r = rows.length;
        double[] diag = new double[d];
        double[] flat = new double[r * d];
        for (int i = 0; i < r; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                return Double.NaN;
            }
            double sw = Math.sqrt(w);
            for (int c = 0; c < d; c++) {
                double x = rows[i][c];
                diag[c] += w * x * x;
                flat[i * d + c] = sw * x;
            }
        }
        double diagonal = 0;
        for (double v : diag) {
            diagonal += v * v;
        }
        org.lovt.torch.Natives.load();
        try (org.lovt.torch.Scope s = org.lovt.torch.Scope.open()) {
            org.bytedeco.pytorch.Tensor z = org.lovt.torch.Tensors.doubles(flat, r, d);
            org.bytedeco.pytorch.Tensor gram = r <= d ? z.mm(z.t()) : z.t().mm(z);
            double frobenius = gram.mul(gram).sum().item_double();
            return Math.max(0, frobenius - diagonal) / d;
        }
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
