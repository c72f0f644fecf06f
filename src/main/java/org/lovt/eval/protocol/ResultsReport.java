package org.lovt.eval.protocol;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;
import org.lovt.util.AtomicFiles;

/**
 * {@code results.md}: the paper-style tables of a results folder (spec lovt-data-eval §6): per task its headline test
 * metric ×100 as {@code mean±interval} (the 95 % interval half-width, as the paper's "±"), one row per evaluated
 * model, then the paper's published LoVT_100 / ConVIRT / ImageNet / random rows, labelled as published numbers on the
 * real data sets.
 */
public final class ResultsReport {
    /** The file name. */
    public static final String FILE = "results.md";

    private ResultsReport() {}

    /** A task's column label, e.g. {@code YOLOv3 FT 1 % (mAP)}. */
    public static String label(DownstreamTask t) {
        String head = switch (t.head()) {
            case YOLO_V3 -> "YOLOv3";
            case UNET -> "U-Net";
            case LINEAR -> "Linear";
        };
        String mode = t.frozen() ? "frozen" : "FT";
        String data = switch (t.dataset()) {
            case "rsna" -> "RSNA";
            case "covid" -> "COVID";
            case "siim" -> "SIIM";
            case "object-cxr" -> "Object";
            case "nih" -> "NIH";
            default -> t.dataset();
        };
        String fraction = t.trainFraction() == null ? "" : " " + Math.round(t.trainFraction() * 100) + " %";
        if (t.dataset().equals("rsna") && t.trainFraction() == null) {
            fraction = " 100 %";
        }
        String metric = t.reported().get(0).replace("opacity_dice", "Dice").replace("pneumothorax_dice", "Dice")
                .replace("avg_dice", "avg Dice").replace("froc", "fROC");
        return data + " " + head + (t.head() == DownstreamTask.Head.LINEAR ? "" : " " + mode) + fraction + " ("
                + metric + ")";
    }

    /** {@code 100·mean ± 100·interval} with one decimal, as the paper prints it. */
    public static String cell(RunStatistics s) {
        double ci = s.interval95();
        return String.format(Locale.ROOT, "%.1f±%s", 100 * s.mean(), Double.isNaN(ci) ? "–"
                : String.format(Locale.ROOT, "%.1f", 100 * ci));
    }

