package org.lovt.model;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Global embedding statistics on embeddings whose statistics are known in closed form. */
class EmbeddingStatisticsTest {
    @Test
    void identicalVectorsHaveNoSpreadAndTheMaximalUniformity() {
        double[][] e = new double[40][];
        for (int i = 0; i < 40; i++) {
            e[i] = new double[] {3 * (i + 1), 0, 4 * (i + 1)};     // all the same direction: identical once normalised
        }
        Map<String, Double> s = EmbeddingStatistics.global("zg_a", e, 32);
        assertEquals(0, s.get("emb/zg_a/ch_std"), 1e-12);
        assertEquals(0, s.get("emb/zg_a/uniformity"), 1e-12, "log 1");
        assertEquals(0, s.get("emb/zg_a/dist_emb2emb__batch_estimate"), 1e-12);
        assertEquals(0, s.get("emb/zg_a/cov_offdiagonal"), 1e-12);
    }

    @Test
    void orthonormalVectorsGiveTheClosedForms() {
        int n = 8;
        double[][] e = new double[n][n];
        for (int i = 0; i < n; i++) {
            e[i][i] = 2.5;                                        // scaled: normalisation comes first
        }
        Map<String, Double> s = EmbeddingStatistics.global("yg_b", e, 32);
        // one batch of 8: pairs i != j are sqrt(2) apart (exp(-4)), the diagonal 0 (exp(0))
        double kernel = (n + n * (n - 1) * Math.exp(-4)) / (n * n);
        assertEquals(Math.log(kernel), s.get("emb/yg_b/uniformity"), 1e-12);
        assertEquals(n * (n - 1) * Math.sqrt(2) / (n * n), s.get("emb/yg_b/dist_emb2emb__batch_estimate"), 1e-12);
        // each channel is 1 once and 0 otherwise: unbiased variance (1 - 1/n) / (n - 1) = 1/n; covariances -1/(n(n-1))
        assertEquals(Math.sqrt(1.0 / n), s.get("emb/yg_b/ch_std"), 1e-12);
        double c = -1.0 / (n * (n - 1));
        assertEquals(n * (n - 1) * c * c / n, s.get("emb/yg_b/cov_offdiagonal"), 1e-15);
        // in batches of 2 every batch is one orthogonal pair: mean kernel (2 + 2 exp(-4)) / 4, mean distance sqrt2/2
        Map<String, Double> b2 = EmbeddingStatistics.global("yg_b", e, 2);
        assertEquals(Math.log((2 + 2 * Math.exp(-4)) / 4), b2.get("emb/yg_b/uniformity"), 1e-12);
        assertEquals(Math.sqrt(2) / 2, b2.get("emb/yg_b/dist_emb2emb__batch_estimate"), 1e-12);
        assertEquals(s.get("emb/yg_b/ch_std"), b2.get("emb/yg_b/ch_std"), 0.0, "not a batch estimate");
    }

    @Test
    void uniformOnTheSphereApproachesItsExpectation() {
        // For uniform unit vectors in R^3, ||x - y||^2 = 2 - 2t with t ~ U(-1, 1): E exp(-2 (2 - 2t)) =
        // (1 - e^-8) / 8, so the uniformity tends to log((1 - e^-8) / 8) (plus the diagonal's 1/m share per batch).
        Random r = new Random(5);
        int n = 32 * 200;
        double[][] e = new double[n][];
        for (int i = 0; i < n; i++) {
            e[i] = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        }
        Map<String, Double> s = EmbeddingStatistics.global("zg_b", e, 32);
        double offDiagonal = (1 - Math.exp(-8)) / 8;
        double expected = Math.log((1.0 / 32) + (31.0 / 32) * offDiagonal);
        assertEquals(expected, s.get("emb/zg_b/uniformity"), 0.01);
        assertEquals(Math.sqrt(1.0 / 3), s.get("emb/zg_b/ch_std"), 0.01, "each coordinate has variance 1/3");
        assertEquals(0, s.get("emb/zg_b/cov_offdiagonal"), 1e-3);
        // mean distance of uniform unit vectors in R^3: E sqrt(2 - 2t) = 4/3, diagonal share 1/32 at 0
        assertEquals(31.0 / 32 * 4.0 / 3, s.get("emb/zg_b/dist_emb2emb__batch_estimate"), 0.01);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(LovtException.class, () -> EmbeddingStatistics.global("x", new double[][] {{1, 0}}, 32));
        assertThrows(LovtException.class, () -> EmbeddingStatistics.global("x", new double[][] {{1, 0}, {1}}, 32));
    }

