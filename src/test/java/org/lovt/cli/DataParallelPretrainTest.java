package org.lovt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;

/**
 * {@code lovt pretrain --nproc 2} on the MIMIC-shaped sample (a tiny LoVT, two worker JVMs, Gloo over loopback):
 * it finishes with rank 0's run folder recording the world size and rank 1's log beside it; stopped by the step limit
 * and resumed, it logs exactly the losses of an uninterrupted two-process run; a worker killed with SIGKILL makes the
 * launcher stop the other one and fail, naming the rank; a launcher killed with SIGKILL leaves no worker behind.
 */
class DataParallelPretrainTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void prepare() {
        data = tmp.resolve("prepared");
        CliTest.Run prep = CliTest.run("prepare", "mimic-cxr", TestData.require("data/mimic-cxr-sample").toString(),
                "--out", data.toString());
        assertEquals(0, prep.code(), prep.out() + prep.err());
    }

    private static CliTest.Run pretrain(Path run, String... extra) throws IOException {
        return pretrain(run, 1, extra);
    }

    private static CliTest.Run pretrain(Path run, int epochs, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("pretrain"));
        args.addAll(List.of(PretrainEndToEndTest.TINY));
        args.addAll(List.of("--nproc", "2", "--master-port", String.valueOf(freePort()), "--data", data.toString(),
                "--run-dir", run.toString(), "--max-epochs", String.valueOf(epochs), "--workers", "1",
                "--user-config", tmp.resolve("no-user.yaml").toString()));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoWorkersFinishAndAStoppedRunResumesExactly() throws IOException {
        Path whole = tmp.resolve("whole");
        CliTest.Run a = pretrain(whole);
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.err().contains("started 2 workers"), a.err());
        assertEquals(2, new ObjectMapper().readTree(whole.resolve("run.json").toFile()).get("world_size").asInt());
        assertTrue(Files.isRegularFile(whole.resolve("backbone_weights.safetensors")), "rank 0 exported the backbone");
        String rank1 = Files.readString(whole.resolve("logs").resolve("rank1.log"), StandardCharsets.UTF_8);
        assertTrue(rank1.contains("rank 1 of 2"), rank1);
        // 13 training studies over 2 ranks: 7 each, batches of 2 (drop_last): 3 batches, 2 optimizer steps
        assertTrue(Files.readString(whole.resolve("metrics.csv")).contains("val/total_loss"));
        List<Double> expected = PretrainEndToEndTest.logged(whole, "train/total_loss");
        expected.addAll(PretrainEndToEndTest.logged(whole, "val/total_loss"));
        assertEquals(2, expected.size(), expected.toString());

        Path split = tmp.resolve("split");
        CliTest.Run b1 = pretrain(split, "--max-steps", "1");
        assertEquals(0, b1.code(), b1.out() + b1.err());
        CliTest.Run b2 = pretrain(split);
        assertEquals(0, b2.code(), b2.out() + b2.err());
        List<Double> resumed = PretrainEndToEndTest.logged(split, "train/total_loss");
        resumed.addAll(PretrainEndToEndTest.logged(split, "val/total_loss"));
        assertEquals(expected, resumed, "resumed with the same world size: the same losses, bit for bit");
    }

    @Test
    void baselinesAreRefusedBeforeAnyWorkerStarts() {
        for (String[] where : new String[][] {{}, {"--run-dir", tmp.resolve("baseline-run").toString()}}) {
            List<String> args = new ArrayList<>(List.of("pretrain", "+baseline=byol_100", "--nproc", "2",
                    "--data", data.toString(), "--user-config", tmp.resolve("no-user.yaml").toString()));
            args.addAll(List.of(where));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertNotEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("image-only baselines train in one process"), r.err());
            assertTrue(!r.err().contains("started 2 workers"), r.err());
        }
    }

    @Test
    void aKilledWorkerStopsTheJobAndIsNamed() throws Exception {
        Path run = tmp.resolve("killed");
        CompletableFuture<CliTest.Run> job = CompletableFuture.supplyAsync(() -> {
            try {
                return pretrain(run, 50);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Optional<ProcessHandle> rank1 = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (rank1.isEmpty() && System.nanoTime() < deadline && !job.isDone()) {
            Thread.sleep(500);
            rank1 = ProcessHandle.current().children().filter(p -> environ(p).contains("RANK=1\u0000")).findFirst();
        }
        assertTrue(rank1.isPresent(), "worker rank 1 was started: " + (job.isDone() ? job.get() : "running"));
        Path log = run.resolve("logs").resolve("rank1.log");
        while (System.nanoTime() < deadline && !(Files.exists(log) && Files.readString(log).contains("joining"))) {
            Thread.sleep(200);
        }
        Thread.sleep(3000); // into the training
        rank1.get().destroyForcibly();
        CliTest.Run r = job.get(120, TimeUnit.SECONDS);
        assertNotEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("worker rank 1 failed"), r.err());
        assertTrue(ProcessHandle.current().children().noneMatch(p -> environ(p).contains("WORLD_SIZE=2\u0000")),
                "no worker is left running");
    }

    @Test
    void workersStopWhenTheLauncherIsKilled() throws Exception {
        Path run = tmp.resolve("orphans");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "pretrain"));
        cmd.addAll(List.of(PretrainEndToEndTest.TINY));
        cmd.addAll(List.of("--nproc", "2", "--master-port", String.valueOf(freePort()), "--data", data.toString(),
                "--run-dir", run.toString(), "--max-epochs", "50", "--workers", "1",
                "--user-config", tmp.resolve("no-user.yaml").toString()));
        Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("launcher.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            List<ProcessHandle> workers = List.of();
            while (workers.size() < 2 && System.nanoTime() < deadline && launcher.isAlive()) {
                Thread.sleep(300);
                workers = launcher.toHandle().children().filter(p -> environ(p).contains("WORLD_SIZE=2\u0000"))
                        .toList();
            }
            assertEquals(2, workers.size(), Files.readString(tmp.resolve("launcher.log")));
            launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs
            for (ProcessHandle w : workers) {
                w.onExit().get(30, TimeUnit.SECONDS);
                assertTrue(!w.isAlive(), "worker " + w.pid() + " stopped after its launcher died");
            }
        } finally {
            launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private static String environ(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "environ"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
