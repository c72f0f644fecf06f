package org.lovt.eval.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** downstream_<key>.csv as the original's data_exporter writes it (spec lovt-data-eval §3.10). */
class ResultsTableTest {
    private static Map<String, Double> run(double map, double map50, double map75) {
        return Map.of("test/mAP", map, "test/mAP@0.5", map50, "test/mAP@0.75", map75, "test/loss", 1.0);
    }

    @Test
    void headerIsNamePlusFiveColumnsPerMetricInTheOriginalsOrder() {
        DownstreamTask t = DownstreamTasks.get("rsna_frozen_100");
        assertEquals(List.of("name",
                "rsna_full_test/mAP_run_results", "rsna_full_test/mAP_mean", "rsna_full_test/mAP_std",
                "rsna_full_test/mAP_num_runs", "rsna_full_test/mAP_95_interval",
                "rsna_full_test/mAP@0.5_run_results", "rsna_full_test/mAP@0.5_mean", "rsna_full_test/mAP@0.5_std",
                "rsna_full_test/mAP@0.5_num_runs", "rsna_full_test/mAP@0.5_95_interval",
                "rsna_full_test/mAP@0.75_run_results", "rsna_full_test/mAP@0.75_mean", "rsna_full_test/mAP@0.75_std",
                "rsna_full_test/mAP@0.75_num_runs", "rsna_full_test/mAP@0.75_95_interval"), ResultsTable.header(t));
        assertEquals(1 + 5 * 9, ResultsTable.header(DownstreamTasks.get("nih_seg_linear")).size());
        assertEquals("object_frozen_full_test/froc_run_results",
                ResultsTable.header(DownstreamTasks.get("object_frozen_100")).get(1));
    }

    @Test
    void rowHoldsRunsMeanSampleStdAndInterval(@TempDir Path dir) throws Exception {
        DownstreamTask t = DownstreamTasks.get("rsna_frozen_100");
        double[] v = {0.22437512874603271, 0.2051118165254593, 0.1977258622646332, 0.1977258622646332,
                0.1977258622646332};
        List<Map<String, Double>> runs = new ArrayList<>();
        for (double x : v) {
            runs.add(run(x, x + 0.1, x / 10));
        }
        Path f = ResultsTable.put(dir, t, "LoVT_100", runs);
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        String[] cells = lines.get(1).split(",");
        assertEquals("LoVT_100", cells[0]);
        assertEquals("0.22437512874603271;0.2051118165254593;0.1977258622646332;0.1977258622646332;"
                + "0.1977258622646332", cells[1]);
        // the published LoVT_100 row of this table (spec §6.3): mean 0.20453, sample std 0.01154
        double mean = (v[0] + v[1] + v[2] + v[3] + v[4]) / 5;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(ss / 4);
        assertEquals(mean, Double.parseDouble(cells[2]), 0);
        assertEquals(std, Double.parseDouble(cells[3]), 0);
        assertEquals(0.20453, mean, 5e-6);
        assertEquals(0.01154, std, 5e-6);
        assertEquals("5.0", cells[4]);
        assertEquals(1.96 * std / Math.sqrt(5), Double.parseDouble(cells[5]), 1e-18);
        assertTrue(cells[6].startsWith("0.32437512874603"), cells[6]);
    }

    @Test
    void aSecondModelAddsARowAndTheSameModelReplacesItsOwn(@TempDir Path dir) {
        DownstreamTask t = DownstreamTasks.get("covid_linear");
        List<Map<String, Double>> a = List.of(Map.of("test/opacity_dice", 0.4), Map.of("test/opacity_dice", 0.5));
        List<Map<String, Double>> b = List.of(Map.of("test/opacity_dice", 0.1), Map.of("test/opacity_dice", 0.2));
        ResultsTable.put(dir, t, "random", b);
        ResultsTable.put(dir, t, "LoVT_100", a);
        ResultsTable.Table table = ResultsTable.read(dir.resolve("downstream_covid_linear.csv"));
        assertEquals(List.of("LoVT_100", "random"), new ArrayList<>(table.rows().keySet()));   // sorted by name
        assertEquals(0.45, table.statistics("LoVT_100", "covid_lin_test/opacity_dice").mean(), 1e-12);
        ResultsTable.put(dir, t, "LoVT_100", List.of(Map.of("test/opacity_dice", 0.9)));
        table = ResultsTable.read(dir.resolve("downstream_covid_linear.csv"));
        assertEquals(2, table.rows().size());
        RunStatistics one = table.statistics("LoVT_100", "covid_lin_test/opacity_dice");
        assertEquals(0.9, one.mean(), 0);
        assertTrue(Double.isNaN(one.std()), "one run has no sample std");
        assertEquals("", table.rows().get("LoVT_100").get(3));                    // NaN is an empty cell
    }

