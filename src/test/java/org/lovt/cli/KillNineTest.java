package org.lovt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import org.lovt.torch.io.Safetensors;
import org.lovt.train.Checkpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 anywhere (issue "Reliability", item 2): a pre-training ({@code lovt pretrain}, a tiny BYOL baseline on the
 * MIMIC-CXR sample, a checkpoint after every step) runs in a child JVM that is killed with SIGKILL and started again
 * until it finishes. Kills are aimed in turn (seeded) at three kinds of moment: while a checkpoint is being written
 * (its {@code .tmp-} folder exists), during a validation (the progress line says {@code validating}), and at a random
 * time in the training. After every kill each checkpoint a pointer names verifies against its checksums, and the
 * finished run's exported weights and last validation equal, bit for bit, those of an uninterrupted run.
 *
 * <p>The default suite kills 3 times (one of each kind); the {@code heavy} variant kills 20 times.
 */
class KillNineTest {
    @TempDir
    Path tmp;

    private enum Moment { CHECKPOINT_WRITE, VALIDATION, RANDOM }

    private List<String> args(Path data, Path run, int epochs) {
        List<String> a = new ArrayList<>(List.of("pretrain", "+baseline=byol_100"));
        a.addAll(List.of(BaselinePretrainTest.TINY));
        a.addAll(List.of("--data", data.toString(), "--run-dir", run.toString(), "--max-epochs", Integer.toString(epochs),
                "--checkpoint-every", "1", "--workers", "1", "--user-config", tmp.resolve("none.yaml").toString()));
        return a;
    }

    @Test
    void killedThreeTimesAtAimedMomentsItEndsAsAnUninterruptedRun() throws Exception {
        killAndCompare(3, 6, 20261206L);
    }

    @Test
    @Tag("heavy")
    void killedTwentyTimesItEndsAsAnUninterruptedRun() throws Exception {
        killAndCompare(20, 14, 20261207L);
    }

    private void killAndCompare(int plannedKills, int epochs, long seed) throws Exception {
        Path data = tmp.resolve("prepared");
        assertEquals(0, CliTest.run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(),
                "--out", data.toString()).code());
        Path whole = tmp.resolve("whole");
        CliTest.Run reference = CliTest.run(args(data, whole, epochs).toArray(String[]::new));
        assertEquals(0, reference.code(), reference.err());

        Path run = tmp.resolve("killed");
        Path checkpoints = run.resolve("checkpoints");
        Random random = new Random(seed);
        Map<Moment, Integer> hits = new EnumMap<>(Moment.class);
        List<String> kills = new ArrayList<>();
        boolean finished = false;
        for (int attempt = 0; attempt < plannedKills + 10 && !finished; attempt++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args(data, run, epochs));
            Path log = tmp.resolve("attempt-" + attempt + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Wait for the training to start (JVM, natives, data).
            long started = System.nanoTime();
            while (p.isAlive() && !Files.readString(log).contains("lovt: run folder")
                    && System.nanoTime() - started < 120_000_000_000L) {
                Thread.sleep(20);
            }
            Moment moment = Moment.values()[kills.size() % 3];
            boolean killed = false;
            if (kills.size() < plannedKills) {
                killed = switch (moment) {
                    case CHECKPOINT_WRITE -> killWhen(p, () -> writing(checkpoints));
                    case VALIDATION -> killWhen(p, () -> Files.readString(log).contains("validating"));
                    case RANDOM -> !p.waitFor(random.nextInt(1500), TimeUnit.MILLISECONDS) && kill(p);
                };
            }
            if (killed) {
                // Where the kill landed: a checkpoint folder still being written, or a validation not finished.
                String out = Files.readString(log).strip();
                boolean inWrite = writing(checkpoints);
                boolean inValidation = out.substring(out.lastIndexOf('\n') + 1).contains("validating");
                Moment landed = inWrite ? Moment.CHECKPOINT_WRITE : inValidation ? Moment.VALIDATION : Moment.RANDOM;
                hits.merge(landed, 1, Integer::sum);
                kills.add(moment + "->" + landed);
                System.out.println("kill-9: attempt " + attempt + " aimed at " + moment + ", landed in " + landed);
            } else {
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "attempt " + attempt + " hangs");
                String out = Files.readString(log);
                assertEquals(0, p.exitValue(), out);
                finished = out.contains("finished after " + epochs + " epochs");
            }
            checkpointsIntact(checkpoints, "after attempt " + attempt + " (kills " + kills + ")");
        }
        assertTrue(finished, "the run finished after " + kills.size() + " kills");
        assertEquals(plannedKills, kills.size(), "every planned kill happened before the run finished: " + kills);
        assertTrue(hits.getOrDefault(Moment.CHECKPOINT_WRITE, 0) >= 1, "a kill inside a checkpoint write: " + kills);
        assertTrue(hits.getOrDefault(Moment.VALIDATION, 0) >= 1, "a kill inside a validation: " + kills);
        var w = Safetensors.read(whole.resolve("backbone_weights.safetensors")).tensors();
        var r = Safetensors.read(run.resolve("backbone_weights.safetensors")).tensors();
        w.forEach((k, v) -> assertTrue(v.contentEquals(r.get(k)), "exported " + k + " bit for bit; kills " + kills));
        List<Double> expected = BaselinePretrainTest.logged(whole, "val/loss");
        List<Double> got = BaselinePretrainTest.logged(run, "val/loss");
        assertEquals(expected.get(expected.size() - 1), got.get(got.size() - 1), 0.0, "the last validation");
        System.out.println("kill-9: " + kills.size() + " kills survived, bit-identical result: " + kills);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    /** Polls (about every millisecond, up to 60 s) until the condition holds, then SIGKILLs; false if it ended first. */
    private static boolean killWhen(Process p, Condition c) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (c.holds()) {
                return kill(p);
            }
            Thread.sleep(0, 500_000);
        }
        return false;
    }

    private static boolean kill(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return false;
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        return true;
    }

    /** Whether a checkpoint is being written: its staging folder ({@code .tmp-<name>}) exists. */
    private static boolean writing(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-"));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
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
