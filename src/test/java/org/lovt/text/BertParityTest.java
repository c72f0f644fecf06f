package org.lovt.text;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertParityTest {

    static double maxAbsDiff(Tensor a, Tensor b) {
        assertEquals(java.util.Arrays.toString(Tensors.shape(b)), java.util.Arrays.toString(Tensors.shape(a)));
        return a.sub(b).abs().max().item_double();
    }

    @Test
    void evalForwardMatchesHuggingFaceOnAllPositions() {
        BertConfig cfg = BertConfig.fromJson(TestData.require("fixtures/bert-tiny/config.json"));
        Safetensors.Contents io = Safetensors.read(TestData.require("fixtures/bert-tiny/io.safetensors"));
        try (Scope s = Scope.open()) {
            BertModel m = new BertModel(cfg);
            StateDict.fromHost(Safetensors.read(TestData.require("fixtures/bert-tiny/model.safetensors"))
                    .tensors()).loadInto(m, true);
            m.eval();
            BertModel.Output out = m.forward(Tensors.fromHost(io.tensor("input_ids")),
                    Tensors.fromHost(io.tensor("attention_mask")), Tensors.fromHost(io.tensor("token_type_ids")));
            List<Tensor> hs = out.hiddenStates();
            assertEquals(5, hs.size());
            for (int i = 0; i < hs.size(); i++) {
                double d = maxAbsDiff(hs.get(i), Tensors.fromHost(io.tensor("hidden_states." + i)));
                assertTrue(d <= 1e-5, "hidden_states." + i + " differs by " + d);
            }
            double d = maxAbsDiff(out.lastHiddenState(), Tensors.fromHost(io.tensor("last_hidden_state")));
            assertTrue(d <= 1e-5, "last_hidden_state differs by " + d);
            d = maxAbsDiff(out.poolerOutput(), Tensors.fromHost(io.tensor("pooler_output")));
            assertTrue(d <= 1e-5, "pooler_output differs by " + d);
        }
    }
}
