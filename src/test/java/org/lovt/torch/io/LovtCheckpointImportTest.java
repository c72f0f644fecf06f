package org.lovt.torch.io;

import org.lovt.train.Experiments;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.LovtModel;
import org.lovt.model.LovtModels;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Lightning checkpoint laid out like the original LoVT's imports into a LovtModel by name. */
class LovtCheckpointImportTest {
    @TempDir
    Path tmp;

    private static Object tensor(String key, HostTensor t) {
        byte[] b = new byte[(int) t.byteSize()];
        t.bytes().get(b);
        return PickleWriter.Tensor.contiguous(PickleWriter.Storage.of(key, t.dtype(), b), 0, t.shape());
    }

    @Test
    void originalLightningCheckpointLoadsByName() throws Exception {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=8",
                "pretrain_model.d_hidden=12"));
        try (Scope s = Scope.open()) {
            LovtModel source = LovtModels.alignmentOnly(c, 16, 24);
            Map<String, HostTensor> host = StateDict.of(source).toHost();
            Map<Object, Object> sd = new LinkedHashMap<>();
            int k = 0;
            for (Map.Entry<String, HostTensor> e : host.entrySet()) {
                sd.put(e.getKey(), tensor(String.valueOf(k++), e.getValue()));
            }
            // The online evaluators' heads are stored too and must be ignored.
            byte[] head = new byte[5 * 16 * 4];
            sd.put("online_evaluator_scan.classifier.weight",
                    PickleWriter.Tensor.contiguous(PickleWriter.Storage.of("head", DType.F32, head), 0, 5, 16));
            Object ckpt = CheckpointTestSupport.dict("epoch", 7L, "global_step", 1234L,
                    "state_dict", new PickleWriter.OrderedDict(sd),
                    "hyper_parameters", CheckpointTestSupport.call("omegaconf.dictconfig", "DictConfig"));
            Path file = CheckpointTestSupport.zip(tmp, "pretrain-epoch0007.ckpt", ckpt);

            LovtModel target = LovtModels.alignmentOnly(c, 16, 24);
            List<String> ignored = LovtModels.loadCheckpoint(target, file);
            assertEquals(List.of("online_evaluator_scan.classifier.weight"), ignored);
            Map<String, HostTensor> loaded = StateDict.of(target).toHost();
            host.forEach((name, t) -> assertTrue(t.contentEquals(loaded.get(name)), name));

            // A checkpoint of another architecture (different sizes) fails naming the entry and both shapes.
            LovtModel other = LovtModels.alignmentOnly(c, 32, 24);
            var e = assertThrows(LovtException.class, () -> LovtModels.loadCheckpoint(other, file));
            assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
        }
    }

    @Test
    void ownSafetensorsCheckpointLoadsAsFileAndAsFolder() throws Exception {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=8",
                "pretrain_model.d_hidden=12"));
        try (Scope s = Scope.open()) {
            LovtModel source = LovtModels.alignmentOnly(c, 16, 24);
            Map<String, HostTensor> host = StateDict.of(source).toHost();
            Path folder = java.nio.file.Files.createDirectories(tmp.resolve("epoch=0001-step=12"));
            Safetensors.write(folder.resolve("model.safetensors"), host, Map.of());
            for (Path p : List.of(folder, folder.resolve("model.safetensors"))) {
                LovtModel target = LovtModels.alignmentOnly(c, 16, 24);
                assertEquals(List.of(), LovtModels.loadCheckpoint(target, p), p.toString());
                Map<String, HostTensor> loaded = StateDict.of(target).toHost();
                host.forEach((name, t) -> assertTrue(t.contentEquals(loaded.get(name)), p + " " + name));
            }
            // A state dict lacking an entry fails naming the file.
            Map<String, HostTensor> partial = new LinkedHashMap<>(host);
            String dropped = partial.keySet().iterator().next();
            partial.remove(dropped);
            Path bad = tmp.resolve("partial.safetensors");
            Safetensors.write(bad, partial, Map.of());
            var e = assertThrows(LovtException.class,
                    () -> LovtModels.loadCheckpoint(LovtModels.alignmentOnly(c, 16, 24), bad));
            assertTrue(e.getMessage().startsWith(bad + ": 1 model entries are missing"), e.getMessage());
            Path junk = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "not a checkpoint at all");
            e = assertThrows(LovtException.class,
                    () -> LovtModels.loadCheckpoint(LovtModels.alignmentOnly(c, 16, 24), junk));
            assertTrue(e.getMessage().startsWith(junk + ": not a model checkpoint"), e.getMessage());
        }
    }
}
