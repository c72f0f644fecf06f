package org.lovt.analysis;

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
}
