package org.lovt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import org.lovt.torch.io.Safetensors;
import org.lovt.train.Checkpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 anywhere (issue "Reliability", item 2): a pre-training (a tiny BYOL baseline on the MIMIC-CXR sample, a
 * checkpoint after every step) runs in a child JVM that is killed with SIGKILL at random moments (seeded) and started
 * again until it finishes. After every kill each checkpoint a pointer names is intact, and the finished run's exported
 * weights and last validation equal, bit for bit, those of an uninterrupted run.
 */
class KillNineTest {
    @TempDir
    Path tmp;

    private List<String> args(Path data, Path run) {
        List<String> a = new ArrayList<>(List.of("pretrain", "+baseline=byol_100"));
        a.addAll(List.of(BaselinePretrainTest.TINY));
        a.addAll(List.of("--data", data.toString(), "--run-dir", run.toString(), "--max-epochs", "6",
                "--checkpoint-every", "1", "--workers", "1", "--user-config", tmp.resolve("none.yaml").toString()));
        return a;
    }

    @Test
    void killedAtRandomMomentsAndResumedItEndsAsAnUninterruptedRun() throws Exception {
        Path data = tmp.resolve("prepared");
        assertEquals(0, CliTest.run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(),
                "--out", data.toString()).code());
        Path whole = tmp.resolve("whole");
        CliTest.Run reference = CliTest.run(args(data, whole).toArray(String[]::new));
        assertEquals(0, reference.code(), reference.err());

        Path run = tmp.resolve("killed");
        Random random = new Random(20261206);
        int kills = 0;
        int killsInTraining = 0;
        boolean finished = false;
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 40 && !finished; attempt++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args(data, run));
            Path log = tmp.resolve("attempt-" + attempt + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Wait for the training to start (JVM, natives, data), then kill somewhere in it: a step, a validation,
            // a checkpoint being written.
            long started = System.nanoTime();
            while (p.isAlive() && !Files.readString(log).contains("lovt: run folder")
                    && System.nanoTime() - started < 120_000_000_000L) {
                Thread.sleep(20);
            }
            long delay = random.nextInt(1500);
            if (kills < 6 && !p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                String steps = Files.isRegularFile(run.resolve("metrics.jsonl"))
                        ? Long.toString(Files.lines(run.resolve("metrics.jsonl")).count()) : "0";
                p.destroyForcibly();                                 // SIGKILL
                p.waitFor(30, TimeUnit.SECONDS);
                kills++;
                killsInTraining += Files.isRegularFile(run.resolve("checkpoints").resolve(Checkpoints.LAST)) ? 1 : 0;
                delays.add(delay);
                System.out.println("kill-9: attempt " + attempt + " killed " + delay + " ms into the training (" + steps
                        + " metric lines)");
            } else {
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "attempt " + attempt + " hangs");
                String out = Files.readString(log);
                assertEquals(0, p.exitValue(), out);
                finished = out.contains("finished after 6 epochs");
            }
            checkpointsIntact(run.resolve("checkpoints"), "after attempt " + attempt + " (delays " + delays + ")");
        }
        assertTrue(finished, "the run finished after " + kills + " kills");
        assertTrue(kills >= 2, "it was killed several times: " + delays);
        assertTrue(killsInTraining >= 2, "kills landed in the training, after checkpoints: " + killsInTraining);
        var w = Safetensors.read(whole.resolve("backbone_weights.safetensors")).tensors();
        var r = Safetensors.read(run.resolve("backbone_weights.safetensors")).tensors();
        w.forEach((k, v) -> assertTrue(v.contentEquals(r.get(k)), "exported " + k + " bit for bit; kills at " + delays));
        List<Double> expected = BaselinePretrainTest.logged(whole, "val/loss");
        List<Double> got = BaselinePretrainTest.logged(run, "val/loss");
        assertEquals(expected.get(expected.size() - 1), got.get(got.size() - 1), 0.0, "the last validation");
    }

    /** Every checkpoint a pointer names verifies, and no half-written folder looks like a checkpoint. */
    private static void checkpointsIntact(Path dir, String when) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Checkpoints c = new Checkpoints(dir);
        for (String pointer : List.of(Checkpoints.LAST, Checkpoints.BEST, Checkpoints.PREVIOUS)) {
            var p = c.resolve(pointer);
            if (p.isPresent()) {
                assertNull(Checkpoints.verify(p.get()), pointer + " " + when);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                if (!p.getFileName().toString().startsWith(".")) {
                    assertTrue(Files.isRegularFile(p.resolve(Checkpoints.CHECKSUMS)), p + " is complete " + when);
                }
            }
        }
    }
}
