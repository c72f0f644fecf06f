package org.lovt.torch.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;

/**
 * Data-parallel training on c10d (Gloo over loopback) with two real processes: rank 0's initial weights reach
 * rank 1, both ranks hold bit-identical parameters after every step, the averaged gradient equals the gradient of
 * one process over the whole global batch, metrics average across ranks, and a rank that is killed makes the other
 * fail with a message instead of hanging. Plus the sampler and environment semantics.
 */
class DataParallelTest {
    @TempDir
    Path tmp;

    @Test
    void shardsFollowDistributedSamplerSemantics() {
        // 10 samples over 3 ranks: 4 each, the last 2 positions pad with the permutation's first 2 indices
        assertEquals(4, DistributedShards.perRank(10, 3, false));
        assertEquals(3, DistributedShards.perRank(10, 3, true));
        assertEquals(5, DistributedShards.perRank(10, 2, true));
        TreeSet<Integer> seen = new TreeSet<>();
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int[] s = DistributedShards.indices(10, r, 3, 7, 0, true, false);
            assertEquals(4, s.length);
            Arrays.stream(s).forEach(i -> {
                seen.add(i);
                all.add(i);
            });
        }
        assertEquals(10, seen.size(), "every sample is read: " + all);
        assertEquals(12, all.size());
        // unshuffled: rank r reads r, r + 3, ... and the padding repeats from 0
        assertArrayEquals(new int[] {1, 4, 7, 0}, DistributedShards.indices(10, 1, 3, 7, 0, false, false));
        assertArrayEquals(new int[] {2, 5, 8, 1}, DistributedShards.indices(10, 2, 3, 7, 0, false, false));
        assertArrayEquals(new int[] {0, 3, 6}, DistributedShards.indices(10, 0, 3, 7, 0, false, true));
        // deterministic in (seed, epoch), different across epochs; padding from the start of the same permutation
        int[] e0 = DistributedShards.indices(100, 0, 1, 7, 0, true, false);
        assertArrayEquals(e0, DistributedShards.indices(100, 0, 1, 7, 0, true, false));
        assertFalse(Arrays.equals(e0, DistributedShards.indices(100, 0, 1, 7, 1, true, false)));
        assertArrayEquals(DistributedShards.indices(100, 0, 1, 8, 0, true, false),
                DistributedShards.indices(100, 0, 1, 7, 1, true, false), "the generator is seeded seed + epoch");
        assertEquals(100, Arrays.stream(e0).distinct().count());
        int[] padded = DistributedShards.indices(5, 1, 4, 3, 0, true, false); // 8 positions for 5 samples
        int[] whole = DistributedShards.indices(5, 0, 1, 3, 0, true, false);
        assertArrayEquals(new int[] {whole[1], whole[0]}, padded, "position 5 repeats position 0");
        assertEquals(0, DistributedShards.indices(0, 0, 2, 1, 0, true, false).length);
        assertThrows(LovtException.class, () -> DistributedShards.indices(10, 2, 2, 1, 0, true, false));
    }

    @Test
    void environmentIsReadAsTorchrunSetsIt() {
        assertTrue(DistributedEnv.fromEnvironment(Map.of()).isEmpty());
        DistributedEnv e = DistributedEnv.fromEnvironment(Map.of("WORLD_SIZE", "4", "RANK", "3", "LOCAL_RANK", "1",
                "MASTER_ADDR", "10.0.0.2", "MASTER_PORT", "29500")).orElseThrow();
        assertEquals(new DistributedEnv(3, 4, 1, "10.0.0.2", 29500), e);
        assertFalse(e.loopback());
        DistributedEnv local = DistributedEnv.fromEnvironment(Map.of("WORLD_SIZE", "2", "RANK", "1",
                "MASTER_PORT", "29500")).orElseThrow();
        assertEquals(1, local.localRank());
        assertTrue(local.loopback());
        assertMessage("RANK is not set", Map.of("WORLD_SIZE", "2", "MASTER_PORT", "1"));
        assertMessage("RANK must be in [0, 2), got 2", Map.of("WORLD_SIZE", "2", "RANK", "2", "MASTER_PORT", "1"));
        assertMessage("MASTER_PORT must be an integer, got 'x'",
                Map.of("WORLD_SIZE", "2", "RANK", "0", "MASTER_PORT", "x"));
        assertMessage("MASTER_PORT must be in [1, 65535], got 70000",
                Map.of("WORLD_SIZE", "2", "RANK", "0", "MASTER_PORT", "70000"));
    }

    private static void assertMessage(String expected, Map<String, String> env) {
        LovtException e = assertThrows(LovtException.class, () -> DistributedEnv.fromEnvironment(env));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void twoProcessesTrainInLockstepWithTheGlobalBatchGradient() throws Exception {
        int steps = 3;
        int port = freePort();
        Process[] ranks = new Process[2];
        Path[] outs = new Path[2];
        for (int r = 0; r < 2; r++) {
            outs[r] = tmp.resolve("rank" + r + ".txt");
            ranks[r] = start(r, port, outs[r], steps, false);
        }
        for (int r = 0; r < 2; r++) {
            assertTrue(ranks[r].waitFor(120, TimeUnit.SECONDS), "rank " + r + " finished");
            assertEquals(0, ranks[r].exitValue(), "rank " + r + ": " + output(ranks[r]));
        }
        Map<String, String> r0 = lines(outs[0]);
        Map<String, String> r1 = lines(outs[1]);
        assertEquals(r0.get("init"), r1.get("init"), "rank 0's initial weights were broadcast to rank 1");
        assertEquals("0.5 5.0", r0.get("metric-mean"));
        assertEquals("0.5 5.0", r1.get("metric-mean"));

        // The reference: one process, rank 0's initial weights, the union of both shards as one batch.
        Natives.load();
        TwoLayerNet net = new TwoLayerNet(100);
        assertArrayEquals(floats(r0.get("init")), TwoLayerNet.flat(net.parameters(), false));
        SGD sgd = new SGD(net.parameters(), new SGDOptions(0.1));
        for (int step = 0; step < steps; step++) {
            assertEquals(r0.get("param " + step), r1.get("param " + step), "identical parameters after step " + step);
            assertEquals(r0.get("grad " + step), r1.get("grad " + step), "identical gradients in step " + step);
            int[] a = DistributedShards.indices(TwoLayerNet.SAMPLES, 0, 2, 7, step, true, false);
            int[] b = DistributedShards.indices(TwoLayerNet.SAMPLES, 1, 2, 7, step, true, false);
            int[] global = new int[a.length + b.length];
            System.arraycopy(a, 0, global, 0, a.length);
            System.arraycopy(b, 0, global, a.length, b.length);
            try (Scope s = Scope.open()) {
                sgd.zero_grad();
                Tensor loss = net.loss(global);
                loss.backward();
                assertClose(TwoLayerNet.flat(net.parameters(), true), floats(r0.get("grad " + step)), 1e-6,
                        "averaged gradient = global-batch gradient, step " + step);
                sgd.step();
                assertClose(TwoLayerNet.flat(net.parameters(), false), floats(r0.get("param " + step)), 1e-6,
                        "parameters after step " + step);
            }
        }
    }

    @Test
    void aKilledRankMakesTheOtherFailWithAMessage() throws Exception {
        int port = freePort();
        Path out0 = tmp.resolve("k0.txt");
        Path out1 = tmp.resolve("k1.txt");
        Process p0 = start(0, port, out0, 5, false);
        Process p1 = start(1, port, out1, 5, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(out1) && Files.readString(out1).contains("stalled"))) {
            assertTrue(System.nanoTime() < deadline && p1.isAlive(), "rank 1 reached its first step: " + output(p1));
            Thread.sleep(100);
        }
        p1.destroyForcibly(); // SIGKILL
        assertTrue(p0.waitFor(90, TimeUnit.SECONDS), "rank 0 did not hang after rank 1 was killed");
        String log = output(p0);
        assertEquals(3, p0.exitValue(), log);
        assertTrue(log.contains("FAILED") && log.contains("rank 0 of 2"), log);
    }

    private Process start(int rank, int port, Path out, int steps, boolean stall) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                DataParallelChild.class.getName(), out.toString(), String.valueOf(steps)));
        if (stall) {
            cmd.add("stall");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log" + rank + (stall ? "s" : "") + port + ".txt").toFile());
        Map<String, String> env = pb.environment();
        env.put("RANK", String.valueOf(rank));
        env.put("LOCAL_RANK", String.valueOf(rank));
        env.put("WORLD_SIZE", "2");
        env.put("MASTER_ADDR", "127.0.0.1");
        env.put("MASTER_PORT", String.valueOf(port));
        Process p = pb.start();
        logs.put(p, tmp.resolve("log" + rank + (stall ? "s" : "") + port + ".txt"));
        return p;
    }

    private final Map<Process, Path> logs = new HashMap<>();

    private String output(Process p) throws IOException {
        Path log = logs.get(p);
        return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** "key" → rest of line, keys being the first word, or the first two for per-step lines. */
    private static Map<String, String> lines(Path f) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String l : Files.readAllLines(f)) {
            String[] w = l.split(" ", 3);
            if (w[0].equals("grad") || w[0].equals("param")) {
                m.put(w[0] + " " + w[1], w[2]);
            } else {
                m.put(w[0], w.length > 1 ? l.substring(w[0].length() + 1) : "");
            }
        }
        return m;
    }

    private static float[] floats(String bits) {
        String[] parts = bits.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1, Math.abs(expected[i])),
                    what + ": element " + i + " " + expected[i] + " vs " + actual[i]);
        }
        assertNotEquals(0, expected.length);
    }
}
