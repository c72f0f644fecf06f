package org.lovt.model;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-checkable values of LoVT's attention statistics (original formulas, quirks included). */
class AttentionStatisticsTest {
    @Test
    void oneHotRowsHaveZeroEntropyAndTheirMeanHasLogTwo() {
        // One sample, 2 regions attending to 2 sentences, each region to a different one.
        double[] s = AttentionStatistics.stats(new double[] {1, 0, 0, 1}, 1, 2, 2, new boolean[] {true, true},
                new boolean[] {true, true});
        assertEquals(0, s[0], 1e-12, "row entropies are 0 (0 * log(eps) = 0)");
        assertEquals(0, s[1], 1e-12);
        // Each row is sqrt((0.5 + 1e-6)^2 + (-0.5 + 1e-6)^2) from the mean row (pairwise_distance adds its eps).
        assertEquals(Math.sqrt(Math.pow(0.5 + 1e-6, 2) + Math.pow(-0.5 + 1e-6, 2)), s[2], 1e-12);
        assertEquals(Math.log(2), s[3], 1e-12, "the mean row (0.5, 0.5)");
        assertTrue(Double.isNaN(s[4]), "unbiased variance of one sample is NaN, as torch.var");
    }

    @Test
    void paddedQueriesAreCorrectedByTheValidFraction() {
        // Sample 0: 3 sentence rows of which the last is padding; valid rows uniform over 4 regions.
        // Sample 1: 3 valid rows, one-hot.
        double q = 0.25;
        double[] p = {q, q, q, q, q, q, q, q, 0, 0, 0, 0,
                1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
        boolean[] mq = {true, true, false, true, true, true};
        boolean[] mk = new boolean[8];
        java.util.Arrays.fill(mk, true);
        double[] s = AttentionStatistics.stats(p, 2, 3, 4, mq, mk);
        double log4 = Math.log(4);
        // Mean entropy: sample 0 = (log4 + log4 + 0) / 3 / (2/3) = log 4; sample 1 = 0.
        assertEquals(log4 / 2, s[0], 1e-12);
        // Std: sample 0 = sqrt(var(log4, log4, 0) / (2/3)), var unbiased = log4^2 / 3; sample 1 = 0.
        assertEquals(Math.sqrt(log4 * log4 / 3 / (2.0 / 3)) / 2, s[1], 1e-12);
        // Mean rows: sample 0 (0.25 x4) -> entropy log 4; sample 1 (1/3, 1/3, 1/3, 0) -> log 3.
        assertEquals((log4 + Math.log(3)) / 2, s[3], 1e-12);
        assertEquals(Math.pow(log4 - Math.log(3), 2) / 2, s[4], 1e-12);
    }

    @Test
    void epochValuesAreMeansOfBatchMeansWithAPooledStd() {
        try (Scope sc = Scope.open()) {
            AttentionStatistics st = new AttentionStatistics();
            // Two batches of one sample; b2a (1, 2 regions, 2 sentences): uniform, then one-hot.
            Tensor uniform = Tensors.floats(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 1, 2, 2);
            Tensor oneHot = Tensors.floats(new float[] {1, 0, 0, 1}, 1, 2, 2);
            st.update(uniform, null, null, null);
            st.update(oneHot, null, null, null);
            Map<String, Double> m = st.compute();
            assertEquals(Math.log(2) / 2, m.get("att/b2a/mean_entropy"), 1e-6);
            assertEquals(Math.log(2), m.get("att/b/entropy"), 1e-6, "both mean rows are (0.5, 0.5)");
            assertTrue(Double.isNaN(m.get("att/b/entropy__std")), "batch variances of one sample are NaN");
            assertTrue(!m.containsKey("att/a2b/mean_entropy"), "a2b was not given");
        }
    }
}
