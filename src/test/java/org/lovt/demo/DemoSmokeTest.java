package org.lovt.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole demo pipeline on a very small budget: generation, measuring the untrained model, training with the
 * per-epoch grounding metric, measuring again, pictures, curves and results. (Whether the grounding improves is not
 * asserted here; see the README's demo section.)
 */
class DemoSmokeTest {
    @Test
    void runsEndToEndAndWritesEveryOutput(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = tmp.resolve("demo");
        Demo.Downstream tiny = new Demo.Downstream(List.of("rsna_frozen_10", "rsna_seg_linear_100"), 40, 8, 8, 2, 1,
                1, 4, 8);
        Demo.Result r = Demo.run(new Demo.Settings(7, 96, 32, 32, 1.5, 2, out, 1, Demo.Recipe.DEFAULT, List.of(), 2,
                new PrintStream(log, true, StandardCharsets.UTF_8), tiny));
        assertTrue(r.epochs() >= 1, "at least one epoch within the budget: " + r.epochs());
        assertTrue(r.epochs() <= 2, "the epoch limit holds: " + r.epochs());
        assertTrue(r.groundedSentences() > 0);
        for (double v : new double[] {r.groundingBefore(), r.groundingAfter(), r.groundingChance(),
                r.zoneGroundingBefore(), r.zoneGroundingAfter(), r.zoneGroundingChance(), r.poolGroundingBefore(),
                r.poolGroundingAfter(), r.reportMeanGroundingAfter(), r.reportMeanZoneGroundingAfter(),
                r.diceRandomInit(), r.diceLearned()}) {
            assertTrue(v >= 0 && v <= 1, "a rate in [0, 1]: " + v);
        }
        assertTrue(r.zoneGroundingChance() > r.groundingChance(), "a lung zone is larger than a finding's box");
        // The breakdown by kind of finding splits the same sentences: counts add up and the rates average back.
        assertEquals(r.groundedSentences(), r.byFindingType().values().stream()
                .mapToInt(org.lovt.api.PointingGameResult.ByKind::sentences).sum());
        assertEquals(r.groundingAfter(), r.byFindingType().values().stream()
                .mapToDouble(t -> t.hits() * t.sentences()).sum() / r.groundedSentences(), 1e-9);
        assertEquals(r.zoneGroundingAfter(), r.byFindingType().values().stream()
                .mapToDouble(t -> t.zoneHits() * t.sentences()).sum() / r.groundedSentences(), 1e-9);
        assertEquals(r.groundingChance(), r.byFindingType().values().stream()
                .mapToDouble(t -> t.chance() * t.sentences()).sum() / r.groundedSentences(), 1e-9);
        assertEquals(2, r.pictures().size());
        List<String> rows = Files.readAllLines(out.resolve("grounding-test.csv"));
        assertEquals(r.groundedSentences() + 1, rows.size(), "a header and one row per finding sentence");
        assertTrue(rows.get(0).startsWith("study,sentence,finding,zone,"), rows.get(0));
        assertEquals(Math.round(r.groundingAfter() * r.groundedSentences()),
                rows.stream().skip(1).filter(l -> l.matches("([^,]*,){14}true,.*")).count(), "box hits in the CSV");
        assertEquals(Math.round(r.reportMeanGroundingAfter() * r.groundedSentences()),
                rows.stream().skip(1).filter(l -> l.matches("([^,]*,){16}true,.*")).count(), "control hits in the CSV");
        // Own finding or another: recomputed from the written ground truth and the CSV's argmax cells.
        assertTrue(rows.get(0).endsWith(",other_finding_hit,text"), rows.get(0));
        JsonNode truth = new ObjectMapper().readTree(out.resolve("data/test/ground_truth.json").toFile());
        java.util.Map<Integer, JsonNode> images = new java.util.HashMap<>();
        truth.get("images").forEach(i -> images.put(i.get("index").asInt(), i));
        int size = truth.get("image_size").asInt();
        int grid = size / 8;                                      // the default recipe's regions: conv3, stride 8
        int multi = 0;
        int described = 0;
        int other = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", 20);
            JsonNode findings = images.get(Integer.parseInt(c[0])).get("findings");
            int cell = Integer.parseInt(c[10]) * grid + Integer.parseInt(c[11]);
            boolean own = false;
            boolean onOther = false;
            for (JsonNode f : findings) {
                JsonNode b = f.get("box");
                boolean on = org.lovt.analysis.PointingGame.hit(cell, grid, grid, size, size, b.get(0).asDouble(),
                        b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
                if (f.get("sentence").asInt() == Integer.parseInt(c[1])) {
                    own |= on;
                } else {
                    onOther |= on;
                }
            }
            assertEquals(Boolean.toString(own), c[14], row);
            assertEquals(Boolean.toString(onOther), c[18], row);
            if (findings.size() > 1) {
                multi++;
                described += own && !onOther ? 1 : 0;
                other += onOther && !own ? 1 : 0;
            }
        }
        assertEquals(multi, r.multiFindingSentences());
        assertTrue(multi > 0, "the test split has images with several findings");
        assertEquals((double) described / multi, r.describedFindingOnlyAfter(), 1e-12);
        assertEquals((double) other / multi, r.otherFindingOnlyAfter(), 1e-12);
        for (String f : List.of("results.json", "loss-train.png", "loss-validation.png", "grounding-validation.png")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(r.groundingAfter(), json.get("groundingAfter").asDouble(), 1e-12);
        assertEquals("DEFAULT", json.get("recipe").asText());
        assertEquals(r.byFindingType().keySet(), iterable(json.get("byFindingType").fieldNames()),
                "results.json has the breakdown by kind of finding");
        // Every validation record carries the pointing game of that epoch.
        long epochs = Files.readAllLines(out.resolve("run/metrics.jsonl")).stream()
                .filter(l -> l.contains("val/total_loss")).peek(l -> assertTrue(l.contains("val/grounding_zone")
                        && l.contains("val/local_xs_a2b_loss") && l.contains("val/local_a_l2att_loss"), l))
                .count();
        assertEquals(r.epochs(), epochs);
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("measuring the trained model"));
        assertTrue(Demo.summary(r).stream().anyMatch(l -> l.matches("\\s+nodule\\s+\\d+ sentences.*")
                        || l.matches("\\s+opacity\\s+\\d+ sentences.*")), "the summary lists kinds of finding");
        assertTrue(Demo.summary(r).stream().anyMatch(l -> l.contains("cross-sample")), "the summary names the recipe");
        assertTrue(printed.matches("(?s).*epoch 1/2: .*val/total_loss [0-9.]+.*grounding_zone [0-9.]+.*"),
                "the epoch line shows the pointing game: " + printed);
        checkDownstream(r, out);
        // The embedding analysis of the test split and the report page.
        var analysis = org.lovt.api.Analysis.read(out.resolve("run/analysis-test.csv"));
        assertTrue(analysis.get("run").get("emb/zl_a||zl_b/assignment_1to1") > 0, analysis.toString());
        String report = Files.readString(out.resolve(Demo.REPORT));
        assertTrue(report.contains("<h2>Demo ") && report.contains("emb/zl_a||zl_b/assignment_1to1")
                && report.contains("downstream evaluation") && report.contains("data:image/png;base64,"), "report");
    }

    /** The downstream part: three backbones of one architecture through the reduced protocol, one table. */
    private static void checkDownstream(Demo.Result r, Path out) throws Exception {
        Demo.DownstreamResult d = r.downstream();
        assertNotNull(d, "the downstream part ran");
        assertEquals(List.of("random_init", "global_only", "demo_recipe"), d.models());
        assertEquals(out.resolve("downstream"), d.results());
        for (String csv : List.of("downstream_rsna_frozen_10.csv", "downstream_rsna_seg_linear_100.csv")) {
            List<String> lines = Files.readAllLines(out.resolve("downstream").resolve(csv));
            assertEquals(4, lines.size(), csv + ": a header and one row per model");
            for (String line : lines.subList(1, 4)) {
                assertEquals(2, line.split(",")[1].split(";").length, csv + ": two runs: " + line);
            }
        }
        List<String> table = d.table().lines().toList();
        assertTrue(table.get(1).startsWith("random_init ") && table.get(2).startsWith("global_only ")
                && table.get(3).startsWith("demo_recipe "), d.table());
        assertTrue(table.get(4).contains("(published, real data)"), d.table());
        // the control is the same model trained with the global loss only, for as many epochs
        assertEquals(r.epochs(), d.controlEpochs());
        String control = Files.readString(out.resolve("control/metrics.jsonl"));
        assertTrue(control.contains("val/total_loss") && !control.contains("local_"), "no local loss in the control");
        // the random backbone has the pre-trained one's architecture and region layer (the linear head reads conv3)
        ObjectMapper json = new ObjectMapper();
        Path runs = out.resolve("downstream/runs");
        JsonNode random = json.readTree(runs.resolve("random_init/rsna_seg_linear_100/run-1/evaluation.json").toFile());
        JsonNode trained = json.readTree(runs.resolve("demo_recipe/rsna_seg_linear_100/run-1/evaluation.json").toFile());
        assertEquals("conv3", random.get("linear_layer").asText());
        assertEquals(trained.get("model_parameters").asLong(), random.get("model_parameters").asLong());
        assertTrue(random.get("backbone").asText().startsWith("random (torchvision initialisation) with the "
                + "architecture of run "), random.toString());
        assertTrue(Demo.summary(r).stream().anyMatch(l -> l.startsWith("downstream tasks on synthetic RSNA-like")));
    }

    private static java.util.Set<String> iterable(java.util.Iterator<String> names) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
