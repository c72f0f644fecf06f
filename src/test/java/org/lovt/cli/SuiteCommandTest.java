package org.lovt.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.downstream.SyntheticDownstream;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;
import org.lovt.eval.protocol.ResultsTable;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lovt evaluate --suite paper}, for real on synthetic data with a tiny backbone: all 18 tasks give the
 * original's tables, results.md and the charts; a sweep killed with SIGKILL in another JVM and started again ends with
 * tables identical to those of the uninterrupted sweep; a second sweep on a locked folder is refused.
 */
class SuiteCommandTest {
    @TempDir
    static Path data;
    static Path backbone;

    @BeforeAll
    static void prepare() {
        Natives.load();
        // RSNA's 1 % tasks need one batch (4) in 1 % of the training split
        SyntheticDownstream.write(data.resolve("rsna"), "rsna", 400, 40, 16, 64, 1);
        SyntheticDownstream.write(data.resolve("covid"), "covid", 16, 8, 8, 64, 2);
        SyntheticDownstream.write(data.resolve("siim"), "siim", 16, 8, 8, 64, 3);
        SyntheticDownstream.write(data.resolve("object-cxr"), "object-cxr", 16, 8, 8, 64, 4);
        SyntheticDownstream.write(data.resolve("nih"), "nih", 16, 8, 8, 64, 5);
        Seeds.manualSeed(3);
        backbone = data.resolve("tiny.safetensors");
        Safetensors.write(backbone, StateDict.of(new ResNet(new ResNetConfig(new int[] {1, 1, 1, 1}, 16, 0)))
                .toHost(), Map.of());
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--suite", "paper", "--backbone", backbone.toString(),
                "--name", "tiny", "--data-root", data.toString(), "--out", out.toString(), "--quick", "--runs", "2",
                "--batch-size", "4", "--max-epochs", "1", "--workers", "1"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void allTasksGiveTheTablesAndAKilledSweepResumesToTheSameTables(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        CliTest.Run r = CliTest.run(args(whole).toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        for (DownstreamTask t : DownstreamTasks.all()) {
            Path csv = whole.resolve(ResultsTable.fileName(t));
            List<String> lines = Files.readAllLines(csv);
            assertEquals(String.join(",", ResultsTable.header(t)), lines.get(0), t.key());
            assertEquals(2, lines.size(), t.key());
            String[] cells = lines.get(1).split(",", -1);
            assertEquals("tiny", cells[0]);
            assertEquals(2, cells[1].split(";").length, t.key() + ": two runs");
            assertEquals("2.0", cells[4], t.key());
            assertTrue(r.out().contains(t.key()), r.out());
            assertNotNull(ImageIO.read(whole.resolve("downstream_" + t.key() + "_" + t.reported().get(0) + ".png")
                    .toFile()), t.key());
        }
        String md = Files.readString(whole.resolve("results.md"));
        assertTrue(md.contains("| tiny |") && md.contains("(published)*"), md);

        // the same sweep on two tasks in another JVM, killed during covid_linear's second lr trial
        Path resumed = tmp.resolve("resumed");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "-Djava.awt.headless=true", Main.class.getName()));
        cmd.addAll(args(resumed, "--tasks", "rsna_frozen_10,covid_linear"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        boolean killed = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains("covid_linear · lr trial 2/4") && !killed) {
                    CliTest.Run locked = CliTest.run(args(resumed, "--tasks", "rsna_frozen_10,covid_linear")
                            .toArray(new String[0]));
                    assertEquals(2, locked.code(), locked.err());
                    assertTrue(locked.err().contains("another sweep"), locked.err());
                    Thread.sleep(300);                         // into the run
                    p.destroyForcibly();                       // SIGKILL
                    killed = true;
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(killed, "the sweep reached covid_linear's second trial: " + seen);
        assertTrue(p.exitValue() != 0);
        assertTrue(Files.isRegularFile(resumed.resolve("downstream_rsna_frozen_10.csv")), "the first task was done");
        CliTest.Run again = CliTest.run(args(resumed, "--tasks", "rsna_frozen_10,covid_linear").toArray(new String[0]));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("finished earlier, kept"), again.err());
        for (String t : List.of("rsna_frozen_10", "covid_linear")) {
            String f = "downstream_" + t + ".csv";
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(resumed.resolve(f)), f);
        }
        try (var s = Files.walk(resumed)) {
            assertTrue(s.noneMatch(x -> x.getFileName().toString().endsWith(".incomplete")), "no run left incomplete");
        }
    }
}
