package org.lovt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.LovtException;
import org.lovt.util.AtomicFiles;

/**
 * One self-contained HTML page of one or several folders ({@code lovt report DIR... --out report.html}): no network, no
 * script, every picture inlined as a {@code data:} URI. It recognises
 * <ul>
 *   <li>pre-training runs ({@code config.yaml} + {@code metrics.jsonl}; LoVT or a baseline): the configuration,
 *       training and validation curves, the last validation metrics, the embedding analysis
 *       ({@code analysis-*.csv}, {@code lovt analyze});</li>
 *   <li>results folders of the evaluation protocol ({@code results.md}, {@code downstream_*.csv}): the paper-style
 *       table with the published reference rows, and the charts;</li>
 *   <li>{@code lovt demo} folders: its summary, pictures (sentence attention over images) and charts, and its run, control
 *       and results folders as above.</li>
 * </ul>
 * Several runs with an analysis also get a side-by-side analysis table.
 */
public final class Report {
    /** The analysis keys shown in the visible tables (the rest is in a collapsed list). */
    static final List<String> KEY_METRICS = List.of("emb/yl_a/ch_std", "emb/yl_a/per_sample_uniformity",
            "emb/yg_a/ch_std", "emb/yg_a/uniformity", "emb/yl_b/ch_std", "emb/yl_b/per_sample_uniformity",
            "emb/zl_a||zl_b/assignment_1to1", "emb/zl_a||zl_b/assignment_2to2", "emb/zg_a;zg_b/dist");
    static final int MAX_PICTURES = 12;

    private final StringBuilder html = new StringBuilder();
    private final Map<String, Map<String, Double>> analyses = new LinkedHashMap<>();
    private final Map<String, Integer> dimsA = new LinkedHashMap<>();
    /** chart (global / local, raw / normalised) → model → kind → box. */
    private final Map<String, Map<String, Map<String, org.lovt.analysis.EmbeddingCharts.Box>>> alignments =
            new java.util.TreeMap<>();
    private final Map<String, Integer> dimsB = new LinkedHashMap<>();
    private final Path scratch;

    private Report(Path scratch) {
        this.scratch = scratch;
    }

    /** Writes the report of {@code dirs} to {@code out} (atomically) and returns it. */
    public static Path write(List<Path> dirs, Path out) {
        if (dirs.isEmpty()) {
            throw new LovtException("no folder to report on");
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("lovt-report-");
        } catch (IOException e) {
            throw new LovtException("cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            Report r = new Report(scratch);
            r.html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LoVT report</title>\n")
                    .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                    .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;")
                    .append("text-align:right}th{background:#eee}td:first-child,th:first-child{text-align:left}")
                    .append("img{max-width:100%;border:1px solid #ddd;margin:4px}pre{background:#f6f6f6;padding:8px;")
                    .append("overflow:auto;font-size:12px}.pics img{width:240px}h2{border-bottom:2px solid #ccc}")
                    .append(".note{color:#666;font-size:90%}</style></head><body>\n<h1>LoVT report</h1>\n");
            r.html.append("<p class=\"note\">").append(esc(String.join(", ", dirs.stream().map(Path::toString)
                    .toList()))).append("</p>\n");
            for (Path d : dirs) {
                r.folder(d);
            }
            r.comparison();
            r.html.append("</body></html>\n");
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            AtomicFiles.writeString(out, r.html.toString());
            return out;
        } catch (IOException e) {
            throw new LovtException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            try {
                org.lovt.util.FileTrees.deleteTree(scratch);
            } catch (IOException ignored) {
                // a temporary folder; the OS cleans it up
            }
        }
    }

    private void folder(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            throw new LovtException(d + ": no such folder");
        }
        boolean run = Files.isRegularFile(d.resolve("config.yaml")) && Files.isRegularFile(d.resolve("metrics.jsonl"));
        boolean results = Files.isRegularFile(d.resolve("results.md"));
        boolean demo = Files.isRegularFile(d.resolve("results.json")) && Files.isDirectory(d.resolve("run"));
        if (!run && !results && !demo) {
            throw new LovtException(d + ": not a run folder (config.yaml, metrics.jsonl), a results folder (results.md) "
                    + "or a demo folder (results.json, run/)");
        }
        if (demo) {
            demo(d);
        }
        if (run) {
            run(d, d.toAbsolutePath().normalize().getFileName().toString());
        }
        if (results) {
            results(d, "results: " + d.getFileName());
        }
    }

