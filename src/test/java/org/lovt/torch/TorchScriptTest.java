package org.lovt.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

/** The native graphs: repeatable results, and no process-wide setting left changed by calling them. */
class TorchScriptTest {
    private static float[] globalNce(long seed) {
        try (Scope s = Scope.open()) {
            torch.manual_seed(seed);
            Tensor a = torch.randn(6, 8);                                        // (B, d)
            Tensor b = torch.randn(6, 8);                                        // (B, d)
            Tensor[] r = TorchScript.lovt("global_nce", a, b, 0.1);
            return new float[] {r[0].item_float(), r[1].item_float()};
        }
    }

    @Test
    void callsLeaveTheCallersGraphExecutorSettingAsTheyFoundIt() {
        boolean before = torch.getGraphExecutorOptimize();
        try {
            for (boolean setting : new boolean[] {true, false}) {
                torch.setGraphExecutorOptimize(setting);
                globalNce(1);
                assertEquals(setting, torch.getGraphExecutorOptimize(), "setting " + setting);
            }
        } finally {
            torch.setGraphExecutorOptimize(before);
        }
    }

    @Test
    void repeatedCallsGiveBitIdenticalResults() {
        // The profiling executor would re-optimise after the first calls; every call must give the first's bits.
        float[] first = globalNce(3);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(first, globalNce(3), "call " + (i + 2));
        }
        assertTrue(Float.isFinite(first[0]) && first[0] > 0, "an InfoNCE loss is positive: " + first[0]);
    }

    @Test
    void unknownFunctionIsNamed() {
        var e = assertThrows(LovtException.class, () -> TorchScript.lovt("no_such_graph"));
        assertTrue(e.getMessage().contains("no_such_graph"), e.getMessage());
    }
}
