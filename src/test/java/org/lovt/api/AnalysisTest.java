package org.lovt.api;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.cli.CliTest;
import org.lovt.data.ScanReportSample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lovt analyze} on a tiny trained run: the table's layout, values that match the statistics computed here from
 * the public API's own embeddings, the recorded data folder, limits and errors.
 */
class AnalysisTest {
    @TempDir
    static Path shared;
    static Path run;
    static PretrainingData data;

    @BeforeAll
    static void pretrain() {
        data = PretrainingData.generateSynthetic(shared.resolve("data"), 7, 16, 8, 6, 64);
        List<String> overrides = new ArrayList<>(PublicApiTest.TINY);
        overrides.set(1, "name=analysis-test");
        run = Pretraining.builder().overrides(overrides).data(data).runDir(shared.resolve("run")).maxEpochs(1)
                .workers(1).ignoreUserConfig().log(new PrintStream(new ByteArrayOutputStream(), true)).build().run()
                .runDir();
    }

    @Test
    void writesTheOriginalsTableWithValuesFromTheModelsEmbeddings() throws Exception {
        CliTest.Run r = CliTest.run("analyze", run.toString(), "--workers", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        Path csv = run.resolve("analysis-test.csv");
        assertTrue(r.out().contains("6 test studies") && r.out().contains(csv.toString()), r.out());
        Map<String, Map<String, Double>> rows = Analysis.read(csv);
        assertEquals(List.of("run"), List.copyOf(rows.keySet()));
        Map<String, Double> m = rows.get("run");
        assertTrue(m.size() >= 120, "the original's 123 emb/ columns or so: " + m.size());
        assertTrue(m.keySet().stream().allMatch(k -> k.startsWith("emb/")), m.keySet().toString());
        for (String space : List.of("yl_a", "yl_b", "zl_a", "zl_b", "zl_a&b", "yg_a", "yg_b", "zg_a", "zg_b",
                "zl_a_avg", "zl_b_avg", "zl_a||zl_b", "zl_a;zl_b2a", "zl_b;zl_a2b", "zg_a;zg_b", "zl_a_avg;zl_b_avg")) {
            assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("emb/" + space + "/")), space);
        }
        double a11 = m.get("emb/zl_a||zl_b/assignment_1to1");
        assertTrue(a11 > 0 && a11 < 1, "assignment " + a11);
        assertTrue(m.get("emb/yg_a/uniformity") <= 0);

        // yg_a's ch_std and uniformity from the public API's scan embeddings of the same 6 test images.
        List<double[]> yg = new ArrayList<>();
        try (LovtEncoder enc = LovtEncoder.fromRun(run)) {
            var test = Analysis.open(shared.resolve("data"), "test");
            for (int i = 0; i < test.size(); i++) {
                ScanReportSample s = test.get(i);
                float[] g = enc.embedScan(s.images().get(0)).global();
                double[] x = new double[g.length];
                double norm = 0;
                for (float v : g) {
                    norm += (double) v * v;
                }
                for (int c = 0; c < g.length; c++) {
                    x[c] = g[c] / Math.sqrt(norm);
                }
                yg.add(x);
            }
        }
        int n = yg.size();
        int d = yg.get(0).length;
        double chStd = 0;
        for (int c = 0; c < d; c++) {
            double mean = 0;
            for (double[] x : yg) {
                mean += x[c] / n;
            }
            double var = 0;
            for (double[] x : yg) {
                var += (x[c] - mean) * (x[c] - mean) / (n - 1);
            }
            chStd += Math.sqrt(var) / d;
        }
        double uni = 0;
        for (double[] a : yg) {
            for (double[] b : yg) {
                double sq = 0;
                for (int c = 0; c < d; c++) {
                    sq += (a[c] - b[c]) * (a[c] - b[c]);
                }
                uni += Math.exp(-2 * sq) / (n * n);
            }
        }
        assertEquals(chStd, m.get("emb/yg_a/ch_std"), 1e-5);

