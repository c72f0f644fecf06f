package org.lovt.eval.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleBiFunction;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamRunner;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol's bookkeeping with a stand-in for training (a runner that writes run folders as DownstreamRunner does,
 * with scores that are a function of task, lr and seed): lr choice, seeds, resumption, lock, tables, report, charts.
 */
class SweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A runner whose validation value is val(task, lr) and whose test value depends on lr and seed. */
    static final class FakeRunner implements Sweep.Runner {
        final List<String> calls = new ArrayList<>();
        final ToDoubleBiFunction<DownstreamTask, Double> val;
        int failAt = -1;

        FakeRunner(ToDoubleBiFunction<DownstreamTask, Double> val) {
            this.val = val;
        }

        @Override
        public DownstreamRunner.Result run(DownstreamTask task, double lr, long seed, Path runDir) {
            calls.add(task.key() + " " + lr + " " + seed);
            Path incomplete = runDir.resolveSibling(runDir.getFileName() + DownstreamRunner.INCOMPLETE);
            try {
                Files.createDirectories(incomplete);
                if (calls.size() == failAt) {
                    throw new IllegalStateException("killed");
                }
                Map<String, Double> test = new LinkedHashMap<>();
                for (String m : task.reported()) {
                    test.put("test/" + m, (lr * 1000 + seed % 100) / 1000.0 + m.length() * 1e-4);
                }
                Map<String, Double> valm = Map.of(task.monitorKey(), val.applyAsDouble(task, lr));
                ObjectNode n = JSON.createObjectNode();
                n.put("task", task.key());
                n.put("best_epoch", 1);
                n.put("epochs", 2);
                n.put("stopped_early", false);
                test.forEach(n.putObject("test")::put);
                valm.forEach(n.putObject("best_validation")::put);
                Files.writeString(incomplete.resolve(DownstreamRunner.TEST_RESULTS), JSON.writeValueAsString(n));
                Files.move(incomplete, runDir);
                return new DownstreamRunner.Result(runDir, test, valm, 1, 2, false);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }
    }

    private static Sweep.Settings settings(Path out, String name, List<String> tasks, int runs) {
        return new Sweep.Settings(out, name, tasks.stream().map(DownstreamTasks::get).toList(), runs,
                Map.of("backbone", "b"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void gridTrialsThenRunsWithTheStrictlyBestLrAndTheOriginalsSeeds(@TempDir Path out) {
        // covid_linear's grid is 3e-2, 1e-2, 3e-3, 1e-3: 1e-2 and 3e-3 tie at the top, 1e-3 is lower
        FakeRunner r = new FakeRunner((t, lr) -> lr == 3e-2 ? 0.2 : lr == 1e-3 ? 0.1 : 0.3);
        Sweep.Result res = Sweep.run(settings(out, "m", List.of("covid_linear", "rsna_frozen_10"), 3), r);
        assertEquals(List.of(
                "covid_linear 0.03 12345", "covid_linear 0.01 12345", "covid_linear 0.003 12345",
                "covid_linear 0.001 12345",
                "covid_linear 0.01 12346", "covid_linear 0.01 12347",         // the 0.01 trial is run 1
                "rsna_frozen_10 0.001 12345", "rsna_frozen_10 0.001 12346", "rsna_frozen_10 0.001 12347"), r.calls);
        Sweep.TaskResult covid = res.tasks().get(0);
        assertEquals(0.01, covid.lr());
        assertEquals(4, covid.trials().size());
        assertEquals(3, covid.runs().size());
        assertTrue(covid.runDirs().get(0).endsWith(Path.of("runs", "m", "covid_linear", "lr-0.01")));
        assertTrue(covid.runDirs().get(2).endsWith(Path.of("runs", "m", "covid_linear", "run-3")));
        assertEquals(Sweep.plannedRuns(List.of(DownstreamTasks.get("covid_linear"),
                DownstreamTasks.get("rsna_frozen_10")), 3), r.calls.size());
        assertEquals(0.001, res.tasks().get(1).lr());                   // task 5: the config lr, no grid
        assertTrue(Files.isRegularFile(out.resolve("downstream_covid_linear.csv")));
        assertTrue(Files.isRegularFile(out.resolve("downstream_rsna_frozen_10.csv")));
    }

    @Test
    void aLaterLrWinsWhenStrictlyBetter(@TempDir Path out) {
        FakeRunner r = new FakeRunner((t, lr) -> lr == 1e-3 ? 0.5 : 0.4);
        Sweep.Result res = Sweep.run(settings(out, "m", List.of("covid_linear"), 1), r);
        assertEquals(1e-3, res.tasks().get(0).lr());
        assertEquals(4, r.calls.size());                                  // one run: the winning trial itself
    }

    @Test
    void anInterruptedSweepResumesSkippingFinishedRunsAndEndsWithTheSameTables(@TempDir Path tmp) throws Exception {
        List<String> tasks = List.of("covid_linear", "rsna_frozen_10", "nih_seg_linear");
        ToDoubleBiFunction<DownstreamTask, Double> val = (t, lr) -> 1 - Math.abs(Math.log10(lr) + 2);
        FakeRunner whole = new FakeRunner(val);
        Sweep.run(settings(tmp.resolve("a"), "m", tasks, 2), whole);

        FakeRunner first = new FakeRunner(val);
        first.failAt = 7;                                                 // dies inside its 7th run
        assertThrows(IllegalStateException.class, () -> Sweep.run(settings(tmp.resolve("b"), "m", tasks, 2), first));
        Path left = tmp.resolve("b/runs/m/rsna_frozen_10/run-2.incomplete");
        assertTrue(Files.isDirectory(left), "the interrupted run's folder is left incomplete");
        FakeRunner second = new FakeRunner(val);
        second.calls.clear();
        Sweep.run(settings(tmp.resolve("b"), "m", tasks, 2), second);
        assertEquals(whole.calls.subList(6, whole.calls.size()), second.calls, "only the unfinished runs ran again");
        for (String t : tasks) {
            String f = "downstream_" + t + ".csv";
            assertEquals(Files.readString(tmp.resolve("a").resolve(f)), Files.readString(tmp.resolve("b").resolve(f)));
        }
        assertEquals(Files.readString(tmp.resolve("a/results.md")), Files.readString(tmp.resolve("b/results.md")));
    }

    @Test
    void aSecondSweepOnTheSameFolderIsLockedOut(@TempDir Path out) throws Exception {
        Files.createDirectories(out);
        try (FileChannel ch = FileChannel.open(out.resolve(Sweep.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            assertNotNull(lock);
            FakeRunner r = new FakeRunner((t, lr) -> 0.1);
            LovtException e = assertThrows(LovtException.class,
                    () -> Sweep.run(settings(out, "m", List.of("rsna_frozen_10"), 1), r));
            assertTrue(e.getMessage().contains("another sweep"), e.getMessage());
            assertTrue(r.calls.isEmpty());
        }
        Sweep.run(settings(out, "m", List.of("rsna_frozen_10"), 1), new FakeRunner((t, lr) -> 0.1));
    }

    @Test
    void otherSettingsUnderTheSameNameAreRefused(@TempDir Path out) {
        Sweep.run(settings(out, "m", List.of("rsna_frozen_10"), 1), new FakeRunner((t, lr) -> 0.1));
        Sweep.Settings other = new Sweep.Settings(out, "m", List.of(DownstreamTasks.get("rsna_frozen_10")), 1,
                Map.of("backbone", "c"), System.err);
        LovtException e = assertThrows(LovtException.class, () -> Sweep.run(other, new FakeRunner((t, lr) -> 0.1)));
        assertTrue(e.getMessage().contains("backbone: b → c"), e.getMessage());
        assertThrows(LovtException.class, () -> settings(out, "a/b", List.of("rsna_frozen_10"), 1));
    }

    @Test
    void reportHasEveryModelAndThePublishedRowsAndChartsArePngs(@TempDir Path out) throws Exception {
        Sweep.run(settings(out, "LoVT_demo", List.of("rsna_frozen_10", "covid_linear"), 2),
                new FakeRunner((t, lr) -> 0.1));
        Sweep.Result r = Sweep.run(settings(out, "random", List.of("rsna_frozen_10"), 2),
                new FakeRunner((t, lr) -> 0.1));
        String md = Files.readString(r.resultsMd());
        assertTrue(md.contains("| LoVT_demo |"), md);
        assertTrue(md.contains("| random |"), md);
        assertTrue(md.contains("*LoVT_100 (published)*"), md);
        assertTrue(md.contains("*16.4±1.3*"), "LoVT_100's published rsna_frozen_10: " + md);
        assertTrue(md.contains("published"));
        Path chart = out.resolve(DownstreamCharts.fileName(DownstreamTasks.get("rsna_frozen_10")));
        var img = ImageIO.read(chart.toFile());
        assertNotNull(img, "a readable PNG");
        assertTrue(img.getWidth() >= 480 && img.getHeight() == 400);
        Map<Integer, Integer> colours = new TreeMap<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.merge(img.getRGB(x, y) & 0xffffff, 1, Integer::sum);
            }
        }
        assertTrue(colours.keySet().stream().anyMatch(c -> (c >> 16 & 0xff) > 150 && (c & 0xff) < 80),
                "a red (baseline) bar");
        assertTrue(colours.keySet().stream().anyMatch(c -> (c & 0xff) > 150 && (c >> 16 & 0xff) < 80),
                "a blue bar");
        String cmp = ResultsReport.compare(List.of(out));
        assertTrue(cmp.contains("LoVT_demo") && cmp.contains("random"), cmp);
        assertFalse(Files.exists(out.resolve("runs/random/covid_linear")));
    }

    @Test
    void maxLrsCutsEachGridAndOneLrNeedsNoTrial(@TempDir Path out) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<DownstreamTask> tasks = List.of(DownstreamTasks.get("covid_linear"), DownstreamTasks.get("rsna_frozen_10"));
        FakeRunner two = new FakeRunner((t, lr) -> lr == 1e-2 ? 0.5 : 0.1);
        Sweep.run(new Sweep.Settings(out.resolve("two"), "m", tasks, 2, 2, Map.of(), quiet), two);
        assertEquals(List.of("covid_linear 0.03 12345", "covid_linear 0.01 12345", "covid_linear 0.01 12346",
                "rsna_frozen_10 0.001 12345", "rsna_frozen_10 0.001 12346"), two.calls);
        assertEquals(two.calls.size(), Sweep.plannedRuns(tasks, 2, 2));
        FakeRunner one = new FakeRunner((t, lr) -> 0.1);
        Sweep.run(new Sweep.Settings(out.resolve("one"), "m", tasks.subList(0, 1), 2, 1, Map.of(), quiet), one);
        assertEquals(List.of("covid_linear 0.03 12345", "covid_linear 0.03 12346"), one.calls);
        LovtException e = assertThrows(LovtException.class, () -> Sweep.run(new Sweep.Settings(out.resolve("one"),
                "m", tasks.subList(0, 1), 2, 0, Map.of(), quiet), new FakeRunner((t, lr) -> 0.1)));
        assertTrue(e.getMessage().contains("max_lrs"), "a cut grid is another setting: " + e.getMessage());
    }
}