    /** The markdown for the tables in {@code dir}. */
    public static String markdown(Path dir) {
        Map<DownstreamTask, ResultsTable.Table> tables = ResultsTable.readAll(dir);
        Set<String> models = new LinkedHashSet<>();
        tables.values().forEach(t -> models.addAll(t.rows().keySet()));
        StringBuilder b = new StringBuilder();
        b.append("# Downstream results\n\n");
        b.append("Test metrics ×100 as mean±95 % interval (1.96·std/√n over the runs, the paper's \"±\"); runs per "
                + "cell as in the `_num_runs` columns of `downstream_<task>.csv`. Rows in *italics* are the paper's "
                + "**published** numbers on the real data sets (LoVT paper, Tables 1–2), shown for orientation: "
                + "they were not computed here and are not comparable with results on other data.\n");
        List<DownstreamTask> all = DownstreamTasks.all();
        section(b, "RSNA pneumonia (tasks 1–9)", all.subList(0, 9), tables, models);
        section(b, "COVID rural, SIIM pneumothorax, Object-CXR, NIH (tasks 10–18)", all.subList(9, 18), tables,
                models);
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<DownstreamTask> tasks,
                                Map<DownstreamTask, ResultsTable.Table> tables, Set<String> models) {
        b.append("\n## ").append(title).append("\n\n| Model |");
        for (DownstreamTask t : tasks) {
            b.append(' ').append(label(t)).append(" |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(tasks.size())).append('\n');
        for (String m : models) {
            b.append("| ").append(m).append(" |");
            for (DownstreamTask t : tasks) {
                ResultsTable.Table table = tables.get(t);
                RunStatistics s = table == null ? null
                        : table.statistics(m, ResultsTable.metrics(t).get(0));
                b.append(' ').append(s == null ? "–" : cell(s)).append(" |");
            }
            b.append('\n');
        }
        for (PublishedResults.Row r : PublishedResults.rows()) {
            b.append("| *").append(r.model()).append(" (published)* |");
            for (DownstreamTask t : tasks) {
                double[] v = r.values().get(t.key());
                b.append(String.format(Locale.ROOT, " *%.1f±%.1f* |", v[0], v[1]));
            }
            b.append('\n');
        }
    }

    /** Writes {@code dir/results.md} (atomically) and returns its path. */
    public static Path write(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            AtomicFiles.writeString(file, markdown(dir));
        } catch (IOException e) {
            throw new LovtException(file + ": cannot write: " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * The rows of several results folders side by side ({@code lovt results compare}): per task with a table, the
     * headline metric of every model of every folder; a cell is marked {@code *} where its 95 % interval does not
     * overlap the interval of the first row of that column (the reference).
     */
    public static String compare(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new LovtException("give at least one results folder");
        }
        List<Map<DownstreamTask, ResultsTable.Table>> all = new ArrayList<>();
        Set<DownstreamTask> tasks = new LinkedHashSet<>();
        for (Path d : dirs) {
            Map<DownstreamTask, ResultsTable.Table> t = ResultsTable.readAll(d);
            if (t.isEmpty()) {
                throw new LovtException(d + ": no downstream_<task>.csv in this folder (is it a results folder of "
                        + "lovt evaluate --suite?)");
            }
            all.add(t);
            tasks.addAll(t.keySet());
        }
        List<DownstreamTask> ordered = DownstreamTasks.all().stream().filter(tasks::contains).toList();
        StringBuilder b = new StringBuilder("| Model | Folder |");
        for (DownstreamTask t : ordered) {
            b.append(' ').append(label(t)).append(" |");
        }
        b.append("\n|---|---|").append("---|".repeat(ordered.size())).append('\n');
        RunStatistics[] reference = new RunStatistics[ordered.size()];
        for (int i = 0; i < dirs.size(); i++) {
            Set<String> models = new LinkedHashSet<>();
            all.get(i).values().forEach(t -> models.addAll(t.rows().keySet()));
            for (String m : models) {
                b.append("| ").append(m).append(" | ").append(dirs.get(i)).append(" |");
                for (int j = 0; j < ordered.size(); j++) {
                    DownstreamTask t = ordered.get(j);
                    ResultsTable.Table table = all.get(i).get(t);
                    RunStatistics s = table == null ? null : table.statistics(m, ResultsTable.metrics(t).get(0));
                    if (s == null) {
                        b.append(" – |");
                        continue;
                    }
                    String mark = "";
                    if (reference[j] == null) {
                        reference[j] = s;
                    } else if (!s.overlaps(reference[j])) {
                        mark = " *";
                    }
                    b.append(' ').append(cell(s)).append(mark).append(" |");
                }
                b.append('\n');
            }
        }
        b.append("\n×100, mean±95 % interval of the headline test metric. * = the 95 % interval does not overlap that "
                + "of the column's first value (the reference).\n");
        return b.toString();
    }

    /**
     * A plain-text table for the console: the given models of {@code dir} (in this order) over its tasks, the headline
     * test metric ×100 as mean±95 % interval; against the first model (the reference), {@code +} marks a value whose
     * interval lies wholly above the reference's and {@code -} one wholly below. With {@code published}, the paper's
     * rows for the same tasks follow, labelled as published numbers on the real data.
     */
    public static String miniature(Path dir, List<String> models, boolean published) {
        Map<DownstreamTask, ResultsTable.Table> tables = ResultsTable.readAll(dir);
        if (tables.isEmpty()) {
            throw new LovtException(dir + ": no downstream_<task>.csv in this folder");
        }
        List<DownstreamTask> tasks = DownstreamTasks.all().stream().filter(tables::containsKey).toList();
        List<String> names = new ArrayList<>(models);
        List<List<String>> cells = new ArrayList<>();
        RunStatistics[] reference = new RunStatistics[tasks.size()];
        for (String m : models) {
            List<String> row = new ArrayList<>();
            for (int j = 0; j < tasks.size(); j++) {
                DownstreamTask t = tasks.get(j);
                RunStatistics st = tables.get(t).statistics(m, ResultsTable.metrics(t).get(0));
                if (st == null) {
                    row.add("–");
                    continue;
                }
                String mark = "";
                if (reference[j] == null) {
                    reference[j] = st;
                } else if (!st.overlaps(reference[j])) {
                    mark = st.mean() > reference[j].mean() ? " +" : " -";
                }
                row.add(cell(st) + mark);
            }
            cells.add(row);
        }
        if (published) {
            for (PublishedResults.Row r : PublishedResults.rows()) {
                names.add(r.model() + " (published, real data)");
                List<String> row = new ArrayList<>();
                for (DownstreamTask t : tasks) {
                    double[] v = r.values().get(t.key());
                    row.add(v == null ? "–" : String.format(Locale.ROOT, "%.1f±%.1f", v[0], v[1]));
                }
                cells.add(row);
            }
        }
        int first = "model".length();
        for (String n : names) {
            first = Math.max(first, n.length());
        }
        int[] width = new int[tasks.size()];
        for (int j = 0; j < tasks.size(); j++) {
            width[j] = label(tasks.get(j)).length();
            for (List<String> row : cells) {
                width[j] = Math.max(width[j], row.get(j).length());
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + first + "s", "model"));
        for (int j = 0; j < tasks.size(); j++) {
            b.append("  ").append(String.format(Locale.ROOT, "%-" + width[j] + "s", label(tasks.get(j))));
        }
        b.append('\n');
        for (int i = 0; i < names.size(); i++) {
            b.append(String.format(Locale.ROOT, "%-" + first + "s", names.get(i)));
            for (int j = 0; j < tasks.size(); j++) {
                b.append("  ").append(String.format(Locale.ROOT, "%-" + width[j] + "s", cells.get(i).get(j)));
            }
            b.append('\n');
        }
        return b.toString().replaceAll(" +\n", "\n");
    }
}
