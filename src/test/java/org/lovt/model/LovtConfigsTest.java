package org.lovt.model;

import org.lovt.train.Experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped experiment builds a LovtModel that computes exactly its configured losses. */
class LovtConfigsTest {
    static final List<String> EXPERIMENTS = List.of("LoVT_100", "LoVT_30", "ConVIRT_100", "ConVIRT_30", "CLIP_100",
            "CLIP_30", "ablation/convirt_lr", "ablation/g_only", "ablation/g_single_sent_att", "ablation/no_coslr",
            "ablation/no_g", "ablation/no_l", "ablation/no_spatial", "ablation/no_weight",
            "ablation/no_weight_no_att");

    static Stream<String> experiments() {
        return EXPERIMENTS.stream();
    }

    @ParameterizedTest
    @MethodSource("experiments")
    void buildsAndComputesTheConfiguredLosses(String experiment) {
        BiModalModelConfig c = Experiments.model(experiment,
                List.of("pretrain_model.d_z=16", "pretrain_model.d_hidden=24"));
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.alignmentOnly(c, 32, 24);
            m.train(true);
            torch.manual_seed(1);
            Tensor ylA = torch.randn(4, 49, 32).relu().requires_grad_(true);
            Tensor ylB = torch.randn(4, 3, 24).requires_grad_(true);
            Tensor mask = torch.ones(4, 3).to(torch.ScalarType.Bool);
            LovtModel.Output o = m.forward(m.scanEncoder().aggregate(ylA, 7, 7), m.reportEncoder().aggregate(ylB, mask));
            assertEquals(c.lossNames().stream().sorted().toList(), o.losses().keySet().stream().sorted().toList());
            assertTrue(Double.isFinite(o.totalLoss().item_double()));
            o.totalLoss().backward();
            assertTrue(ylA.grad().abs().sum().item_double() > 0, "gradient reaches the scan features");
            assertTrue(ylB.grad().abs().sum().item_double() > 0, "gradient reaches the report features");
        }
    }

    static Stream<Arguments> fullSize() {
        // spec lovt-model §6.3: total and requires_grad parameter counts of the full models
        return Stream.of(Arguments.of("LoVT_100", 167_510_336L, 102_317_888L),
                Arguments.of("CLIP_100", 165_147_968L, 99_955_520L),
                Arguments.of("ConVIRT_100", 148_346_176L, 83_153_728L));
    }

    @ParameterizedTest
    @MethodSource("fullSize")
    void fullSizeParameterCountsMatchTheOriginal(String experiment, long total, long trainable) {
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.build(Experiments.model(experiment, List.of()));
            assertEquals(total, m.parameterCount(false), "params_total");
            assertEquals(trainable, m.parameterCount(true), "requires_grad");
            StateDict sd = StateDict.of(m);
            assertTrue(sd.contains("model_a.encoder.feature_extractor.backbone_layers.layer4.2.bn3.running_var"));
            assertTrue(sd.contains("model_b.encoder.language_model.encoder.layer.11.output.LayerNorm.weight"));
            assertTrue(sd.contains("ll_attention.output_projection.weight"));
        }
    }

    @Test
    void originalNamesCoverTheAlignmentFixture() {
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.alignmentOnly(Experiments.model("LoVT_100", List.of()), 64, 48);
            List<String> names = new ArrayList<>(StateDict.of(m).names());
            assertTrue(names.contains("model_a.encoder.global_aggregator.attention.in_proj_weight"), names.toString());
            assertTrue(names.contains("model_b.project_local.projection_before.weight"), names.toString());
        }
    }
}
