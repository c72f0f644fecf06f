package org.lovt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path on real sample data: prepare MIMIC-CXR → pre-train a tiny LoVT → stop → resume, which must give
 * exactly the losses of an uninterrupted run.
 */
class PretrainEndToEndTest {
    @TempDir
    Path tmp;

    /** Batch 2 (accumulating 2) on the sample's 13 train studies: 6 batches, 3 optimizer steps per epoch. */
    static final String[] TINY = {"+experiment=LoVT_100", "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
        "pretrain_model.encoder_b.freeze_encoder_layers=0", "++pretrain_model.encoder_a.backbone_args.stem_width=4",
        "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]", "pretrain_model.encoder_a.input_size=[64,64]",
        "pretrain_model.batch_size=2", "trainer.accumulate_grad_batches=2", "pretrain_model.d_z=16",
        "pretrain_model.d_hidden=32"};

    private CliTest.Run pretrain(Path data, Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--data", data.toString(), "--run-dir", run.toString(), "--max-epochs", "1",
                "--workers", "2", "--image-cache", tmp.resolve("cache").toString(), "--image-cache-size", "96",
                "--user-config", tmp.resolve("no-user.yaml").toString()));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    static List<Double> logged(Path run, String key) throws IOException {
        List<Double> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = m.readTree(line);
            if (n.has(key)) {
                out.add(n.get(key).asDouble());
            }
        }
        return out;
    }

    @Test
    void prepareTrainStopResumeEqualsAnUninterruptedRun() throws IOException {
        Path data = tmp.resolve("prepared");
        CliTest.Run prep = CliTest.run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(),
                "--out", data.toString());
        assertEquals(0, prep.code(), prep.out() + prep.err());

        Path whole = tmp.resolve("whole");
        CliTest.Run a = pretrain(data, whole);
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.out().contains("finished after 1 epochs, 3 optimizer steps"), a.out());
        assertTrue(Files.exists(whole.resolve("backbone_weights.safetensors")));
        assertTrue(Files.exists(whole.resolve("config.yaml")) && Files.exists(whole.resolve("vocab.txt")));

        Path split = tmp.resolve("split");
        CliTest.Run b1 = pretrain(data, split, "--max-steps", "2");
        assertEquals(0, b1.code(), b1.out() + b1.err());
        CliTest.Run b2 = pretrain(data, split);
        assertEquals(0, b2.code(), b2.out() + b2.err());
        assertTrue(b2.out().contains("3 optimizer steps"), b2.out());

        List<Double> expected = logged(whole, "train/total_loss");
        List<Double> resumed = logged(split, "train/total_loss");
        assertEquals(expected.size(), resumed.size(), expected + " vs " + resumed);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), resumed.get(i), 0.0, "logged batch " + i + " (bit for bit)");
        }
        assertEquals(logged(whole, "val/total_loss"), logged(split, "val/total_loss"));

        // LoVT_30 with --data trains on its data set config's subset: the first round(0.3 * 13) = 4 studies.
        List<String> thirty = new ArrayList<>(List.of("pretrain"));
        thirty.addAll(List.of(TINY));
        thirty.set(1, "+experiment=LoVT_30");
        thirty.addAll(List.of("--data", data.toString(), "--run-dir", tmp.resolve("thirty").toString(),
                "--max-epochs", "1", "--max-steps", "1", "--user-config", tmp.resolve("no-user.yaml").toString()));
        CliTest.Run t = CliTest.run(thirty.toArray(String[]::new));
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.err().contains("4 training and 4 validation studies"), t.err());
        assertTrue(t.err().contains("the first 30 % of the training studies"), t.err());
        assertTrue(a.err().contains("13 training and 4 validation studies"), a.err());

        // A different configuration cannot resume that run.
        CliTest.Run other = pretrain(data, split, "pretrain_model.learning_rate=1e-3");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("different configuration"), other.err());
    }
}