    @Test
    void aRunWithoutAReportedMetricOrAForeignFileIsRefused(@TempDir Path dir) throws Exception {
        DownstreamTask t = DownstreamTasks.get("covid_linear");
        LovtException e = assertThrows(LovtException.class,
                () -> ResultsTable.put(dir, t, "m", List.of(Map.of("test/avg_dice", 0.4))));
        assertTrue(e.getMessage().contains("test/opacity_dice"), e.getMessage());
        Files.writeString(dir.resolve("downstream_covid_linear.csv"), "name,x_mean\nm,1\n");
        e = assertThrows(LovtException.class,
                () -> ResultsTable.put(dir, t, "m", List.of(Map.of("test/opacity_dice", 0.4))));
        assertTrue(e.getMessage().contains("columns"), e.getMessage());
        assertFalse(Files.readString(dir.resolve("downstream_covid_linear.csv")).contains("opacity"));
    }

    @Test
    void intervalsOverlapOrNot() {
        RunStatistics a = new RunStatistics(List.of(0.50, 0.52, 0.51));
        RunStatistics b = new RunStatistics(List.of(0.30, 0.31, 0.32));
        RunStatistics c = new RunStatistics(List.of(0.49, 0.53, 0.50));
        assertFalse(a.overlaps(b));
        assertTrue(a.overlaps(c));
        assertEquals("51.0±1.1", ResultsReport.cell(a));
    }

    @Test
    void theConsoleTableKeepsTheGivenOrderAndMarksIntervalsAboveOrBelowTheFirstModel(@TempDir Path dir) {
        DownstreamTask det = DownstreamTasks.get("rsna_frozen_10");
        DownstreamTask seg = DownstreamTasks.get("rsna_seg_linear_100");
        // names sorted differently from the wanted order, so the order must come from the argument
        ResultsTable.put(dir, det, "a_pretrained", List.of(run(0.30, 0, 0), run(0.32, 0, 0)));
        ResultsTable.put(dir, det, "z_random", List.of(run(0.10, 0, 0), run(0.12, 0, 0)));
        ResultsTable.put(dir, det, "m_control", List.of(run(0.05, 0, 0), run(0.35, 0, 0)));
        ResultsTable.put(dir, seg, "z_random", List.of(Map.of("test/opacity_dice", 0.50),
                Map.of("test/opacity_dice", 0.52)));
        ResultsTable.put(dir, seg, "a_pretrained", List.of(Map.of("test/opacity_dice", 0.30),
                Map.of("test/opacity_dice", 0.31)));
        String table = ResultsReport.miniature(dir, List.of("z_random", "m_control", "a_pretrained"), true);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("model "), table);
        assertTrue(lines.get(0).indexOf(ResultsReport.label(det)) < lines.get(0).indexOf(ResultsReport.label(seg)),
                "columns in the paper's task order: " + table);
        assertTrue(lines.get(1).matches("z_random\\s+11\\.0±2\\.0\\s+51\\.0±2\\.0"), lines.get(1));
        // 20.0±29.4 overlaps the reference; 31.0 is wholly above it; 30.5 is wholly below 51.0
        assertTrue(lines.get(2).matches("m_control\\s+20\\.0±29\\.4\\s+–"), lines.get(2));
        assertTrue(lines.get(3).matches("a_pretrained\\s+31\\.0±2\\.0 \\+\\s+30\\.5±1\\.0 -"), lines.get(3));
        // the published rows follow, with the paper's numbers for these tasks (LoVT_100 first)
        assertEquals(3 + 1 + PublishedResults.rows().size(), lines.size(), table);
        double[] lovt = PublishedResults.rows().get(0).values().get(det.key());
        assertTrue(lines.get(4).startsWith(PublishedResults.rows().get(0).model() + " (published, real data)"), table);
        assertTrue(lines.get(4).contains(String.format(java.util.Locale.ROOT, "%.1f±%.1f", lovt[0], lovt[1])), table);
        assertFalse(ResultsReport.miniature(dir, List.of("z_random"), false).contains("published"));
    }
}
