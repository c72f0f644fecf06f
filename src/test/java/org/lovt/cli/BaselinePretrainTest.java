package org.lovt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image-only baselines end to end on the MIMIC-CXR sample (issue "Image-only baselines"): each of BYOL, SimCLR
 * and CheXpert pre-trains with a tiny override, writes a run folder with metrics, exports its backbone, and
 * {@code lovt evaluate} accepts the run folder.
 */
class BaselinePretrainTest {
    @TempDir
    static Path tmp;
    static Path data;

    static final String[] TINY = {"++model_config.backbone_args.stem_width=4",
        "++model_config.backbone_args.layers=[1,1,1,1]", "model_config.input_size=[32,32]", "model_config.max_size=40",
        "model_config.batch_size=4"};

    @BeforeAll
    static void prepare() {
        data = tmp.resolve("prepared");
        CliTest.Run prep = CliTest.run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(),
                "--out", data.toString());
        assertEquals(0, prep.code(), prep.out() + prep.err());
        org.lovt.data.datasets.downstream.SyntheticDownstream.write(tmp.resolve("rsna"), "rsna", 16, 8, 8, 64, 1);
    }

    static CliTest.Run pretrain(String baseline, Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "+baseline=" + baseline));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        args.addAll(List.of("--data", data.toString(), "--run-dir", run.toString(), "--workers", "2",
                "--image-cache", tmp.resolve("cache").toString(), "--image-cache-size", "64",
                "--user-config", tmp.resolve("no-user.yaml").toString()));
        return CliTest.run(args.toArray(String[]::new));
    }

    static List<Double> logged(Path run, String key) throws IOException {
        return PretrainEndToEndTest.logged(run, key);
    }

    private void runsAndExports(String baseline, String monitor) throws IOException {
        Path run = tmp.resolve(baseline);
        CliTest.Run r = pretrain(baseline, run, "--max-epochs", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("after 2 epochs"), r.out());
        assertTrue(r.err().contains("baseline"), r.err());
        Path exported = run.resolve("backbone_weights.safetensors");
        assertTrue(Files.isRegularFile(exported), r.out());
        var contents = Safetensors.read(exported);
        assertEquals("[1,1,1,1]", contents.metadata().get("layers"));
        assertEquals("0.5", contents.metadata().get("pixel_std"));           // the normalisation quirk
        assertTrue(contents.tensors().containsKey("conv1.weight"));
        assertFalse(contents.tensors().keySet().stream().anyMatch(k -> k.startsWith("fc.")));
        List<Double> train = logged(run, "train/loss");
        assertFalse(train.isEmpty());
        assertTrue(train.stream().allMatch(Double::isFinite), train.toString());
        assertEquals(2, logged(run, monitor).size());
        assertTrue(Files.isRegularFile(run.resolve("config.yaml")) && Files.isRegularFile(run.resolve("baseline.json")));

        CliTest.Run e = CliTest.run("evaluate", "rsna_seg_linear_100", "--backbone", run.toString(), "--data",
                tmp.resolve("rsna").toString(), "--input-size", "64", "--batch-size", "8", "--max-epochs", "1",
                "--workers", "1", "--out", tmp.resolve("eval-" + baseline).toString());
        assertEquals(0, e.code(), e.out() + e.err());
        String settings = Files.readString(tmp.resolve("eval-" + baseline).resolve("evaluation.json"));
        assertTrue(settings.contains("baseline run"), settings);
    }

    @Test
    void byol() throws IOException {
        runsAndExports("byol_100", "val/loss");
    }

    @Test
    void simclr() throws IOException {
        runsAndExports("simclr_100", "val/loss");
    }

    @Test
    void pixelproTrainsWithTheOriginalsZeroLearningRateUnlessCorrected() throws IOException {
        runsAndExports("pixelpro_100", "val/loss");
        // lr 0 throughout (the chained schedule without warm-up): the exported convolutions are the initial ones
        // (under the run seed), only BatchNorm's running statistics moved.
        org.lovt.torch.Natives.load();
        org.lovt.torch.Seeds.manualSeed(12345);
        var fresh = new org.lovt.baselines.PixelProLearner(new org.lovt.vision.ResNetConfig(new int[] {1, 1, 1, 1}, 4,
                0), 512, "avgpool");
        var initial = org.lovt.torch.StateDict.of(fresh.backbone()).toHost();
        var exported = Safetensors.read(tmp.resolve("pixelpro_100").resolve("backbone_weights.safetensors")).tensors();
        assertTrue(initial.get("conv1.weight").contentEquals(exported.get("conv1.weight")), "conv1 unchanged");
        assertTrue(initial.get("layer4.0.conv3.weight").contentEquals(exported.get("layer4.0.conv3.weight")));
        assertFalse(initial.get("bn1.running_mean").contentEquals(exported.get("bn1.running_mean")),
                "BatchNorm statistics re-estimated");
        List<Double> pairs = logged(tmp.resolve("pixelpro_100"), "train/positive_pixel_pairs");
        assertTrue(!pairs.isEmpty() && pairs.stream().allMatch(p -> p == 1.0), "the 1x1 map's one pair: " + pairs);

        Path corrected = tmp.resolve("pixelpro-corrected");
        CliTest.Run r = pretrain("pixelpro_100", corrected, "--max-epochs", "2",
                "model_config.lr_schedule_closed_form=true", "model_config.hidden_layer_pixel=layer4");
        assertEquals(0, r.code(), r.out() + r.err());
        var trained = Safetensors.read(corrected.resolve("backbone_weights.safetensors")).tensors();
        assertFalse(initial.get("conv1.weight").contentEquals(trained.get("conv1.weight")), "the correction trains");
    }

    @Test
    void configShowsABaselineAndRunFoldersAreNamedAfterIt() throws IOException {
        CliTest.Run c = CliTest.run("config", "+baseline=byol_30");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("ssl_method: BYOL") && c.out().contains("learning_rate: 3.0E-5"), c.out());
        Path runs = tmp.resolve("runs");
        List<String> args = new ArrayList<>(List.of("pretrain", "+baseline=simclr_30"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--data", data.toString(), "--runs", runs.toString(), "--max-epochs", "1",
                "--max-steps", "1", "--user-config", tmp.resolve("no-user.yaml").toString()));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.out() + r.err());
        try (var list = Files.list(runs)) {
            List<String> names = list.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).startsWith("simclr_30-"), names.toString());
        }
        CliTest.Run bad = CliTest.run("pretrain", "+baseline=simclr_30", "--data", tmp.resolve("nowhere").toString(),
                "--runs", runs.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("nowhere"), bad.err());
    }

    @Test
    void startsFromTheUserConfigsImageNetWeightsAndRefusesAMismatchingFile() throws IOException {
        Path weights = TestData.require("fixtures/resnet50-w8/weights.pth");
        Path user = tmp.resolve("imagenet-user.yaml");
        Files.writeString(user, "models:\n  pretrained:\n    resnet50_imagenet: " + weights + "\n");
        Path run = tmp.resolve("from-imagenet");
        CliTest.Run r = CliTest.run("pretrain", "+baseline=chexpert_30", "++model_config.backbone_args.stem_width=8",
                "model_config.input_size=[32,32]", "model_config.batch_size=4", "model_config.learning_rate=1e-30",
                "--data", data.toString(), "--run-dir", run.toString(), "--max-epochs", "1", "--max-steps", "1",
                "--user-config", user.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("backbone: ImageNet weights from " + weights), r.err());
        var loaded = org.lovt.torch.io.TensorFiles.read(weights);
        var exported = Safetensors.read(run.resolve("backbone_weights.safetensors")).tensors();
        assertTrue(loaded.get("conv1.weight").contentEquals(exported.get("conv1.weight")),
                "the exported backbone starts from the configured weights (lr 1e-30: unchanged)");
        assertTrue(loaded.get("layer3.5.conv2.weight").contentEquals(exported.get("layer3.5.conv2.weight")));

        CliTest.Run bad = CliTest.run("pretrain", "+baseline=chexpert_30", "++model_config.backbone_args.stem_width=4",
                "model_config.input_size=[32,32]", "model_config.batch_size=4", "--data", data.toString(), "--run-dir", tmp.resolve("mismatch").toString(), "--max-steps", "1",
                "--user-config", user.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("not a matching torchvision ResNet checkpoint"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
    }

    @Test
    void aSecondPretrainingOnTheSameRunFolderIsRefusedWhileTheFirstRuns() {
        Path run = tmp.resolve("locked-run");
        try (org.lovt.util.FolderLock held = org.lovt.util.FolderLock.acquire(run, "lovt pretrain")) {
            CliTest.Run r = pretrain("simclr_100", run, "--max-steps", "1");
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("another command is writing this folder"), r.err());
        }
        assertEquals(0, pretrain("simclr_100", run, "--max-epochs", "1", "--max-steps", "1").code());
    }

    @Test
    void chexpert() throws IOException {
        runsAndExports("chexpert_30", "val/auroc");
    }

    @Test
    void byolStoppedAndResumedEqualsAnUninterruptedRunBitForBit() throws IOException {
        Path whole = tmp.resolve("resume-whole");
        CliTest.Run a = pretrain("byol_100", whole, "--max-epochs", "3");
        assertEquals(0, a.code(), a.out() + a.err());
        Path split = tmp.resolve("resume-split");
        CliTest.Run b1 = pretrain("byol_100", split, "--max-epochs", "3", "--max-steps", "4");
        assertEquals(0, b1.code(), b1.out() + b1.err());
        CliTest.Run b2 = pretrain("byol_100", split, "--max-epochs", "3");
        assertEquals(0, b2.code(), b2.out() + b2.err());
        List<Double> expected = logged(whole, "train/loss");
        List<Double> resumed = logged(split, "train/loss");
        assertEquals(expected, resumed, "train/loss per logged batch");
        assertEquals(logged(whole, "val/loss"), logged(split, "val/loss"));
        assertTrue(expected.size() >= 3);
        var w = Safetensors.read(whole.resolve("backbone_weights.safetensors")).tensors();
        var r = Safetensors.read(split.resolve("backbone_weights.safetensors")).tensors();
        assertEquals(w.keySet(), r.keySet());
        w.forEach((k, v) -> assertTrue(v.contentEquals(r.get(k)), "exported " + k + " bit for bit"));

        CliTest.Run other = pretrain("byol_100", split, "--max-epochs", "3", "model_config.learning_rate=1e-3");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("different configuration"), other.err());
    }

    @Test
    void aDamagedLastCheckpointFallsBackToThePreviousOneAndTheRunEndsAsAnUninterruptedOne() throws IOException {
        Path whole = tmp.resolve("damage-whole");
        assertEquals(0, pretrain("byol_100", whole, "--max-epochs", "2").code());
        Path run = tmp.resolve("damage-split");
        CliTest.Run first = pretrain("byol_100", run, "--max-epochs", "2", "--max-steps", "4", "--checkpoint-every",
                "1");
        assertEquals(0, first.code(), first.out() + first.err());
        var ckpts = new org.lovt.train.Checkpoints(run.resolve("checkpoints"));
        Path last = ckpts.resolve("last").orElseThrow();
        Path previous = ckpts.resolve("previous").orElseThrow();
        assertTrue(!last.equals(previous) && org.lovt.train.Checkpoints.verify(last) == null);
        Path weights = last.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x55;                                   // one damaged byte in the tensor data
        Files.write(weights, bytes);
        assertTrue(org.lovt.train.Checkpoints.verify(last).contains("does not match its checksum"));

        CliTest.Run resumed = pretrain("byol_100", run, "--max-epochs", "2");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.err().contains("checkpoint is damaged") && resumed.err().contains(previous.toString()),
                resumed.err());
        var w = Safetensors.read(whole.resolve("backbone_weights.safetensors")).tensors();
        var r = Safetensors.read(run.resolve("backbone_weights.safetensors")).tensors();
        w.forEach((k, v) -> assertTrue(v.contentEquals(r.get(k)), "exported " + k + " bit for bit"));

        // Both damaged: refused with the reason, nothing overwritten.
        Path both = tmp.resolve("damage-both");
        assertEquals(0, pretrain("byol_100", both, "--max-epochs", "2", "--max-steps", "4", "--checkpoint-every", "1")
                .code());
        var c2 = new org.lovt.train.Checkpoints(both.resolve("checkpoints"));
        for (Path p : List.of(c2.resolve("last").orElseThrow(), c2.resolve("previous").orElseThrow())) {
            Files.delete(p.resolve("optimizer.pt"));
        }
        CliTest.Run refused = pretrain("byol_100", both, "--max-epochs", "2");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("is missing"), refused.err());
    }

    @Test
    void theNanGuardStopsADivergingBaselineAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("diverging");
        CliTest.Run r = pretrain("chexpert_100", run, "--max-epochs", "3", "--checkpoint-every", "1",
                "model_config.learning_rate=1e30");
        assertTrue(r.code() != 0, r.out() + r.err());
        assertTrue(r.err().contains("the loss became") || r.err().contains("a gradient became"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        var last = new org.lovt.train.Checkpoints(run.resolve("checkpoints")).resolve("last");
        assertTrue(last.isPresent(), "a checkpoint was written before the failure");
        assertTrue(r.err().contains(last.get().toString()), "names the last good checkpoint: " + r.err());
        Safetensors.read(last.get().resolve("model.safetensors"))
                .tensors().values().forEach(t -> assertTrue(t.numel() > 0));
        assertFalse(Files.exists(run.resolve("backbone_weights.safetensors")), "nothing exported from a failed run");
    }
}
