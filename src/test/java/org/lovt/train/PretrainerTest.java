package org.lovt.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.config.ConfigLoader;
import org.lovt.model.LovtModel;
import org.lovt.model.ReportEncoder;
import org.lovt.model.ScanEncoder;
import org.lovt.text.BertConfig;
import org.lovt.text.ReportPacker;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop on a tiny LoVT: accumulation, checkpoints, exact resume, early stopping, NaN guard. */
class PretrainerTest {
    static WordPieceTokenizer tok;

    @TempDir
    Path tmp;

    @BeforeAll
    static void tokenizer() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ","));
        for (String s : SyntheticBatches.SENTENCES) {
            for (String w : s.replaceAll("[.,]", "").split(" ")) {
                if (!vocab.contains(w)) {
                    vocab.add(w);
                }
            }
        }
        tok = WordPieceTokenizer.fromVocab(vocab, true, "test");
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    static PreTrainExperimentConfig experiment(String... extra) {
        List<String> o = new ArrayList<>(List.of("+experiment=LoVT_100", "pretrain_model.d_z=16",
                "pretrain_model.d_hidden=32", "pretrain_model.batch_size=4", "trainer.accumulate_grad_batches=2",
                "pretrain_model.encoder_b.freeze_encoder_layers=1", "seed=7"));
        o.addAll(List.of(extra));
        return Experiments.load(Optional.empty(), Experiments.TRAIN_REPRESENTATION, o)
                .bind(PreTrainExperimentConfig.class);
    }

    static LovtModel tinyModel(PreTrainExperimentConfig e, long initSeed) {
        torch.manual_seed(initSeed);
        var c = e.pretrainModel();
        return new LovtModel(c, new ScanEncoder(c.encoderA(), new ResNetConfig(new int[] {1, 1, 1, 1}, 4, 0)),
                new ReportEncoder(c.encoderB(), new BertConfig(tok.vocabSize(), 16, 2, 2, 32, "gelu", 0.1, 0.1, 64, 2,
                        0.02, 1e-12, 0)));
    }

    Pretrainer trainer(PreTrainExperimentConfig e, Path runDir, long initSeed, Pretrainer.Options o) {
        return new Pretrainer(e, tinyModel(e, initSeed), new ReportPacker(tok, 64), new SyntheticBatches(e.seed(), 5,
                4, 32), new SyntheticBatches(e.seed() + 1, 2, 4, 32), runDir, new Device("cpu"), o);
    }

    static Pretrainer.Options quiet(int epochs) {
        return new Pretrainer.Options(epochs, Long.MAX_VALUE, 0, 1, new PrintStream(new ByteArrayOutputStream()));
    }

    static List<Double> trainLosses(Path runDir) throws IOException {
        List<Double> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n = m.readTree(line);
            if (n.has("train/total_loss")) {
                out.add(n.get("train/total_loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void killedRunResumesExactlyAsTheUninterruptedOne() throws IOException {
        PreTrainExperimentConfig e = experiment();
        Path full = tmp.resolve("full");
        Pretrainer.Result a = trainer(e, full, 1, quiet(2)).fit();
        assertEquals(2, a.state().epoch());
        assertEquals(6, a.state().optimizerSteps(), "ceil(5 / 2) = 3 optimizer steps per epoch, the last partial");
        List<Double> fullLosses = trainLosses(full);
        assertEquals(10, fullLosses.size());

        Path resumed = tmp.resolve("resumed");
        // "Killed" after 4 optimizer steps (in the middle of epoch 2), then started again with another init seed.
        Pretrainer.Result b1 = trainer(e, resumed, 1, quiet(2).withMaxOptimizerSteps(4)).fit();
        assertEquals(4, b1.state().optimizerSteps());
        assertTrue(new Checkpoints(resumed.resolve("checkpoints")).resolve(Checkpoints.LAST).isPresent());
        List<Long> resumedAt = new ArrayList<>();
        Pretrainer.Result b2 = trainer(e, resumed, 999, quiet(2)).addListener(new TrainListener<Object>() {
            @Override
            public void onFitStart(Fit fit) {
                resumedAt.add(fit.state().optimizerSteps());
            }
        }).fit();
        assertEquals(List.of(4L), resumedAt, "listeners start from the restored state");
        assertEquals(6, b2.state().optimizerSteps());
        List<Double> resumedLosses = trainLosses(resumed);
        assertEquals(fullLosses.size(), resumedLosses.size());
        for (int i = 0; i < fullLosses.size(); i++) {
            assertEquals(fullLosses.get(i), resumedLosses.get(i), 0.0,
                    "batch " + i + " bit for bit: " + fullLosses + " vs " + resumedLosses);
        }
        assertEquals(a.lastValidation().get("total_loss"), b2.lastValidation().get("total_loss"), 1e-6);
    }

    @Test
    void progressNamesTheEpochLimitOnlyWhenThereIsOne() throws IOException {
        PreTrainExperimentConfig e = experiment();
        ByteArrayOutputStream limited = new ByteArrayOutputStream();
        trainer(e, tmp.resolve("limited"), 1, new Pretrainer.Options(1, Long.MAX_VALUE, 0, 1,
                new PrintStream(limited, true, java.nio.charset.StandardCharsets.UTF_8))).fit();
        String printedLimited = limited.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printedLimited.contains("epoch 1/1: "), printedLimited);
        ByteArrayOutputStream open = new ByteArrayOutputStream();
        // No epoch limit: a run that ends by its step limit (or, in the demo, by its deadline).
        trainer(e, tmp.resolve("open"), 1, new Pretrainer.Options(Integer.MAX_VALUE, 3, 0, 1,
                new PrintStream(open, true, java.nio.charset.StandardCharsets.UTF_8))).fit();
        String printed = open.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains("epoch 1: ") && !printed.contains("epoch 1/"), printed);
    }

    @Test
    void extraValidationMetricsAreLoggedEachEpochAndMustNotShadowLosses() throws IOException {
        PreTrainExperimentConfig e = experiment();
        Path run = tmp.resolve("extra");
        List<Integer> calls = new ArrayList<>();
        Pretrainer.Result r = trainer(e, run, 1, quiet(2).withExtraValidation(epoch -> {
            calls.add(epoch);
            return java.util.Map.of("my_metric", 10.0 + epoch);
        })).fit();
        assertEquals(List.of(0, 1), calls);
        assertEquals(11.0, r.lastValidation().get("my_metric"), 0.0);
        // LoVT's attention statistics (spec §4.8) are part of every validation of a config with local objectives.
        for (String k : List.of("att/b2a/mean_entropy", "att/a2b/dist_to_mean", "att/a/entropy", "att/b/entropy__std")) {
            assertTrue(r.lastValidation().containsKey(k), k + " in " + r.lastValidation().keySet());
        }
        double entropy = r.lastValidation().get("att/b2a/mean_entropy");
        assertTrue(entropy > 0 && entropy <= Math.log(32) + 1e-6, "an entropy over at most 32 sentences: " + entropy);
        assertTrue(Files.readString(run.resolve("metrics.csv")).contains("val/my_metric,10.0"));
        LovtException clash = assertThrows(LovtException.class, () -> trainer(e, tmp.resolve("clash"), 1,
                quiet(1).withExtraValidation(epoch -> java.util.Map.of("total_loss", 0.0))).fit());
        assertTrue(clash.getMessage().contains("total_loss"), clash.getMessage());
    }

    @Test
    void checkpointsHaveBestAndLastAndLearningHappens() throws IOException {
        PreTrainExperimentConfig e = experiment("pretrain_model.learning_rate=1e-3",
                "pretrain_model.lr_scheduler=[reduce_on_plateau]");
        Path run = tmp.resolve("run");
        // The same 5 batches every epoch: a working loop must fit them.
        Pretrainer.Result r = new Pretrainer(e, tinyModel(e, 3), new ReportPacker(tok, 64),
                new SyntheticBatches(e.seed(), 5, 4, 32).sameEveryEpoch(), new SyntheticBatches(e.seed() + 1, 2, 4, 32),
                run, new Device("cpu"), quiet(4)).fit();
        Checkpoints c = new Checkpoints(run.resolve("checkpoints"));
        assertTrue(c.resolve(Checkpoints.LAST).isPresent() && c.resolve(Checkpoints.BEST).isPresent());
        try (var s = Files.list(run.resolve("checkpoints"))) {
            long dirs = s.filter(Files::isDirectory).count();
            assertTrue(dirs <= 3, "only the checkpoints the pointers name (last, best, previous) are kept");
        }
        assertTrue(Files.readString(run.resolve("metrics.csv")).startsWith("epoch,step,name,value\n"));
        assertTrue(Files.readString(run.resolve("metrics.csv")).contains("val/global_a2b_loss"));
        assertTrue(r.lastValidation().containsKey("a_l2att_top_1_acc") && r.lastValidation().containsKey("b_avg_local_size"),
                r.lastValidation().keySet().toString());
        assertTrue(r.lastValidation().containsKey("online_chexpert_bin_scan_auroc")
                && r.lastValidation().containsKey("online_chexpert_bin_report_loss"), r.lastValidation().toString());
        assertTrue(Files.exists(c.resolve(Checkpoints.LAST).get().resolve("online_chexpert_bin_scan.safetensors")));
        assertTrue(Double.isFinite(r.state().best()));
        List<Double> losses = trainLosses(run);
        double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(15, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.8 * first, "training fits the repeated batches: epoch 1 mean " + first + ", epoch 4 mean "
                + last);
    }

    @Test
    void earlyStoppingStopsAfterPatienceBadEpochs() {
        // A huge min_delta makes every validation after the first 'not better' (the first always improves on +inf).
        PreTrainExperimentConfig e = experiment("callback.early_stopping.patience=2",
                "callback.early_stopping.min_delta=1000.0");
        Pretrainer.Result r = trainer(e, tmp.resolve("es"), 3, quiet(10)).fit();
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.state().epoch(), "the first validation, then two without improvement");
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("nan");
        trainer(experiment(), run, 3, quiet(1)).fit();                        // one good epoch: a last checkpoint
        Checkpoints c = new Checkpoints(run.resolve("checkpoints"));
        Path good = c.resolve(Checkpoints.LAST).orElseThrow();
        byte[] goodWeights = Files.readAllBytes(good.resolve("model.safetensors"));

        PreTrainExperimentConfig e = experiment("pretrain_model.learning_rate=1e30");
        var ex = assertThrows(TrainingDivergedException.class, () -> trainer(e, run, 3, quiet(5)).fit());
        assertTrue(ex.getMessage().contains("the loss became") || ex.getMessage().contains("a gradient became"),
                ex.getMessage());
        assertTrue(ex.getMessage().contains(good.toString()), "names the last good checkpoint: " + ex.getMessage());
        assertEquals(good, c.resolve(Checkpoints.LAST).orElseThrow(), "no checkpoint was written after it");
        assertArrayEquals(goodWeights, Files.readAllBytes(good.resolve("model.safetensors")));
    }
}
