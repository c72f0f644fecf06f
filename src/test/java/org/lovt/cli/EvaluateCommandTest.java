package org.lovt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import org.lovt.data.datasets.downstream.SyntheticDownstream;
import org.lovt.torch.Natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lovt evaluate}: a tiny run of every head type, and the one-line refusals with exit code 2. */
class EvaluateCommandTest {
    @TempDir
    static Path data;
    @TempDir
    Path tmp;

    static final String BACKBONE = "fixtures/resnet50-w8/weights.pth";

    @BeforeAll
    static void prepare() {
        Natives.load();
        SyntheticDownstream.write(data.resolve("rsna"), "rsna", 16, 8, 8, 64, 1);
        SyntheticDownstream.write(data.resolve("nih"), "nih", 16, 8, 8, 64, 2);
        SyntheticDownstream.write(data.resolve("object-cxr"), "object-cxr", 16, 8, 8, 64, 3);
        SyntheticDownstream.write(data.resolve("siim"), "siim", 16, 8, 8, 64, 4);
    }

    private CliTest.Run evaluate(String task, String dataset, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", task, "--backbone",
                TestData.require(BACKBONE).toString(), "--data", data.resolve(dataset).toString(), "--out",
                tmp.resolve(task).toString(), "--input-size", "64", "--batch-size", "8", "--max-epochs", "1",
                "--head-width-divisor", "8", "--workers", "1"));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(new String[0]));
    }

    private static void assertOneLineRefusal(CliTest.Run r, String... contains) {
        assertEquals(2, r.code(), r.err());
        String line = r.err().lines().filter(l -> l.startsWith("lovt: ") && !l.startsWith("lovt: oneDNN"))
                .reduce((a, b) -> b).orElse("");
        for (String c : contains) {
            assertTrue(line.contains(c), "'" + c + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void everyHeadTypeRunsAndPrintsItsTestMetrics() {
        for (String[] t : new String[][] {{"rsna_finetune_100", "rsna", "test/mAP"},
                {"object_frozen_100", "object-cxr", "test/froc"},
                {"pneumothorax_unet_frozen_100", "siim", "test/pneumothorax_dice"},
                {"nih_seg_linear", "nih", "test/Atelectasis_dice"}}) {
            CliTest.Run r = evaluate(t[0], t[1]);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(t[2]), r.out());
            assertTrue(Files.isRegularFile(tmp.resolve(t[0]).resolve("test_results.json")), t[0]);
        }
    }

    @Test
    void badInputsGiveOneLineAndExit2AndLeaveNoCompleteLookingFolder() throws Exception {
        assertOneLineRefusal(evaluate("rsna_frozen_20", "rsna"), "unknown downstream task 'rsna_frozen_20'",
                "rsna_frozen_10");
        assertOneLineRefusal(CliTest.run("evaluate", "covid_linear", "--backbone", "random", "--data",
                tmp.resolve("nowhere").toString()), "nowhere");
        Path wrong = tmp.resolve("wrong.safetensors");
        org.lovt.torch.io.Safetensors.write(wrong, java.util.Map.of("conv1.weight",
                org.lovt.torch.io.Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                        .tensors().get("conv1.weight")), java.util.Map.of());
        assertOneLineRefusal(CliTest.run("evaluate", "rsna_seg_linear_100", "--backbone", wrong.toString(),
                "--data", data.resolve("rsna").toString(), "--out", tmp.resolve("w").toString()), wrong.toString());
        assertFalse(Files.exists(tmp.resolve("w")));
        assertOneLineRefusal(CliTest.run("evaluate", "rsna_seg_linear_100", "--backbone", "imagenet", "--data",
                data.resolve("rsna").toString(), "--user-config", tmp.resolve("user.yaml").toString()),
                "models.pretrained.resnet50_imagenet");

        // A corrupt image in the training split: the message names the file; nothing appears under --out.
        Path copy = tmp.resolve("rsna-damaged");
        copyTree(data.resolve("rsna"), copy);
        Path image;
        try (Stream<Path> s = Files.list(copy.resolve("stage_2_train_images_processed"))) {
            image = s.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(image);
        Files.write(image, java.util.Arrays.copyOf(bytes, 40));
        CliTest.Run r = CliTest.run("evaluate", "rsna_seg_linear_100", "--backbone",
                TestData.require(BACKBONE).toString(), "--data", copy.toString(), "--out",
                tmp.resolve("damaged").toString(), "--input-size", "64", "--batch-size", "8", "--max-epochs", "1");
        assertOneLineRefusal(r, image.getFileName().toString());
        assertFalse(Files.exists(tmp.resolve("damaged")), "no run folder under the requested name");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
