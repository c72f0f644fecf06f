package org.lovt.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertModelTest {
    @TempDir
    Path tmp;

    @Test
    void bioClinicalBertLayoutHasTheReferenceKeysShapesAndCount() throws IOException {
        JsonNode layout = new ObjectMapper().readTree(TestData.require("fixtures/bio_clinicalbert_layout.json").toFile());
        BertConfig cfg = BertConfig.fromJson(TestData.require("fixtures/bio_clinicalbert_config.json"));
        try (Scope s = Scope.open()) {
            BertModel m = new BertModel(cfg);
            assertEquals(108_310_272L, m.parameterCount());
            Map<String, String> expected = new TreeMap<>();
            layout.fields().forEachRemaining(e -> {
                if (BertCheckpoints.toBertModelKey(e.getKey()) != null) {
                    expected.put(e.getKey(), e.getValue().toString().replace(",", ", "));
                }
            });
            Map<String, String> actual = new TreeMap<>();
            StateDict sd = StateDict.of(m);
            for (String n : sd.names()) {
                actual.put(n, java.util.Arrays.toString(Tensors.shape(sd.get(n))));
            }
            assertEquals(expected, actual);
        }
    }

    @Test
    void oldStyleCheckpointLoadsToTheSameWeightsAndReportsIgnoredHeads() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bert-bin"));
        for (String f : new String[] {"config.json", "pytorch_model.bin"}) {
            Files.copy(TestData.require("fixtures/bert-tiny/" + f), dir.resolve(f));
        }
        try (Scope s = Scope.open()) {
            BertCheckpoints.Loaded fromBin = BertCheckpoints.load(dir);
            BertCheckpoints.Loaded fromSafetensors = BertCheckpoints.load(TestData.require("fixtures/bert-tiny"));
            assertTrue(fromBin.weights().toString().endsWith("pytorch_model.bin"));
            assertTrue(fromBin.ignored().contains("cls.predictions.bias"), fromBin.ignored().toString());
            assertTrue(fromBin.report().missing().isEmpty());
            StateDict a = StateDict.of(fromBin.model());
            StateDict b = StateDict.of(fromSafetensors.model());
            for (String n : a.names()) {
                assertEquals(0.0, a.get(n).sub(b.get(n)).abs().max().item_double(), 0.0, n);
            }
        }
    }

    @Test
    void remappingHandlesOldCheckpointNames() {
        assertEquals("embeddings.LayerNorm.weight", BertCheckpoints.toBertModelKey("bert.embeddings.LayerNorm.gamma"));
        assertEquals("encoder.layer.3.output.LayerNorm.bias",
                BertCheckpoints.toBertModelKey("bert.encoder.layer.3.output.LayerNorm.beta"));
        assertEquals("encoder.layer.0.attention.self.query.weight",
                BertCheckpoints.toBertModelKey("encoder.layer.0.attention.self.query.weight"));
        assertNull(BertCheckpoints.toBertModelKey("cls.predictions.bias"));
        assertNull(BertCheckpoints.toBertModelKey("bert.embeddings.position_ids"));
    }

    private static BertConfig tiny() {
        return new BertConfig(100, 32, 4, 4, 64, "gelu", 0.1, 0.1, 40, 2, 0.02, 1e-12, 0);
    }

    @Test
    void frozenPartsGetNoGradientAndEveryTrainableOneDoes() {
        try (Scope s = Scope.open()) {
            BertModel m = new BertModel(tiny());
            m.freeze(true, 2);
            m.train(true);
            Tensor ids = Tensors.longs(new long[] {2, 5, 9, 3, 2, 7, 3, 0}, 2, 4);
            Tensor mask = Tensors.longs(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, 2, 4);
            BertModel.Output out = m.forward(ids, mask);
            out.lastHiddenState().pow(new org.bytedeco.pytorch.Scalar(2.0)).mean()
                    .add(out.poolerOutput().sum()).backward();
            var params = m.named_parameters(true);
            List<String> wrong = new ArrayList<>();
            for (long i = 0; i < params.size(); i++) {
                String n = params.get(i).key().getString();
                Tensor p = params.get(i).value();
                boolean frozen = n.startsWith("embeddings.") || n.startsWith("encoder.layer.0.")
                        || n.startsWith("encoder.layer.1.");
                boolean hasGrad = p.grad().defined() && p.grad().abs().sum().item_double() > 0;
                if (frozen == p.requires_grad() || frozen == hasGrad) {
                    wrong.add(n + " requires_grad=" + p.requires_grad() + " grad=" + hasGrad);
                }
            }
            assertTrue(wrong.isEmpty(), wrong.toString());
        }
    }

    @Test
    void dropoutActsOnlyInTrainMode() {
        try (Scope s = Scope.open()) {
            BertModel m = new BertModel(tiny());
            Tensor ids = Tensors.longs(new long[] {2, 5, 9, 3}, 1, 4);
            Tensor mask = Tensors.longs(new long[] {1, 1, 1, 1}, 1, 4);
            m.eval();
            Tensor a = m.forward(ids, mask).lastHiddenState();
            Tensor b = m.forward(ids, mask).lastHiddenState();
            assertEquals(0.0, a.sub(b).abs().max().item_double(), 0.0);
            m.train(true);
            torch.manual_seed(1);
            Tensor c = m.forward(ids, mask).lastHiddenState();
            assertTrue(a.sub(c).abs().max().item_double() > 1e-3, "train mode applies dropout");
        }
    }

    @Test
    void paddingDoesNotChangeRealTokens() {
        try (Scope s = Scope.open()) {
            BertModel m = new BertModel(tiny());
            m.eval();
            Tensor short1 = m.forward(Tensors.longs(new long[] {2, 5, 9, 3}, 1, 4),
                    Tensors.longs(new long[] {1, 1, 1, 1}, 1, 4)).lastHiddenState();
            Tensor padded = m.forward(Tensors.longs(new long[] {2, 5, 9, 3, 0, 0}, 1, 6),
                    Tensors.longs(new long[] {1, 1, 1, 1, 0, 0}, 1, 6)).lastHiddenState();
            double d = padded.narrow(1, 0, 4).sub(short1).abs().max().item_double();
            assertTrue(d < 1e-5, "real tokens changed by " + d);
        }
    }

    @Test
    void badConfigsAndFoldersAreRejectedClearly() throws IOException {
        Path cfg = tmp.resolve("config.json");
        Files.writeString(cfg, "{\"vocab_size\": 10, \"hidden_size\": 30, \"num_attention_heads\": 4}");
        var e = assertThrows(LovtException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("multiple"), e.getMessage());
        Files.writeString(cfg, "{\"hidden_size\": 32}");
        e = assertThrows(LovtException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("missing key 'vocab_size'"), e.getMessage());
        Files.writeString(cfg, "{\"vocab_size\": \"many\"}");
        e = assertThrows(LovtException.class, () -> BertConfig.fromJson(cfg));
        assertTrue(e.getMessage().contains("'vocab_size' must be an integer"), e.getMessage());
        Files.writeString(cfg, "{\"vocab_size\": 10, \"hidden_size\": 32, \"num_attention_heads\": 4}");
        e = assertThrows(LovtException.class, () -> BertCheckpoints.load(tmp));
        assertTrue(e.getMessage().contains("no model.safetensors or pytorch_model.bin"), e.getMessage());
    }
}