        // The alignment boxes: three kinds, raw and normalised, quartiles in order, 6 samples for the global kind.
        org.lovt.util.Csv.Table boxes = org.lovt.util.Csv.read(run.resolve("alignment-test.csv"));
        assertEquals(6, boxes.size(), "global, report-to-image, image-to-report × raw, normalised");
        for (int i = 0; i < boxes.size(); i++) {
            double low = Double.parseDouble(boxes.get(i, boxes.column("whisker_low")));
            double q1 = Double.parseDouble(boxes.get(i, boxes.column("q1")));
            double med = Double.parseDouble(boxes.get(i, boxes.column("median")));
            double q3 = Double.parseDouble(boxes.get(i, boxes.column("q3")));
            double high = Double.parseDouble(boxes.get(i, boxes.column("whisker_high")));
            assertTrue(0 <= low && low <= q1 && q1 <= med && med <= q3 && q3 <= high, boxes.where(i));
            if (Boolean.parseBoolean(boxes.get(i, boxes.column("normalized")))) {
                assertTrue(high <= 2, "unit vectors are at most 2 apart: " + boxes.where(i));
            }
            if (boxes.get(i, boxes.column("kind")).equals("global")) {
                assertEquals("6", boxes.get(i, boxes.column("n")));
            }
        }
        assertEquals(0.5, Analysis.quantile(new double[] {0, 1}, 0.5), 0);
        assertEquals(1.75, Analysis.quantile(new double[] {1, 2, 3, 4}, 0.25), 1e-15, "numpy's linear quantile");
        assertEquals(Math.log(uni), m.get("emb/yg_a/uniformity"), 1e-5);
    }

    @Test
    void validationLogsTheEmbeddingStatisticsWithoutCovarianceAsTheOriginal() throws Exception {
        com.fasterxml.jackson.databind.JsonNode last = null;
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            if (line.contains("val/total_loss")) {
                last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            }
        }
        assertTrue(last != null && last.has("val/emb/yl_a/ch_std") && last.has("val/emb/zl_a||zl_b/assignment_1to1")
                && last.has("val/emb/zg_a;zg_b/dist"), String.valueOf(last));
        List<String> cov = new ArrayList<>();
        last.fieldNames().forEachRemaining(k -> {
            if (k.contains("cov_offdiagonal")) {
                cov.add(k);
            }
        });
        assertEquals(List.of(), cov, "compute_cov=False during validation");
        // The run has one epoch: its checkpoint is the validated model; the dataset-level std agrees with the analysis.
        Analysis.Result r = Analysis.builder(run).split("validation").out(shared.resolve("val.csv")).workers(1)
                .log(new PrintStream(new ByteArrayOutputStream(), true)).run();
        assertEquals(r.metrics().get("emb/yg_a/ch_std"), last.get("val/emb/yg_a/ch_std").asDouble(), 1e-6);
        assertEquals(r.metrics().get("emb/yl_a/ch_std"), last.get("val/emb/yl_a/ch_std").asDouble(), 1e-6);
    }

    @Test
    void limitsNamesAndClearErrors() throws Exception {
        Path out = shared.resolve("tables").resolve("a.csv");
        Analysis.Result r = Analysis.builder(run).split("validation").maxSamples(3).name("tiny").out(out).workers(1)
                .log(new PrintStream(new ByteArrayOutputStream(), true)).run();
        assertEquals(3, r.samples());
        assertEquals(List.of("tiny"), List.copyOf(Analysis.read(out).keySet()));
        // A second model appends its row (the paper's table has one row per model); the same name replaces its row.
        Analysis.builder(run).split("validation").maxSamples(4).name("second").out(out).workers(1)
                .log(new PrintStream(new ByteArrayOutputStream(), true)).run();
        Analysis.Result again = Analysis.builder(run).split("validation").maxSamples(4).name("tiny").out(out)
                .workers(1).log(new PrintStream(new ByteArrayOutputStream(), true)).run();
        var rows = Analysis.read(out);
        assertEquals(List.of("tiny", "second"), List.copyOf(rows.keySet()));
        assertEquals(again.metrics().get("emb/yg_a/ch_std"), rows.get("tiny").get("emb/yg_a/ch_std"));

        Files.delete(run.resolve("data.json"));
        try {
            LovtException e = assertThrows(LovtException.class, () -> Analysis.builder(run).run());
            assertTrue(e.getMessage().contains("--data"), e.getMessage());
            CliTest.Run bad = CliTest.run("analyze", run.toString(), "--data", shared.resolve("nowhere").toString());
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("nowhere"), bad.err());
            assertEquals(5, Analysis.builder(run).data(shared.resolve("data")).split("test").maxSamples(5)
                    .log(new PrintStream(new ByteArrayOutputStream(), true)).run().samples());
        } finally {
            Analysis.recordData(run, data);
        }
    }
}
