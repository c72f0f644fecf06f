package org.lovt.analysis;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
