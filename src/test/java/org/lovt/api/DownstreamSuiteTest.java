package org.lovt.api;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sweep resumes only on the same weights: a backbone file changed since is refused, naming the difference. */
class DownstreamSuiteTest {
    private static void writeBackbone(Path file, long seed) {
        Seeds.manualSeed(seed);
        Safetensors.write(file, StateDict.of(new ResNet(new ResNetConfig(new int[] {1, 1, 1, 1}, 16, 0))).toHost(),
                Map.of());
    }

    private static DownstreamSuite.Result sweep(Path backbone, Path data, Path out) {
        return DownstreamSuite.builder().backbone(backbone.toString()).name("tiny").out(out)
                .tasks(List.of("rsna_seg_linear_100")).runs(2).data("rsna", data).inputSize(64).batchSize(4)
                .maxEpochs(1).workers(1).log(new PrintStream(PrintStream.nullOutputStream())).run();
    }

    @Test
    void aBackboneChangedSinceTheFirstSweepIsRefused(@TempDir Path tmp) {
        Natives.load();
        Path data = DownstreamData.generateSynthetic(tmp.resolve("rsna"), "rsna", 3, 16, 8, 8, 64);
        assertEquals(data, DownstreamData.generateSynthetic(data, "rsna", 3, 16, 8, 8, 64), "kept as it is");
        Path backbone = tmp.resolve("tiny.safetensors");
        writeBackbone(backbone, 1);
        Path out = tmp.resolve("results");
        DownstreamSuite.Result first = sweep(backbone, data, out);
        assertEquals(2, first.tasks().get(0).runs().size());
        // the same weights: resumes (nothing to do) and gives the same numbers
        assertEquals(first.tasks().get(0).runs(), sweep(backbone, data, out).tasks().get(0).runs());
        writeBackbone(backbone, 2);                                   // "trained further"
        LovtException e = assertThrows(LovtException.class, () -> sweep(backbone, data, out));
        assertTrue(e.getMessage().contains("backbone_sha256") && e.getMessage().contains("other settings"),
                e.getMessage());
    }
}
