package org.lovt.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LoVT model built from the LoVT_100 config against the lovt-heads fixture of the ORIGINAL modules. */
class LovtHeadsVerifierTest {
    static final String DIR = "fixtures/lovt-heads/";

    @TempDir
    Path tmp;

    static Path params() {
        return TestData.require(DIR + "params.safetensors");
    }

    static Path io() {
        return TestData.require(DIR + "io.safetensors");
    }

    @Test
    void everyReferenceOfTheOriginalMatches() {
        List<Comparison> r = LovtHeadsVerifier.verify(params(), io(), "LoVT_100");
        List<String> failed = r.stream().filter(c -> !c.passed()).map(Comparison::line).toList();
        assertTrue(failed.isEmpty(), String.join("\n", failed));
        // 79 tensors: 3 inputs, 76 references (intermediates, 6 losses, total, metrics, gradients, BN statistics).
        assertEquals(76, r.size());
        assertTrue(r.stream().anyMatch(c -> c.name().equals("grad.model_b.encoder.global_aggregator.attention"
                + ".in_proj_weight")));
        assertTrue(r.stream().anyMatch(c -> c.name().equals("after_train.ll_attention.norm.running_var")));
    }

    @Test
    void aChangedParameterOrSettingIsCaught() {
        Map<String, HostTensor> p = new LinkedHashMap<>(Safetensors.read(params()).tensors());
        HostTensor t = p.get("ll_attention.key_projection.weight");
        ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN).put(t.bytes());
        b.putFloat(0, b.getFloat(0) * 1.5f + 0.1f);
        b.flip();
        p.put("ll_attention.key_projection.weight", new HostTensor(t.dtype(), t.shape(), b));
        Path changed = tmp.resolve("params.safetensors");
        Safetensors.write(changed, p, Map.of());
        List<Comparison> r = LovtHeadsVerifier.verify(changed, io(), "LoVT_100");
        assertTrue(r.stream().anyMatch(c -> c.name().equals("attention_probs_b2a") && !c.passed()));
        assertTrue(r.stream().filter(c -> c.name().equals("yg_a")).allMatch(Comparison::passed),
                "the pools do not depend on the cross-attention");

        // Another experiment's settings: no_spatial uses uniform scan positives, so the scan local losses differ.
        List<Comparison> noSpatial = LovtHeadsVerifier.verify(params(), io(), "ablation/no_spatial");
        assertTrue(noSpatial.stream().anyMatch(c -> c.name().equals("loss.local_a_l2att") && !c.passed()));
        assertTrue(noSpatial.stream().filter(c -> c.name().equals("loss.global_a2b")).allMatch(Comparison::passed));
    }

    @Test
    void filesWithoutTheInputsAreRejected() {
        Path empty = tmp.resolve("io.safetensors");
        Safetensors.write(empty, Map.of(), Map.of());
        var e = assertThrows(LovtException.class, () -> LovtHeadsVerifier.verify(params(), empty, "LoVT_100"));
        assertTrue(e.getMessage().contains("input.yl_a"), e.getMessage());
        e = assertThrows(LovtException.class, () -> LovtHeadsVerifier.verify(io(), io(), "LoVT_100"));
        assertTrue(e.getMessage().contains("not a LoVT alignment-part params file"), e.getMessage());
    }
}
