package org.lovt.model;

import org.lovt.train.Experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.config.UserConfig;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainedModelsTest {
    @TempDir
    Path tmp;

    private UserConfig user(String resnet, String bert) throws IOException {
        Path f = tmp.resolve("user.yaml");
        Files.writeString(f, "models:\n  pretrained:\n" + (resnet != null ? "    resnet50_imagenet: " + resnet + "\n" : "")
                + (bert != null ? "    bio_clinicalbert: " + bert + "\n" : ""));
        return UserConfig.load(f);
    }

    @Test
    void localWeightsFromTheUserConfigAreLoaded() throws IOException {
        Path bert = Files.createDirectories(tmp.resolve("bert"));
        Files.copy(TestData.require("fixtures/bert-tiny/config.json"), bert.resolve("config.json"));
        Files.copy(TestData.require("fixtures/bert-tiny/pytorch_model.bin"), bert.resolve("pytorch_model.bin"));
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (int i = vocab.size(); i < 512; i++) {
            vocab.add("w" + i);
        }
        Files.write(bert.resolve("vocab.txt"), vocab);
        String resnet = TestData.require("fixtures/resnet50-w8/weights.pth").toString();
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=32", "++pretrain_model.encoder_a.backbone_args.stem_width=8",
                "pretrain_model.encoder_b.freeze_encoder_layers=2"));
        try (Scope s = Scope.open()) {
            PretrainedModels.Assembled a = PretrainedModels.assemble(c, user(resnet, bert.toString()), null, List::of);
            assertEquals(null, a.vocab());
            assertTrue(a.notes().get(0).contains("ImageNet weights from"), a.notes().toString());
            StateDict sd = StateDict.of(a.model());
            HostTensor expected = Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                    .tensor("layer2.1.conv2.weight");
            assertTrue(expected.contentEquals(org.lovt.torch.Tensors.toHost(
                    sd.get("model_a.encoder.feature_extractor.backbone_layers.layer2.1.conv2.weight"))));
            HostTensor q = Safetensors.read(TestData.require("fixtures/bert-tiny/model.safetensors"))
                    .tensor("encoder.layer.3.attention.self.query.weight");
            assertTrue(q.contentEquals(org.lovt.torch.Tensors.toHost(
                    sd.get("model_b.encoder.language_model.encoder.layer.3.attention.self.query.weight"))));
            assertEquals(512, a.tokenizer().vocabSize());
            a.tokenizer().close();
        }
    }

    @Test
    void withoutWeightsItSaysRandomInitAndBuildsAVocabulary() throws IOException {
        BiModalModelConfig c = Experiments.model("ConVIRT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=32", "++pretrain_model.encoder_a.backbone_args.stem_width=4",
                "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]"));
        try (Scope s = Scope.open()) {
            PretrainedModels.Assembled a = PretrainedModels.assemble(c, UserConfig.empty(), null,
                    () -> List.of("No pleural effusion.", "No pleural effusion.", "Heart size normal.",
                            "Heart size normal."));
            assertTrue(String.join("\n", a.notes()).contains("starting from random init"), a.notes().toString());
            assertTrue(String.join("\n", a.notes()).contains("vocabulary of"), a.notes().toString());
            assertTrue(a.vocab().contains("effusion"));
            assertEquals(a.vocab().size(), a.tokenizer().vocabSize());
            a.tokenizer().close();
        }
        var e = assertThrows(LovtException.class, () -> PretrainedModels.assemble(c, user(null, "/no/such/folder"),
                null, List::of));
        assertTrue(e.getMessage().contains("bio_clinicalbert"), e.getMessage());
    }
}
