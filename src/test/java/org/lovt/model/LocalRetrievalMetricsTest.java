package org.lovt.model;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalRetrievalMetricsTest {
    @Test
    void perfectPartnersRankFirstAndPaddingIsExcluded() {
        try (Scope s = Scope.open()) {
            Tensor local = torch.eye(4).unsqueeze(0).expand(new long[] {2, 4, 4}).contiguous();  // orthonormal rows
            Tensor mask = Tensors.bools(new boolean[] {true, true, true, true, true, true, false, false}, 2, 4);
            LocalRetrievalMetrics m = new LocalRetrievalMetrics();
            m.update(local, local, mask, null);
            Map<String, Double> r = m.compute("b_l2att_");
            assertEquals(1.0, r.get("b_l2att_top_1_acc"), 1e-12);
            assertEquals(0.0, r.get("b_l2att_avg_retrieval_index"), 1e-12);
            assertEquals(3.0, m.averageLocalSize(), 1e-12, "(4 + 2) / 2");
        }
    }

    @Test
    void reversedPartnersRankLastWithHandCheckableNumbers() {
        try (Scope s = Scope.open()) {
            // partner of element i is most similar to element 3 - i: in a 4-element sample, element i's true
            // partner is beaten by exactly the candidates with higher similarity.
            Tensor local = Tensors.floats(new float[] {1, 0, 0, 1}, 1, 2, 2);          // e0, e1
            Tensor partners = Tensors.floats(new float[] {0.6f, 0.8f, 0.8f, 0.6f}, 1, 2, 2);
            Tensor w = Tensors.floats(new float[] {0.25f, 0.75f}, 1, 2);
            LocalRetrievalMetrics m = new LocalRetrievalMetrics();
            m.update(local, partners, null, w);
            Map<String, Double> r = m.compute("a_l2att_");
            // sims row0 = [0.6, 0.8] (true 0.6: rank 1), row1 = [0.8, 0.6] (true 0.6: rank 1)
            assertEquals(0.0, r.get("a_l2att_top_1_acc"), 1e-12);
            assertEquals(1.0, r.get("a_l2att_top_5_acc"), 1e-12);
            assertEquals(1.0, r.get("a_l2att_avg_retrieval_index"), 1e-12);
            assertEquals(1.0, r.get("a_l2att_weighted_avg_retrieval_index"), 1e-6);
        }
    }
}
