package org.lovt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

/**
 * The evaluations through the public API on a tiny model trained for one epoch: on the model in training (a
 * listener's {@code onStart} view, a per-epoch evaluator) and on the run loaded back, which must agree.
 */
class EvaluationsTest {
    static final List<String> TINY = List.of("+experiment=LoVT_100", "name=evaluations-test", "seed=3",
            "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
            "pretrain_model.encoder_b.freeze_embeddings=false", "pretrain_model.encoder_b.freeze_encoder_layers=0",
            "pretrain_model.encoder_b.max_length=64",
            "++pretrain_model.encoder_a.backbone_args.stem_width=4",
            "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]",
            "pretrain_model.encoder_a.region_feature_layer=conv3", "pretrain_model.encoder_a.input_size=[64,64]",
            "pretrain_model.d_z=16", "pretrain_model.d_hidden=32", "pretrain_model.batch_size=8",
            "trainer.accumulate_grad_batches=1", "~online_eval");

    @TempDir
    static Path shared;
    static EvaluationData validation;
    static EvaluationData test;
    static PretrainingResult result;
    static final List<PointingGameResult> atStart = new ArrayList<>();

    @BeforeAll
    static void pretrain() {
        Path dataDir = shared.resolve("data");
        PretrainingData data = PretrainingData.generateSynthetic(dataDir, 5, 16, 12, 12, 64);
        validation = EvaluationData.synthetic(dataDir, "validation");
        test = EvaluationData.synthetic(dataDir, "test");
        result = Pretraining.builder().overrides(TINY).data(data).runDir(shared.resolve("run")).maxEpochs(1)
                .workers(1).ignoreUserConfig().log(new PrintStream(PrintStream.nullOutputStream()))
                .evaluator(Evaluations.pointingGameEachEpoch(validation))
                .listener(new PretrainingListener() {
                    @Override
                    public void onStart(LovtEncoder model) {
                        atStart.add(Evaluations.pointingGame(model, test));
                    }
                })
                .build().run();
    }

    @Test
    void theModelInTrainingAndTheLoadedRunAgree() {
        assertEquals(1, atStart.size(), "measured once, when the run started");
        assertTrue(atStart.get(0).sentences() > 0);
        try (LovtEncoder lovt = LovtEncoder.fromRun(result.runDir())) {
            // One epoch: the best checkpoint holds the weights the per-epoch evaluator saw.
            PointingGameResult v = Evaluations.pointingGame(lovt, validation);
            assertEquals(v.hits(), result.lastValidation().get("grounding"));
            assertEquals(v.zoneHits(), result.lastValidation().get("grounding_zone"));
            PointingGameResult t = Evaluations.pointingGame(lovt, test);
            assertEquals(atStart.get(0).sentences(), t.sentences());
            assertEquals(atStart.get(0).chance(), t.chance(), "the same sentences and boxes, whatever the weights");
            for (double rate : new double[] {t.hits(), t.zoneHits(), t.poolHits(), t.reportMeanHits(),
                    t.reportMeanZoneHits(), t.describedFindingOnly(), t.otherFindingOnly()}) {
                assertTrue(rate >= 0 && rate <= 1, "a rate: " + rate);
            }
            double dice = Evaluations.linearProbeDice(lovt, validation, test);
            assertTrue(dice >= 0 && dice <= 1, "Dice " + dice);
            assertEquals(dice, Evaluations.linearProbeDice(lovt, validation, test), "the probe is seeded");
        }
    }

    @Test
    void writesTheSentenceTableAndPictures(@TempDir Path tmp) throws Exception {
        try (LovtEncoder lovt = LovtEncoder.fromRun(result.runDir())) {
            PointingGameResult r = Evaluations.pointingGame(lovt, test, tmp.resolve("sentences.csv"),
                    tmp.resolve("pictures"), 2);
            List<String> rows = Files.readAllLines(tmp.resolve("sentences.csv"));
            assertEquals(r.sentences() + 1, rows.size(), "a header and one row per finding sentence");
            assertTrue(rows.get(0).startsWith("study,sentence,finding,zone,"), rows.get(0));
            assertEquals(List.of(tmp.resolve("pictures/attention-00.png"), tmp.resolve("pictures/attention-01.png")),
                    r.pictures());
            assertEquals(r.sentences(), r.byKind().values().stream().mapToInt(PointingGameResult.ByKind::sentences)
                    .sum());
        }
    }

    @Test
    void chartsOfTheRunsMetrics(@TempDir Path tmp) throws Exception {
        assertTrue(RunCharts.plot(result.runDir(), tmp.resolve("g.png"), "pointing game",
                Map.of("box", "val/grounding", "zone", "val/grounding_zone")));
        assertTrue(Files.size(tmp.resolve("g.png")) > 100);
        assertFalse(RunCharts.plot(result.runDir(), tmp.resolve("none.png"), "nothing", Map.of("x", "val/nothing")));
        assertFalse(Files.exists(tmp.resolve("none.png")));
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefused(@TempDir Path tmp) {
        PretrainingData.generateSynthetic(tmp.resolve("small"), 5, 2, 2, 2, 96);
        EvaluationData large = EvaluationData.synthetic(tmp.resolve("small"), "test");
        assertEquals(96, large.imageSize());
        assertEquals(1, large.first(1).size());
        LovtEncoder closed;
        try (LovtEncoder lovt = LovtEncoder.fromRun(result.runDir())) {
            LovtException e = assertThrows(LovtException.class, () -> Evaluations.pointingGame(lovt, large));
            assertTrue(e.getMessage().contains("images of 96 px, but the model takes 64 px"), e.getMessage());
            closed = lovt;
        }
        assertThrows(IllegalStateException.class, () -> Evaluations.pointingGame(closed, test));
        assertThrows(IllegalStateException.class, () -> Evaluations.linearProbeDice(closed, test, test));
        LovtException e = assertThrows(LovtException.class, () -> EvaluationData.synthetic(tmp, "test"));
        assertTrue(e.getMessage().contains("no ground_truth.json"), e.getMessage());
    }

    @Test
    void resolvesTheExperimentAndRestoresTheThreads() {
        ResolvedExperiment x = ResolvedExperiment.of(TINY);
        assertEquals(64, x.inputSize());
        assertEquals(3, x.seed());
        assertEquals("conv3", x.regionFeatureLayer());
        int before;
        try (ComputeThreads t = ComputeThreads.limit(1)) {
            before = t.previous();
        }
        try (ComputeThreads t = ComputeThreads.limit(1)) {
            assertEquals(before, t.previous(), "the first limit was undone");
        }
    }
}
