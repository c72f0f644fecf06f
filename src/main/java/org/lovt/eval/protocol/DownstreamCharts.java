package org.lovt.eval.protocol;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask;

/**
 * The original's {@code plot_downstream_results} as PNGs (JFreeChart): per task a bar chart of 100·mean of its
 * headline test metric with 100·(95 % interval) error bars, one bar per model of the results folder; baselines
 * ({@code random}, {@code imagenet} and the image-only baselines' names) in red, pre-trained models in blue, as the
 * original colours them. Files: {@code downstream_<key>_<metric>.png}.
 */
public final class DownstreamCharts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color OURS = new Color(0x1f, 0x77, 0xb4);
    private static final Color BASELINE = new Color(0xd6, 0x27, 0x28);
    private static final List<String> BASELINES = List.of("random", "imagenet", "chexpert", "byol", "simclr",
            "pixelpro");

    private DownstreamCharts() {}

    /** The i-th model of a colour family: the base colour, then lighter and darker variants. */
    private static Color shade(Color base, int i) {
        float[] hsb = Color.RGBtoHSB(base.getRed(), base.getGreen(), base.getBlue(), null);
        float brightness = (float) Math.max(0.35, Math.min(1.0, hsb[2] + ((i % 2 == 0) ? -0.15 : 0.15) * ((i + 1) / 2)));
        return Color.getHSBColor(hsb[0], (float) Math.max(0.3, hsb[1] - 0.12 * (i / 2)), i == 0 ? hsb[2] : brightness);
    }

    /** Whether a model name is drawn as a baseline. */
    static boolean baseline(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return BASELINES.stream().anyMatch(m::startsWith);
    }

    /** The chart file of a task. */
    public static String fileName(DownstreamTask task) {
        return "downstream_" + task.key() + "_" + task.reported().get(0) + ".png";
    }

    /** Draws one chart per task table in {@code dir}; returns the files written. */
    public static List<Path> writeAll(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<DownstreamTask, ResultsTable.Table> e : ResultsTable.readAll(dir).entrySet()) {
            out.add(write(dir.resolve(fileName(e.getKey())), e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Draws the chart of one task's table into {@code file} (written to a temporary file, then renamed). */
    public static Path write(Path file, DownstreamTask task, ResultsTable.Table table) {
        String metric = ResultsTable.metrics(task).get(0);
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        List<String> models = new ArrayList<>(table.rows().keySet());
        for (String m : models) {
            RunStatistics s = table.statistics(m, metric);
            double ci = s.interval95();
            data.add(100 * s.mean(), Double.isNaN(ci) ? 0 : 100 * ci, m, metric);
        }
        CategoryAxis x = new CategoryAxis("test metric");
        NumberAxis y = new NumberAxis(task.reported().get(0) + " ×100 (mean ± 95 % interval)");
        y.setAutoRangeIncludesZero(true);
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        int ours = 0;
        int baselines = 0;
        for (int i = 0; i < models.size(); i++) {
            boolean b = baseline(models.get(i));
            r.setSeriesPaint(i, shade(b ? BASELINE : OURS, b ? baselines++ : ours++));
        }
        r.setErrorIndicatorPaint(Color.BLACK);
        r.setErrorIndicatorStroke(new BasicStroke(1.5f));
        r.setDrawBarOutline(false);
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(task.key() + " — " + metric, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        int width = Math.max(480, 140 + 110 * models.size());
        BufferedImage img = chart.createBufferedImage(width, 400);
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer");
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot write the chart: " + e.getMessage(), e);
        }
        return file;
    }
}
