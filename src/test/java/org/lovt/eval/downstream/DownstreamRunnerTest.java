package org.lovt.eval.downstream;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.data.datasets.downstream.SyntheticDownstream;
import org.lovt.model.PretrainedModels;
import org.lovt.torch.Devices;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The downstream runner on small synthetic prepared data with the stem-8 fixture ResNet: the feature cache changes
 * nothing but the time, frozen backbones stay frozen, fine-tuning unfreezes after the warm-up, the run folder, and
 * refusals.
 */
class DownstreamRunnerTest {
    @TempDir
    static Path data;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static final PrintStream OUT = new PrintStream(LOG, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void prepare() {
        Natives.load();
        SyntheticDownstream.write(data.resolve("rsna"), "rsna", 32, 12, 12, 64, 5);
        SyntheticDownstream.write(data.resolve("covid"), "covid", 24, 8, 8, 64, 6);
    }

    static ResNet backbone() {
        ResNet r = new ResNet(new ResNetConfig(new int[] {3, 4, 6, 3}, 8, 0));
        PretrainedModels.loadResNet(r, TestData.require("fixtures/resnet50-w8/weights.pth"));
        return r;
    }

    static DownstreamRunner.Settings settings(String task, int epochs, boolean cache) {
        DownstreamTask t = DownstreamTasks.get(task);
        return new DownstreamRunner.Settings(t, t.configLr(), 3, 64, 8, epochs, 8, "conv5", 1, cache, Long.MAX_VALUE,
                Devices.parse("cpu"), OUT);
    }

    static DownstreamRunner.Result run(String task, int epochs, boolean cache, ResNet backbone, Path out,
                                       String dataset) {
        Seeds.manualSeed(3);
        return DownstreamRunner.run(settings(task, epochs, cache), backbone, "fixture",
                PreparedDownstream.open(data.resolve(dataset)), out);
    }

    @Test
    void theFeatureCacheGivesTheSameRunAsRecomputingTheFeaturesEveryEpoch(@TempDir Path tmp) {
        for (String task : List.of("rsna_seg_linear_100", "rsna_frozen_100")) {
            ResNet b = backbone();
            Map<String, HostTensor> before = StateDict.of(b).toHost();
            DownstreamRunner.Result cached = run(task, 2, true, b, tmp.resolve(task + "-cached"), "rsna");
            DownstreamRunner.Result plain = run(task, 2, false, backbone(), tmp.resolve(task + "-plain"), "rsna");
            assertEquals(plain.test().keySet(), cached.test().keySet());
            for (String k : plain.test().keySet()) {
                assertEquals(plain.test().get(k), cached.test().get(k), 1e-5, task + " " + k);
            }
            assertEquals(plain.bestValidation().get("val/loss"), cached.bestValidation().get("val/loss"), 1e-5, task);
            Map<String, HostTensor> after = StateDict.of(b).toHost();
            for (var e : before.entrySet()) {
                assertTrue(e.getValue().contentEquals(after.get(e.getKey())), task + ": frozen backbone's "
                        + e.getKey() + " (running statistics included) unchanged");
            }
        }
    }

    @Test
    void fineTuningKeepsTheBackboneDuringTheWarmUpAndTrainsItAfter(@TempDir Path tmp) {
        // covid_unet_finetune warms up for 20 batches; 24 images in batches of 8 give 3 batches per epoch.
        ResNet b = backbone();
        Map<String, HostTensor> before = StateDict.of(b).toHost();
        run("covid_unet_finetune", 6, true, b, tmp.resolve("warm"), "covid");
        assertTrue(before.entrySet().stream().allMatch(e -> e.getValue().contentEquals(
                StateDict.of(b).toHost().get(e.getKey()))), "18 batches < 20 warm-up batches: backbone untouched");
        ResNet c = backbone();
        run("covid_unet_finetune", 8, true, c, tmp.resolve("tuned"), "covid");
        Map<String, HostTensor> after = StateDict.of(c).toHost();
        assertFalse(after.get("layer4.2.conv3.weight").contentEquals(before.get("layer4.2.conv3.weight")),
                "after the warm-up the backbone trains");
        assertFalse(after.get("conv1.weight").contentEquals(before.get("conv1.weight")));
    }

    @Test
    void theRunFolderAppearsCompleteWithItsFiles(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        DownstreamRunner.Result r = run("rsna_seg_linear_100", 3, true, backbone(), out, "rsna");
        assertEquals(out, r.runDir());
        assertFalse(Files.exists(tmp.resolve("run" + DownstreamRunner.INCOMPLETE)));
        for (String f : List.of("evaluation.json", "metrics.jsonl", "metrics.csv", DownstreamRunner.TEST_RESULTS,
                "checkpoints/best", "checkpoints/last")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode settings = json.readTree(out.resolve("evaluation.json").toFile());
        assertEquals("rsna_seg_linear_100", settings.get("task").asText());
        assertEquals(32, settings.get("train_samples").asInt());
        assertEquals(1, settings.get("val_samples").asInt(), "RSNA validates on round(0.1 · 12) = 1 image");
        assertEquals(12, settings.get("test_samples").asInt());
        assertEquals("val/opacity_dice", settings.get("monitor").asText());
        long epochsLogged = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"val/opacity_dice\"")).count();
        assertEquals(r.epochs(), epochsLogged, "one validation record per epoch");
        JsonNode results = json.readTree(out.resolve(DownstreamRunner.TEST_RESULTS).toFile());
        assertEquals(r.test().get("test/opacity_dice"), results.get("test").get("test/opacity_dice").asDouble());
        assertEquals(r.bestEpoch(), results.get("best_epoch").asInt());
        assertTrue(r.test().get("test/opacity_dice") >= 0 && r.test().get("test/opacity_dice") <= 1);
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"test/opacity_dice\""));
    }

    @Test
    void refusalsNameTheProblemAndCreateNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("x");
        LovtException e = assertThrows(LovtException.class,
                () -> run("covid_linear", 1, true, backbone(), out, "rsna"));
        assertTrue(e.getMessage().contains("'rsna'") && e.getMessage().contains("covid"), e.getMessage());
        e = assertThrows(LovtException.class, () -> run("rsna_frozen_10", 1, true, backbone(), out, "rsna"));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("batch of 8"), e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("x" + DownstreamRunner.INCOMPLETE)));
        assertThrows(LovtException.class, () -> new DownstreamRunner.Settings(DownstreamTasks.get("covid_linear"),
                1e-3, 1, 60, 8, 1, 1, "conv5", 1, true, 0, Devices.parse("cpu"), OUT), "input size not a multiple of 32");
        assertNotEquals(0, LOG.size(), "progress was shown");
    }
}
