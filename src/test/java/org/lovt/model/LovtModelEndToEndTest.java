package org.lovt.model;

import org.lovt.train.Experiments;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.text.BertConfig;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny full LoVT model: images and reports in, six losses out, gradients where the original sends them. */
class LovtModelEndToEndTest {

    @Test
    void imagesAndReportsTrainTheWholeModel() {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=32", "pretrain_model.encoder_b.freeze_encoder_layers=1"));
        try (WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]",
                "[MASK]", "no", "effusion", "heart", "size", "normal", "small", "nodule", "right", "left", "."),
                true, "test"); Scope s = Scope.open()) {
            ScanEncoder scan = new ScanEncoder(c.encoderA(), new ResNetConfig(new int[] {1, 1, 1, 1}, 4, 0));
            ReportEncoder report = new ReportEncoder(c.encoderB(),
                    new BertConfig(tok.vocabSize(), 24, 2, 4, 48, "gelu", 0.1, 0.1, 64, 2, 0.02, 1e-12, 0));
            LovtModel m = new LovtModel(c, scan, report);
            m.train(true);
            torch.manual_seed(0);
            ReportBatch reports = new ReportPacker(tok, 64).pack(List.of(
                    List.of("No effusion.", "Heart size normal."), List.of("Small nodule right."),
                    List.of("Heart size normal.", "No effusion left.", "Small nodule."), List.of("Normal.")));
            LovtModel.Output o = m.forward(torch.randn(4, 3, 64, 64), reports);
            assertArrayEquals(new long[] {4, 4, 128}, o.a().local().sizes().vec().get(), "2x2 regions of layer4");
            assertArrayEquals(new long[] {4, 3, 24}, o.b().local().sizes().vec().get(), "up to 3 sentences");
            assertEquals(6, o.losses().size());
            double rowSum = o.b().weights().sum(1).sub(torch.ones(4)).abs().max().item_double();
            assertTrue(rowSum < 1e-5, "sentence weights sum to 1 per report");
            assertEquals(0.0, o.b().weights().select(1, 2).select(0, 0).item_double(), 0.0, "padding has weight 0");
            o.totalLoss().backward();
            StateDict sd = StateDict.of(m);
            assertTrue(sd.get("model_a.encoder.feature_extractor.backbone_layers.conv1.weight").grad().abs().sum()
                    .item_double() > 0, "the ResNet learns");
            assertTrue(sd.get("model_b.encoder.language_model.encoder.layer.1.attention.self.query.weight").grad()
                    .abs().sum().item_double() > 0, "unfrozen BERT layers learn");
            Tensor frozen = sd.get("model_b.encoder.language_model.encoder.layer.0.attention.self.query.weight");
            assertTrue(!frozen.requires_grad() && !frozen.grad().defined(), "frozen layers do not");
            assertTrue(!sd.get("model_b.encoder.language_model.embeddings.word_embeddings.weight").requires_grad());
        }
    }

    @Test
    void aGlobalLayerWiderThanTheRegionLayerFeedsTheGlobalProjectionAndTrainsTheDeeperStages() {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=32", "pretrain_model.encoder_a.region_feature_layer=conv3",
                "pretrain_model.encoder_a.global_feature_layer=conv5",
                "pretrain_model.encoder_a.local_weights_from_aggregator=false", "pretrain_model.l_weights_a=null",
                "pretrain_model.encoder_b.freeze_encoder_layers=1"));
        try (WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]",
                "[MASK]", "no", "effusion", "."), true, "test"); Scope s = Scope.open()) {
            ScanEncoder scan = new ScanEncoder(c.encoderA(), new ResNetConfig(new int[] {1, 1, 1, 1}, 4, 0));
            assertEquals(32, scan.localDim(), "conv3: 2 x 4 x 4 channels");
            assertEquals(128, scan.globalDim(), "conv5: 8 x 4 x 4 channels");
            ReportEncoder report = new ReportEncoder(c.encoderB(),
                    new BertConfig(tok.vocabSize(), 24, 2, 4, 48, "gelu", 0.1, 0.1, 64, 2, 0.02, 1e-12, 0));
            LovtModel m = new LovtModel(c, scan, report);
            m.train(true);
            torch.manual_seed(0);
            ReportBatch reports = new ReportPacker(tok, 64).pack(List.of(List.of("No effusion."),
                    List.of("Effusion."), List.of("No effusion."), List.of("Effusion.")));
            LovtModel.Output o = m.forward(torch.randn(4, 3, 64, 64), reports);
            assertArrayEquals(new long[] {4, 64, 32}, o.a().local().sizes().vec().get(), "8x8 regions of layer2");
            o.totalLoss().backward();
            assertTrue(StateDict.of(m).get("model_a.encoder.feature_extractor.backbone_layers.layer4.0.conv1.weight")
                    .grad().abs().sum().item_double() > 0, "layer4 learns through the global loss");
        }
    }
}