    private void demo(Path d) throws IOException {
        html.append("<h2>Demo ").append(esc(d.toString())).append("</h2>\n");
        JsonNode r = new ObjectMapper().readTree(d.resolve("results.json").toFile());
        html.append("<table><tr><th>measure</th><th>value</th></tr>\n");
        r.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                html.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue().asText()))
                        .append("</td></tr>\n");
            }
        });
        html.append("</table>\n");
        for (String png : List.of("loss-train.png", "loss-validation.png", "grounding-validation.png")) {
            image(d.resolve(png), png);
        }
        Path pictures = d.resolve("pictures");
        if (Files.isDirectory(pictures)) {
            html.append("<h3>Sentence attention over images (test)</h3>\n<div class=\"pics\">\n");
            try (Stream<Path> s = Files.list(pictures)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".png")).sorted().limit(MAX_PICTURES).toList()) {
                    image(p, p.getFileName().toString());
                }
            }
            html.append("</div>\n");
        }
        for (String sub : List.of("run", "control")) {
            Path p = d.resolve(sub);
            if (Files.isRegularFile(p.resolve("config.yaml")) && Files.isRegularFile(p.resolve("metrics.jsonl"))) {
                run(p, d.getFileName() + "/" + sub);
            }
        }
        if (Files.isRegularFile(d.resolve("downstream").resolve("results.md"))) {
            results(d.resolve("downstream"), "downstream evaluation (reduced protocol)");
        }
    }

    private void run(Path d, String name) throws IOException {
        html.append("<h2>Run ").append(esc(name)).append("</h2>\n");
        boolean baseline = Files.isRegularFile(d.resolve("baseline.json"));
        Map<String, String> train = new LinkedHashMap<>();
        train.put("train", baseline ? "train/loss" : "train/total_loss");
        Map<String, String> val = new LinkedHashMap<>();
        val.put("validation", baseline ? "val/loss" : "val/total_loss");
        chart(d, "training loss (logged batches)", train);
        chart(d, "validation loss (per epoch)", val);
        Map<String, Double> last = lastValidation(d);
        if (!last.isEmpty()) {
            html.append("<details><summary>last validation (").append(last.size())
                    .append(" metrics)</summary><table><tr><th>metric</th><th>value</th></tr>\n");
            last.forEach((k, v) -> html.append("<tr><td>").append(esc(k)).append("</td><td>").append(num(v))
                    .append("</td></tr>\n"));
            html.append("</table></details>\n");
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path csv : s.filter(f -> f.getFileName().toString().matches("analysis-.*\\.csv")).sorted().toList()) {
                Map<String, Map<String, Double>> rows = Analysis.read(csv);
                for (var e : rows.entrySet()) {
                    String key = name + (rows.size() > 1 ? " / " + e.getKey() : "");
                    analyses.put(key, e.getValue());
                    if (Files.isRegularFile(d.resolve(ModelFiles.MODEL_JSON))) {
                        ModelFiles.RunModel model = ModelFiles.readRunModel(d);
                        int stage = List.of("conv2", "conv3", "conv4", "conv5").indexOf(
                                model.scan().regionFeatureLayer());
                        if (stage >= 0) {
                            dimsA.put(key, model.scan().stemWidth() * 4 << stage);
                        }
                        dimsB.put(key, model.bert().hiddenSize());
                    }
                    html.append("<h3>Embedding analysis (").append(esc(csv.getFileName().toString()))
                            .append(")</h3>\n<table><tr><th>metric</th><th>").append(esc(e.getKey()))
                            .append("</th></tr>\n");
                    for (String k : KEY_METRICS) {
                        if (e.getValue().containsKey(k)) {
                            html.append("<tr><td>").append(esc(k)).append("</td><td>").append(num(e.getValue().get(k)))
                                    .append("</td></tr>\n");
                        }
                    }
                    html.append("</table>\n<details><summary>all ").append(e.getValue().size())
                            .append(" metrics</summary><table>\n");
                    e.getValue().forEach((k, v) -> html.append("<tr><td>").append(esc(k)).append("</td><td>")
                            .append(num(v)).append("</td></tr>\n"));
                    html.append("</table></details>\n");
                }
            }
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path csv : s.filter(f -> f.getFileName().toString().matches("alignment-.*\\.csv")).sorted().toList()) {
                readAlignment(csv, name);
            }
        }
        html.append("<details><summary>configuration (config.yaml)</summary><pre>")
                .append(esc(Files.readString(d.resolve("config.yaml")))).append("</pre></details>\n");
    }

    private void readAlignment(Path csv, String run) {
        org.lovt.util.Csv.Table t = org.lovt.util.Csv.read(csv);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int r = 0; r < t.size(); r++) {
            names.add(t.get(r, t.column("name")));
        }
        for (int r = 0; r < t.size(); r++) {
            String kind = t.get(r, t.column("kind"));
            boolean normalized = Boolean.parseBoolean(t.get(r, t.column("normalized")));
            String chart = (kind.equals("global") ? "global_alignment" : "local_alignment")
                    + (normalized ? "_normalized" : "");
            String model = names.size() == 1 ? run : run + " / " + t.get(r, t.column("name"));
            double[] v = new double[6];
            String[] cols = {"mean", "q1", "median", "q3", "whisker_low", "whisker_high"};
            for (int i = 0; i < cols.length; i++) {
                v[i] = Double.parseDouble(t.get(r, t.column(cols[i])));
            }
            alignments.computeIfAbsent(chart, k -> new LinkedHashMap<>()).computeIfAbsent(model,
                    k -> new LinkedHashMap<>()).put(kind, new org.lovt.analysis.EmbeddingCharts.Box(v[0], v[1], v[2],
                    v[3], v[4], v[5]));
        }
    }

    private void chart(Path runDir, String title, Map<String, String> series) throws IOException {
        Path png = Files.createTempFile(scratch, "chart-", ".png");
        if (RunCharts.plot(runDir, png, title, series)) {
            image(png, title);
        }
    }

    private static Map<String, Double> lastValidation(Path d) throws IOException {
        Map<String, Double> last = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(d.resolve("metrics.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            boolean val = false;
            for (var it = n.fieldNames(); it.hasNext(); ) {
                val |= it.next().startsWith("val/");
            }
            if (val) {
                last.clear();
                n.fields().forEachRemaining(e -> {
                    if (e.getKey().startsWith("val/") && e.getValue().isNumber()) {
                        last.put(e.getKey(), e.getValue().asDouble());
                    }
                });
            }
        }
        return last;
    }

    private void results(Path d, String title) throws IOException {
        html.append("<h2>").append(esc(title)).append("</h2>\n");
        html.append(markdown(Files.readString(d.resolve("results.md"))));
        try (Stream<Path> s = Files.list(d)) {
            for (Path png : s.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                image(png, png.getFileName().toString());
            }
        }
    }

    private void comparison() throws IOException {
        if (analyses.isEmpty()) {
            return;
        }
        html.append("<h2>Embedding properties</h2>\n<p class=\"note\">The paper's charts (emb_properties_vis.py): std "
                + "×√d (1 = uniform on the sphere), uniformity, covariance (log), local modality assignment.</p>\n");
        Path dir = Files.createTempDirectory(scratch, "charts");
        try {
            for (Path png : org.lovt.analysis.EmbeddingCharts.all(dir, analyses, dimsA, dimsB)) {
                image(png, png.getFileName().toString());
            }
        } catch (LovtException e) {
            html.append("<p class=\"note\">charts not drawn: ").append(esc(e.getMessage())).append("</p>\n");
        }
        for (var e : alignments.entrySet()) {
            Path png = dir.resolve(e.getKey() + ".png");
            org.lovt.analysis.EmbeddingCharts.alignment(png, e.getKey().replace('_', ' ') + " (L2 distance of aligned "
                    + "embeddings)", e.getValue());
            image(png, png.getFileName().toString());
        }
        if (analyses.size() < 2) {
            return;
        }
        html.append("<h2>Embedding analysis side by side</h2>\n<table><tr><th>metric</th>");
        analyses.keySet().forEach(n -> html.append("<th>").append(esc(n)).append("</th>"));
        html.append("</tr>\n");
        for (String k : KEY_METRICS) {
            html.append("<tr><td>").append(esc(k)).append("</td>");
            analyses.values().forEach(m -> html.append("<td>").append(m.containsKey(k) ? num(m.get(k)) : "")
                    .append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** Pipe tables become HTML tables, headings become headings, other lines paragraphs. */
    static String markdown(String md) {
        StringBuilder out = new StringBuilder();
        List<String> table = new ArrayList<>();
        for (String line : (md + "\n").split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("|")) {
                table.add(t);
                continue;
            }
            if (!table.isEmpty()) {
                out.append(table(table));
                table.clear();
            }
            if (t.startsWith("#")) {
                int level = Math.min(6, (int) t.chars().takeWhile(c -> c == '#').count() + 2);
                out.append("<h").append(level).append('>').append(esc(t.replaceFirst("^#+\\s*", ""))).append("</h")
                        .append(level).append(">\n");
            } else if (!t.isEmpty()) {
                out.append("<p>").append(inline(t)).append("</p>\n");
            }
        }
        return out.toString();
    }

    private static String table(List<String> rows) {
        StringBuilder out = new StringBuilder("<table>\n");
        boolean header = true;
        for (String r : rows) {
            String[] cells = r.replaceAll("^\\||\\|$", "").split("\\|", -1);
            if (r.matches("^\\|[\\s:|-]+\\|?$")) {
                continue;                                             // the alignment row
            }
            out.append("<tr>");
            for (String c : cells) {
                String tag = header ? "th" : "td";
                out.append('<').append(tag).append('>').append(inline(c.strip())).append("</").append(tag).append('>');
            }
            out.append("</tr>\n");
            header = false;
        }
        return out.append("</table>\n").toString();
    }

    /** Markdown emphasis: {@code **bold**}, {@code *italic*} and {@code `code`}, the rest escaped. */
    static String inline(String text) {
        return esc(text).replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>")
                .replaceAll("(?<![\\w*])\\*([^*\\s][^*]*)\\*(?![\\w*])", "<i>$1</i>")
                .replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    private void image(Path png, String alt) throws IOException {
        if (!Files.isRegularFile(png)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(png);
        if (javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes)) == null) {
            throw new LovtException(png + ": not a readable picture");
        }
        html.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(bytes)).append("\">\n");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.5g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