    @Test
    void localSpaceWithIdenticalLocalsPerSampleAndOrthonormalCentroids() {
        int n = 6;
        java.util.List<double[][]> samples = new java.util.ArrayList<>();
        for (int s = 0; s < n; s++) {
            double[][] x = new double[s + 1][n];                  // 1..6 locals, all the same unit vector e_s
            for (double[] v : x) {
                v[s] = 0.5 + s;
            }
            samples.add(x);
        }
        Map<String, Double> m = EmbeddingStatistics.local("zl_a", samples, null, 32);
        for (String zero : new String[] {"ch_std_per_sample", "ch_std_per_sample__std", "per_sample_uniformity",
                "per_sample_uniformity__std", "dist_emb2cent", "dist_emb2cent__std", "dist_emb2emb",
                "cov_offdiagonal_per_sample", "cov_offdiagonal_per_sample__std"}) {
            assertEquals(0, m.get("emb/zl_a/" + zero), 1e-12, zero);
        }
        assertEquals(Math.sqrt(1.0 / n), m.get("emb/zl_a/ch_std"), 1e-12, "only the centroids vary");
        assertEquals(Math.sqrt(1.0 / n), m.get("emb/zl_a/ch_std_sample_centroids"), 1e-12);
        double c = -1.0 / (n * (n - 1));
        assertEquals((n - 1) * c * c, m.get("emb/zl_a/cov_offdiagonal_sample_centroids"), 1e-15);
        assertEquals((n - 1) * c * c, m.get("emb/zl_a/cov_offdiagonal__batch_estimate"), 1e-15, "one batch");
        assertEquals(Math.sqrt((n - 1.0) / n), m.get("emb/zl_a/dist_cent2dataset"), 1e-12);
        assertEquals(n * (n - 1) * Math.sqrt(2) / (n * n), m.get("emb/zl_a/dist_cent2cent__batch_estimate"), 1e-12);
        assertEquals(null, m.get("emb/zl_a/dist_emb2emb__weighted"), "only with weights");
    }

    @Test
    void localSpaceWithTwoOrthogonalLocalsPerSample() {
        double[][] pair = {{2, 0}, {0, 3}};                        // normalised: e1, e2; centroid (0.5, 0.5)
        java.util.List<double[][]> samples = java.util.List.of(pair, pair);
        double[] w = {0.3, 0.7};
        Map<String, Double> m = EmbeddingStatistics.local("zl_b", samples, java.util.List.of(w, w), 32);
        assertEquals(Math.sqrt(0.5), m.get("emb/zl_b/ch_std_per_sample"), 1e-12, "unbiased variance 0.5");
        assertEquals(Math.sqrt(0.5), m.get("emb/zl_b/ch_std"), 1e-12, "identical centroids add nothing");
        assertEquals(0, m.get("emb/zl_b/ch_std_sample_centroids"), 1e-12);
        assertEquals(Math.log((2 + 2 * Math.exp(-4)) / 4), m.get("emb/zl_b/per_sample_uniformity"), 1e-12);
        assertEquals(Math.sqrt(0.5), m.get("emb/zl_b/dist_emb2cent"), 1e-12);
        assertEquals(Math.sqrt(2) / 2, m.get("emb/zl_b/dist_emb2emb"), 1e-12);
        assertEquals(2 * 0.3 * 0.7 * Math.sqrt(2), m.get("emb/zl_b/dist_emb2emb__weighted"), 1e-12);
        // per-sample covariance off the diagonal: -0.5 twice, / d = 2 -> 0.25
        assertEquals(0.25, m.get("emb/zl_b/cov_offdiagonal_per_sample"), 1e-12);
        assertEquals(0.25, m.get("emb/zl_b/cov_offdiagonal__batch_estimate"), 1e-12);
        assertEquals(0, m.get("emb/zl_b/cov_offdiagonal_sample_centroids"), 1e-12);
        // batches of one sample: the original divides the batch covariance of centroids by B - 1 = 0
        assertTrue(Double.isNaN(EmbeddingStatistics.local("zl_b", samples, null, 1)
                .get("emb/zl_b/cov_offdiagonal__batch_estimate")));
        assertThrows(LovtException.class, () -> EmbeddingStatistics.local("zl_b",
                java.util.List.of(pair, new double[0][]), null, 32));
        assertThrows(LovtException.class, () -> EmbeddingStatistics.local("zl_b", samples,
                java.util.List.of(w, new double[] {1}), 32));
    }

    private static final double R2 = Math.sqrt(2);

    @Test
    void centroidsAreNotNormalisedAgain() {
        java.util.List<double[][]> samples = java.util.List.of(new double[][] {{1, 0}, {0, 5}},
                new double[][] {{2, 0}, {3, 0}});
        // centroids (0.5, 0.5) and (1, 0), 0.7071 apart (normalised again they would be 0.7654 apart)
        Map<String, Double> m = EmbeddingStatistics.centroids("zl_a_avg", samples, 32);
        assertEquals(2 * Math.sqrt(0.5) / 4, m.get("emb/zl_a_avg/dist_emb2emb__batch_estimate"), 1e-12);
    }

