package org.lovt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny LoVT trained by two processes (Gloo over loopback, {@link Pretrainer.Options#withDistributed}): although
 * the ranks start from different initialisations and read different batches, their parameters are identical after
 * every batch (rank 0's weights broadcast, gradients averaged) and their BatchNorm buffers after the epoch (broadcast
 * before every forward pass and before validation), the
 * losses differ (each rank trained on its own data), both validate to the same value, and only rank 0 writes the
 * run folder.
 */
class DistributedPretrainTest {
    @TempDir
    Path tmp;

    /**
     * The gradient check: with nothing coupling samples but the global contrastive loss (eval mode) and the
     * global embeddings gathered from both ranks, the averaged gradient equals the gradient of one process holding
     * both ranks' samples; without the gather it does not.
     */
    @Test
    void gatheredNegativesGiveTheGlobalBatchGradient() throws Exception {
        float[] gathered = twoRanks(GlobalBatchGradientChild.class, "gathered");
        float[] local = twoRanks(GlobalBatchGradientChild.class, "local");
        org.lovt.torch.Natives.load();
        org.lovt.model.LovtModel m = GlobalBatchGradientChild.model();
        GlobalBatchGradientChild.loss(m, List.of(GlobalBatchGradientChild.batch(0), GlobalBatchGradientChild.batch(1)))
                .backward();
        List<Float> ref = new ArrayList<>();
        var params = GlobalBatchGradientChild.trainable(m);
        for (long i = 0; i < params.size(); i++) {
            float[] v = new float[(int) params.get(i).numel()];
            if (params.get(i).grad().defined()) {
                params.get(i).grad().contiguous().data_ptr_float().get(v);
            }
            for (float f : v) {
                ref.add(f);
            }
        }
        assertEquals(ref.size(), gathered.length);
        double worstGathered = 0;
        double worstLocal = 0;
        double norm = 0;
        for (int i = 0; i < gathered.length; i++) {
            norm = Math.max(norm, Math.abs(ref.get(i)));
            worstGathered = Math.max(worstGathered, Math.abs(ref.get(i) - gathered[i]));
            worstLocal = Math.max(worstLocal, Math.abs(ref.get(i) - local[i]));
        }
        System.out.printf("global-batch gradient: largest |g| %.3e, largest deviation gathered %.3e, local %.3e%n",
                norm, worstGathered, worstLocal);
        assertTrue(worstGathered <= 1e-5 * norm, "gathered: " + worstGathered + " of " + norm);
        assertTrue(worstLocal > 1e-3 * norm, "without the gather the gradient is another one: " + worstLocal);
    }

    /** Runs {@code main} as ranks 0 and 1 with {@code mode}; returns rank 0's output floats (checking rank 1's equal). */
    private float[] twoRanks(Class<?> main, String mode) throws Exception {
        Path[] out = {tmp.resolve(mode + "0.txt"), tmp.resolve(mode + "1.txt")};
        runRanks(main, mode, r -> List.of(out[r].toString(), mode));
        String a = Files.readString(out[0]).strip();
        assertEquals(a, Files.readString(out[1]).strip(), "both ranks hold the same averaged gradient");
        String[] parts = a.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        }
        return v;
    }

    /**
     * Starts {@code main} as ranks 0 and 1 of a job on a free loopback port, with {@code args.apply(rank)}, and
     * waits until both have finished successfully; returns their logs.
     */
    private Path[] runRanks(Class<?> main, String tag, java.util.function.IntFunction<List<String>> args)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process[] p = new Process[2];
        Path[] log = new Path[2];
        for (int r = 0; r < 2; r++) {
            log[r] = tmp.resolve(tag + "-log" + r + ".txt");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
            cmd.addAll(args.apply(r));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log[r].toFile());
            Map<String, String> env = pb.environment();
            env.put("RANK", String.valueOf(r));
            env.put("WORLD_SIZE", "2");
            env.put("MASTER_ADDR", "127.0.0.1");
            env.put("MASTER_PORT", String.valueOf(port));
            p[r] = pb.start();
        }
        for (int r = 0; r < 2; r++) {
            assertTrue(p[r].waitFor(240, TimeUnit.SECONDS), "rank " + r + " finished");
            assertEquals(0, p[r].exitValue(), "rank " + r + ": " + Files.readString(log[r]));
        }
        return log;
    }

    @Test
    void ranksStayIdenticalAndOnlyRankZeroWrites() throws Exception {
        Path run = tmp.resolve("run");
        Path[] out = {tmp.resolve("rank0.txt"), tmp.resolve("rank1.txt")};
        Path[] log = runRanks(DistributedPretrainChild.class, "pretrain", r -> List.of(run.toString(),
                out[r].toString()));
        List<String> a = Files.readAllLines(out[0]);
        List<String> b = Files.readAllLines(out[1]);
        assertEquals(a.size(), b.size(), a + "\n" + b);
        List<String> digests = new ArrayList<>();
        int batches = 0;
        for (int i = 0; i < a.size(); i++) {
            String[] x = a.get(i).split(" ");
            String[] y = b.get(i).split(" ");
            if (x[0].equals("batch")) {
                batches++;
                assertEquals(x[2], y[2], "parameters after batch " + x[1]);
                assertNotEquals(x[4], y[4], "each rank's loss is of its own batch, batch " + x[1]);
                digests.add(x[2]);
            }
        }
        assertEquals(4, batches);
        assertTrue(a.get(a.size() - 2).startsWith("buffers "), a.toString());
        assertEquals(a.get(a.size() - 2), b.get(b.size() - 2), "rank 0's BatchNorm statistics on both ranks");
        // accumulate_grad_batches = 2: the optimizer steps after batches 1 and 3
        assertNotEquals(digests.get(0), digests.get(1), digests.toString());
        assertEquals(digests.get(1), digests.get(2), digests.toString());
        assertNotEquals(digests.get(2), digests.get(3), digests.toString());
        assertTrue(a.get(a.size() - 1).startsWith("validation "), a.toString());
        assertEquals(a.get(a.size() - 1), b.get(b.size() - 1), "both ranks validate the same model to the same value");
        assertTrue(Files.isRegularFile(run.resolve("metrics.csv")), "rank 0 logs metrics");
        assertTrue(Files.isDirectory(run.resolve("checkpoints")), "rank 0 writes checkpoints");
        assertFalse(Files.readString(log[1]).contains("epoch 1"), "rank 1 shows no progress line");
    }
}
