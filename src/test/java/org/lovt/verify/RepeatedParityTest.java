package org.lovt.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.torch.Natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden-fixture parity of ResNet, BERT and LoVT's heads, forward and gradients, three times in a row with one
 * and with two intra-op threads in one JVM. A kernel that reads uninitialised memory, or races between threads,
 * passes once and fails later (oneDNN's padded-channel kernels on AVX-512 EPYC gave NaN gradients only sometimes);
 * a gradient that is NaN in one of these runs fails here.
 */
class RepeatedParityTest {
    static final int[] THREADS = {1, 2};
    static final int RUNS = 3;

    private static void repeat(String what, Supplier<List<Comparison>> verify, int expectedReferences) {
        Natives.load();
        int before = torch.get_num_threads();
        List<String> failed = new ArrayList<>();
        try {
            for (int threads : THREADS) {
                torch.set_num_threads(threads);
                for (int run = 1; run <= RUNS; run++) {
                    List<Comparison> r = verify.get();
                    assertEquals(expectedReferences, r.size(), what + ": references compared");
                    for (Comparison c : r) {
                        if (!c.passed()) {
                            failed.add("threads " + threads + ", run " + run + ": " + c.line());
                        }
                    }
                }
            }
        } finally {
            torch.set_num_threads(before);
        }
        assertTrue(failed.isEmpty(), what + ":\n" + String.join("\n", failed));
    }

    @Test
    void resnetForwardGradientsAndStatisticsMatchEveryTime() {
        repeat("resnet50-w8", () -> ResNetVerifier.verify(
                TestData.require("fixtures/resnet50-w8/weights.safetensors"),
                TestData.require("fixtures/resnet50-w8/io.safetensors"), null, null), 177);
    }

    @Test
    void bertMatchesEveryTime() {
        repeat("bert-tiny", () -> BertVerifier.verify(TestData.require("fixtures/bert-tiny"),
                TestData.require("fixtures/bert-tiny/io.safetensors")), 7);
    }

    @Test
    void lovtHeadsLossesAndGradientsMatchEveryTime() {
        repeat("lovt-heads", () -> LovtHeadsVerifier.verify(TestData.require("fixtures/lovt-heads/params.safetensors"),
                TestData.require("fixtures/lovt-heads/io.safetensors"), "LoVT_100"), 76);
    }
}