    @Test
    void globalPairsInBatches() {
        double[][] a = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
        double[][] b = {{2, 0}, {0, 1}, {0, 3}, {0, 1}};             // distances 0, sqrt2 | sqrt2, sqrt2
        Map<String, Double> m = EmbeddingStatistics.globalPair("zg_a;zg_b", a, b, 2, true);
        assertEquals(Math.sqrt(1.5), m.get("emb/zg_a;zg_b/rmse"), 1e-12, "batch mse 1 and 2");
        assertEquals(3 * R2 / 4, m.get("emb/zg_a;zg_b/dist"), 1e-12);
        assertEquals(Math.sqrt(0.75), m.get("emb/zg_a;zg_b/dist__std"), 1e-12, "sqrt(mean(1, 0) + var(sqrt2/2, sqrt2))");
        Map<String, Double> raw = EmbeddingStatistics.globalPair("x", a, b, 4, false);
        assertEquals((1 + 2 * R2 + Math.sqrt(10)) / 4, raw.get("emb/x/dist"), 1e-12, "without normalisation");
    }

    @Test
    void localPairsWithTheOriginalsPaddedStd() {
        double[] e1 = {1, 0};
        double[] e2 = {0, 1};
        java.util.List<double[][]> a = java.util.List.of(new double[][] {e1, e2}, new double[][] {e1});
        java.util.List<double[][]> b = java.util.List.of(new double[][] {e1, e1}, new double[][] {e2});
        java.util.List<double[]> w = java.util.List.of(new double[] {0.25, 0.75}, new double[] {1});
        Map<String, Double> m = EmbeddingStatistics.localPair("zl_b;zl_a2b", a, b, w, 32);
        String p = "emb/zl_b;zl_a2b/";
        assertEquals((1 + R2) / 2, m.get(p + "sample_rmse"), 1e-12, "sample rmse 1 and sqrt2");
        assertEquals((Math.sqrt(0.75 * 2) + R2) / 2, m.get(p + "sample_rmse__weighted"), 1e-12);
        assertEquals((0 + R2) / 2, m.get(p + "sample_min_dist"), 1e-12);
        assertEquals(R2, m.get(p + "sample_max_dist"), 1e-12);
        // padded to N = 2: [0, sqrt2] -> var 1 -> 1; [sqrt2, pad 0] -> var 1 / (1/2) -> sqrt2
        assertEquals((1 + R2) / 2, m.get(p + "sample_std_dist"), 1e-12);
        assertEquals(Math.sqrt(unbiased((1 + 0.0), R2)), m.get(p + "sample_rmse__std"), 1e-12);
    }

    private static double unbiased(double x, double y) {
        double mu = (x + y) / 2;
        return (x - mu) * (x - mu) + (y - mu) * (y - mu);
    }

    @Test
    void distributionPairsAssignmentAndTheNonInPlaceMaskQuirk() {
        double[] e1 = {1, 0, 0};
        double[] e2 = {0, 1, 0};
        double[] e3 = {0, 0, 1};
        double[] m3 = {0, 0, -1};
        java.util.List<double[]> half = java.util.List.of(new double[] {0.5, 0.5});
        Map<String, Double> one = EmbeddingStatistics.distributionPair("zl_a||zl_b",
                java.util.List.<double[][]>of(new double[][] {e1, e2}), java.util.List.<double[][]>of(new double[][] {e3, m3}),
                half, half, 32);
        String p = "emb/zl_a||zl_b/";
        assertEquals(R2, one.get(p + "dist_emb2emb"), 1e-12);
        assertEquals(R2, one.get(p + "dist_emb2emb__weighted"), 1e-12);
        assertEquals(R2, one.get(p + "1NN_emb2emb_2to1"), 1e-12);
        assertEquals(R2, one.get(p + "1NN_emb2emb_1to2"), 1e-12);
        // a's locals: 1/0.5 to their own centroid (0.5, 0.5, 0), 1/1 to b's (0): 2/3; b's: 1/1 own, 1/1.5 other: 0.6
        assertEquals(2.0 / 3, one.get(p + "assignment_1to1"), 1e-12);
        assertEquals(0.6, one.get(p + "assignment_2to2"), 1e-12);
        // a second sample with one b local is padded in the batch: its regions' nearest "sentence" is the padding (0)
        Map<String, Double> two = EmbeddingStatistics.distributionPair("zl_a||zl_b",
                java.util.List.of(new double[][] {e1, e2}, new double[][] {e1, e2}),
                java.util.List.of(new double[][] {e3, m3}, new double[][] {e3}), null, null, 32);
        assertEquals(R2 / 2, two.get(p + "1NN_emb2emb_2to1"), 1e-12, "(sqrt2 + 0) / 2");
        assertEquals(R2, two.get(p + "1NN_emb2emb_1to2"), 1e-12);
        assertEquals(R2, two.get(p + "dist_emb2emb"), 1e-12);
        assertEquals(null, two.get(p + "dist_emb2emb__weighted"));
    }

