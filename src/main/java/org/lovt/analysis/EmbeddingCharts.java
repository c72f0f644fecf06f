package org.lovt.analysis;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.lovt.LovtException;

/**
 * The paper's embedding-property charts ({@code emb_properties_vis.py}, spec lovt-data-eval §5.4) from analysis rows
 * ({@code emb/<space>/<metric>}), one bar group per model: std (total, mean per sample ± its std, centroids, global;
 * multiplied by √d when the dimension is known, so that 1 is the value of a uniform spread on the sphere), uniformity
 * (−per-sample ± its std, −global), off-diagonal covariance on a log scale (batch estimate, per sample, centroids,
 * global), and the local modality assignment (horizontal stacked bars of 1 − assignment_1to1 and 1 − assignment_2to2;
 * 100 % = modalities indistinguishable). PNG, drawn with JFreeChart.
 */
public final class EmbeddingCharts {
    private static final Color[] COLOURS = {new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e),
        new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd)};

    private EmbeddingCharts() {}

    /**
     * The std chart of modality {@code a} (image) or {@code b} (report).
     *
     * @param dims the local space's dimension per model (missing: plotted unscaled)
     */
    public static Path std(Path png, String modality, Map<String, Map<String, Double>> models, Map<String, Integer> dims) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        String l = "emb/yl_" + modality + "/";
        String g = "emb/yg_" + modality + "/";
        boolean allScaled = true;
        for (var e : models.entrySet()) {
            Integer dim = dims.get(e.getKey());
            double s = dim == null ? 1 : Math.sqrt(dim);
            allScaled &= dim != null;
            Map<String, Double> m = e.getValue();
            add(d, m, l + "ch_std", null, s, "total", e.getKey());
            add(d, m, l + "ch_std_per_sample", l + "ch_std_per_sample__std", s, "per sample", e.getKey());
            add(d, m, l + "ch_std_sample_centroids", null, s, "centroids", e.getKey());
            add(d, m, g + "ch_std", null, s, "global", e.getKey());
        }
        String axis = allScaled ? "std × √d (1 = uniform on the sphere)" : "std (unscaled where d is unknown)";
        return write(png, bars(d, "std of " + name(modality) + " embeddings", axis, new NumberAxis(axis)),
                models.size());
    }

    /** The uniformity chart: −per-sample uniformity (± its std over samples) and −global uniformity. */
    public static Path uniformity(Path png, String modality, Map<String, Map<String, Double>> models) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        for (var e : models.entrySet()) {
            Map<String, Double> m = e.getValue();
            add(d, m, "emb/yl_" + modality + "/per_sample_uniformity", "emb/yl_" + modality
                    + "/per_sample_uniformity__std", -1, "−per-sample", e.getKey());
            add(d, m, "emb/yg_" + modality + "/uniformity", null, -1, "−global", e.getKey());
        }
        return write(png, bars(d, "uniformity of " + name(modality) + " embeddings", "−uniformity",
                new NumberAxis("−uniformity (higher = more uniform)")), models.size());
    }

    /** The off-diagonal covariance chart, log scale. */
    public static Path covariance(Path png, String modality, Map<String, Map<String, Double>> models) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        String l = "emb/yl_" + modality + "/";
        for (var e : models.entrySet()) {
            Map<String, Double> m = e.getValue();
            add(d, m, l + "cov_offdiagonal__batch_estimate", null, 1, "batch estimate", e.getKey());
            add(d, m, l + "cov_offdiagonal_per_sample", null, 1, "per sample", e.getKey());
            add(d, m, l + "cov_offdiagonal_sample_centroids", null, 1, "centroids", e.getKey());
            add(d, m, "emb/yg_" + modality + "/cov_offdiagonal", null, 1, "global", e.getKey());
        }
        LogAxis axis = new LogAxis("off-diagonal covariance (log)");
        axis.setSmallestValue(1e-14);
        return write(png, bars(d, "covariance of " + name(modality) + " embeddings", "", axis), models.size());
    }

    /** The local modality assignment: stacked 1 − assignment_1to1 (regions) and 1 − assignment_2to2 (sentences). */
    public static Path assignment(Path png, Map<String, Map<String, Double>> models) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (var e : models.entrySet()) {
            Double a = e.getValue().get("emb/zl_a||zl_b/assignment_1to1");
            Double b = e.getValue().get("emb/zl_a||zl_b/assignment_2to2");
            if (a == null || b == null) {
                continue;
            }
            String label = String.format(java.util.Locale.ROOT, "%s (%.0f %%)", e.getKey(), 100 * (2 - a - b));
            d.addValue(1 - a, "image regions", label);
            d.addValue(1 - b, "report sentences", label);
        }
        if (d.getColumnCount() == 0) {
            throw new LovtException("no model has the modality assignment (emb/zl_a||zl_b/assignment_*)");
        }
        StackedBarRenderer r = new StackedBarRenderer();
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        for (int i = 0; i < 2; i++) {
            r.setSeriesPaint(i, COLOURS[i]);
        }
        NumberAxis y = new NumberAxis("1 − assignment (sum: 100 % = modalities indistinguishable)");
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(d, new CategoryAxis(""), y, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart c = new JFreeChart("local modality assignment", new Font(Font.SANS_SERIF, Font.BOLD, 14), plot,
                true);
        c.setBackgroundPaint(Color.WHITE);
        return save(png, c.createBufferedImage(720, 140 + 50 * d.getColumnCount()));
    }

    private static String name(String modality) {
        return switch (modality) {
            case "a" -> "image";
            case "b" -> "report";
            default -> throw new LovtException("modality must be 'a' (image) or 'b' (report), got '" + modality + "'");
        };
    }

    private static void add(DefaultStatisticalCategoryDataset d, Map<String, Double> m, String key, String stdKey,
                            double scale, String series, String model) {
        Double v = m.get(key);
        if (v == null || !Double.isFinite(v)) {
            return;
        }
        Double sd = stdKey == null ? null : m.get(stdKey);
        d.add(scale * v, sd == null || !Double.isFinite(sd) ? 0 : Math.abs(scale) * sd, series, model);
    }

    private static JFreeChart bars(DefaultStatisticalCategoryDataset d, String title, String unused, ValueAxis y) {
        if (d.getColumnCount() == 0) {
            throw new LovtException("no model has the metrics of the chart '" + title + "'");
        }
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        for (int i = 0; i < COLOURS.length; i++) {
            r.setSeriesPaint(i, COLOURS[i]);
        }
        r.setErrorIndicatorPaint(Color.BLACK);
        r.setDrawBarOutline(false);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        CategoryPlot plot = new CategoryPlot(d, new CategoryAxis("model"), y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private static Path write(Path png, JFreeChart c, int models) {
        return save(png, c.createBufferedImage(Math.max(480, 160 + 180 * models), 380));
    }

    private static Path save(Path png, BufferedImage img) {
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
            try {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer");
                }
                Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new LovtException(png + ": cannot write the chart: " + e.getMessage(), e);
        }
        return png;
    }

    /**
     * A box of an alignment boxplot (precomputed: quartiles and whiskers).
     *
     * @param mean   mean
     * @param q1     first quartile
     * @param median median
     * @param q3     third quartile
     * @param low    lower whisker
     * @param high   upper whisker
     */
    public record Box(double mean, double q1, double median, double q3, double low, double high) {}

    /**
     * The original's alignment boxplot ({@code plot_alignment}): per kind (global; report-to-image, image-to-report) one
     * box per model of the L2 distances between the aligned embeddings.
     *
     * @param boxes model → kind → box
     */
    public static Path alignment(Path png, String title, Map<String, Map<String, Box>> boxes) {
        org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset d =
                new org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset();
        boxes.forEach((model, kinds) -> kinds.forEach((kind, b) -> d.add(new org.jfree.data.statistics.BoxAndWhiskerItem(
                b.mean(), b.median(), b.q1(), b.q3(), b.low(), b.high(), null, null, List.of()), model, kind)));
        if (d.getColumnCount() == 0) {
            throw new LovtException("no alignment distances for '" + title + "'");
        }
        org.jfree.chart.renderer.category.BoxAndWhiskerRenderer r =
                new org.jfree.chart.renderer.category.BoxAndWhiskerRenderer();
        r.setMeanVisible(false);                              // as matplotlib's boxplot
        r.setMaximumBarWidth(0.12);
        for (int i = 0; i < COLOURS.length; i++) {
            r.setSeriesPaint(i, COLOURS[i]);
        }
        NumberAxis y = new NumberAxis("L2 distance");
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(d, new CategoryAxis(""), y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return save(png, c.createBufferedImage(Math.max(480, 200 + 140 * boxes.size() * d.getColumnCount()), 380));
    }

    /** The chart names of {@link #all}. */
    public static final List<String> FILES = List.of("std_y_a.png", "std_y_b.png", "uniformity_y_a.png",
            "uniformity_y_b.png", "covariance_y_a.png", "covariance_y_b.png", "local_modality_assignment.png");

    /** All charts of the models into {@code dir} ({@link #FILES}); returns the files written. */
    public static List<Path> all(Path dir, Map<String, Map<String, Double>> models, Map<String, Integer> dimsA,
                                 Map<String, Integer> dimsB) {
        return List.of(std(dir.resolve(FILES.get(0)), "a", models, dimsA), std(dir.resolve(FILES.get(1)), "b", models,
                dimsB), uniformity(dir.resolve(FILES.get(2)), "a", models), uniformity(dir.resolve(FILES.get(3)), "b",
                models), covariance(dir.resolve(FILES.get(4)), "a", models), covariance(dir.resolve(FILES.get(5)), "b",
                models), assignment(dir.resolve(FILES.get(6)), models));
    }
}
