package org.lovt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No network at run time (issue "Reliability", item 5): inside a network namespace without interfaces
 * ({@code unshare -n}, as root; skipped with a message where that is not possible) the demo's pre-training, a
 * synthetic downstream preparation and {@code lovt evaluate} on the pre-trained backbone all succeed. The rule that
 * no class opens a socket is {@code ArchitectureTest.nothingOpensANetworkConnection}.
 */
class NoNetworkTest {
    @TempDir
    Path tmp;

    private static List<String> unshared(String... lovtArgs) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-n", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(lovtArgs));
        return cmd;
    }

    private String run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "finished in time: " + cmd);
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    @Test
    void demoPretrainingAndEvaluationRunWithoutAnyNetwork() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "unshare -n needs root; the no-network check is skipped");
        Process probe;
        try {
            probe = new ProcessBuilder("unshare", "-n", "--", "cat", "/proc/net/dev").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no unshare here (" + e.getMessage() + "); the no-network check is skipped");
            return;
        }
        boolean done = probe.waitFor(30, TimeUnit.SECONDS);
        String devices = new String(probe.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && probe.exitValue() == 0, "cannot create a network namespace here ("
                + devices.strip() + "); the no-network check is skipped");
        // The namespace has the loopback device only, and it is down: nothing can be reached, not even localhost.
        List<String> interfaces = devices.lines().skip(2).map(l -> l.strip().split(":")[0]).toList();
        assertEquals(List.of("lo"), interfaces, devices);

        Path demo = tmp.resolve("demo");
        run(unshared("demo", "--out", demo.toString(), "--train", "96", "--max-epochs", "1", "--minutes", "2",
                "--no-downstream"), tmp.resolve("demo.log"));
        Path backbone;
        try (Stream<Path> s = Files.walk(demo)) {
            backbone = s.filter(f -> f.getFileName().toString().equals("backbone_weights.safetensors")).findFirst()
                    .orElseThrow(() -> new AssertionError("the demo exported no backbone under " + demo));
        }

        Path data = tmp.resolve("rsna");
        run(unshared("prepare", "synthetic", "rsna", "--out", data.toString(), "--train", "16", "--validation", "8",
                "--test", "8", "--size", "64"), tmp.resolve("prepare.log"));
        Path out = tmp.resolve("eval");
        String eval = run(unshared("evaluate", "rsna_seg_linear_100", "--backbone", backbone.getParent().toString(),
                "--data", data.toString(), "--out", out.toString(), "--input-size", "64", "--batch-size", "8",
                "--max-epochs", "1", "--workers", "1"), tmp.resolve("evaluate.log"));
        assertTrue(eval.contains("test/"), eval);
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().equals("test_results.json")), "results written");
        }
    }
}