    /** The covariance statistics on random data against d x d matrices formed here, several batches, mixed counts. */
    @Test
    void covarianceStatisticsEqualTheDirectDxDComputation() {
        java.util.Random r = new java.util.Random(31);
        int n = 7;
        int d = 6;
        int batch = 3;
        java.util.List<double[][]> samples = new java.util.ArrayList<>();
        for (int s = 0; s < n; s++) {
            double[][] x = new double[1 + r.nextInt(5)][d];
            for (double[] row : x) {
                for (int c = 0; c < d; c++) {
                    row[c] = r.nextGaussian();
                }
            }
            samples.add(x);
        }
        Map<String, Double> m = EmbeddingStatistics.local("zl_a", samples, null, batch);
        double[][] mu = new double[n][];
        double[][][] cov = new double[n][][];
        double perSample = 0;
        for (int s = 0; s < n; s++) {
            double[][] x = samples.get(s);
            double[][] y = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                y[i] = EmbeddingStatistics.normalized(x[i]);
            }
            mu[s] = new double[d];
            for (double[] row : y) {
                for (int c = 0; c < d; c++) {
                    mu[s][c] += row[c] / y.length;
                }
            }
            cov[s] = new double[d][d];
            if (y.length > 1) {
                for (double[] row : y) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            cov[s][a][b] += (row[a] - mu[s][a]) * (row[b] - mu[s][b]) / (y.length - 1);
                        }
                    }
                }
            }
            perSample += offDiagonal(cov[s]) / n;
        }
        assertEquals(perSample, m.get("emb/zl_a/cov_offdiagonal_per_sample"), 1e-12);
        double batches = 0;
        int count = 0;
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            double[][] total = covarianceOf(java.util.Arrays.copyOfRange(mu, start, end));
            for (int s = start; s < end; s++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        total[a][b] += cov[s][a][b] / (end - start);
                    }
                }
            }
            batches += offDiagonal(total);
            count++;
        }
        assertEquals(batches / count, m.get("emb/zl_a/cov_offdiagonal__batch_estimate"), 1e-12);
        assertEquals(offDiagonal(covarianceOf(mu)), m.get("emb/zl_a/cov_offdiagonal_sample_centroids"), 1e-12);
        double[][] g = new double[n][];
        for (int s = 0; s < n; s++) {
            g[s] = samples.get(s)[0];
        }
        double[][] gn = new double[n][];
        for (int s = 0; s < n; s++) {
            gn[s] = EmbeddingStatistics.normalized(g[s]);
        }
        assertEquals(offDiagonal(covarianceOf(gn)), EmbeddingStatistics.global("yg_a", g, batch)
                .get("emb/yg_a/cov_offdiagonal"), 1e-12);
    }

    private static double[][] covarianceOf(double[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] x : rows) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[c] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] x : rows) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (x[a] - mean[a]) * (x[b] - mean[b]) / (n - 1);
                }
            }
        }
        return cov;
    }

    private static double offDiagonal(double[][] c) {
        double s = 0;
        for (int a = 0; a < c.length; a++) {
            for (int b = 0; b < c.length; b++) {
                if (a != b) {
                    s += c[a][b] * c[a][b];
                }
            }
        }
        return s / c.length;
    }

    /** Full size (d = 2048, 49 regions, two batches of 32): seconds, not the d x d per sample the direct way needs. */
    @Test
    void fullSizeLocalSpaceIsFeasible() {
        java.util.Random r = new java.util.Random(5);
        java.util.List<double[][]> samples = new java.util.ArrayList<>();
        for (int s = 0; s < 64; s++) {
            double[][] x = new double[49][2048];
            for (double[] row : x) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = r.nextGaussian();
                }
            }
            samples.add(x);
        }
        long t0 = System.nanoTime();
        Map<String, Double> m = EmbeddingStatistics.local("yl_a", samples, null, 32);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Gaussian directions: per-channel std ≈ 1/√d, and the off-diagonal covariance ≈ (d - 1) / d / (m - 1) / d².
        assertEquals(1 / Math.sqrt(2048), m.get("emb/yl_a/ch_std_per_sample"), 0.002);
        assertTrue(m.get("emb/yl_a/cov_offdiagonal_per_sample") > 0);
        assertTrue(seconds < 120, "full-size statistics took " + seconds + " s");
    }
}
