package org.lovt.eval.protocol;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;
import org.lovt.util.AtomicFiles;

/**
 * {@code downstream_<key>.csv}, the original's results table of one task (spec lovt-data-eval §3.10,
 * {@code data_exporter.py}): a {@code name} column (the evaluated model) and, per metric of the task in the original's
 * {@code DOWNSTREAM_METRICS} order ({@code <evalName>_test/<metric>}), the columns {@code _run_results}
 * ({@code ;}-joined test values), {@code _mean}, {@code _std} (ddof 1), {@code _num_runs} and {@code _95_interval}.
 * Values are fractions, written as pandas writes them (Python float repr; {@code _num_runs} as {@code 5.0}, because
 * the original's frame holds it as a float). One row per model, sorted by name as pandas' outer join leaves them; a
 * model evaluated again replaces its row.
 */
public final class ResultsTable {
    /** The per-metric columns, in the original's order. */
    public static final List<String> SUB_METRICS = List.of("run_results", "mean", "std", "num_runs", "95_interval");

    private ResultsTable() {}

    /** The table's file name for a task. */
    public static String fileName(DownstreamTask task) {
        return "downstream_" + task.key() + ".csv";
    }

    /** The original's metric names of a task, e.g. {@code rsna_full_test/mAP}. */
    public static List<String> metrics(DownstreamTask task) {
        return task.reported().stream().map(m -> task.evalName() + "_test/" + m).toList();
    }

    /** The header: {@code name}, then five columns per metric. */
    public static List<String> header(DownstreamTask task) {
        List<String> h = new ArrayList<>();
        h.add("name");
        for (String m : metrics(task)) {
            for (String sub : SUB_METRICS) {
                h.add(m + "_" + sub);
            }
        }
        return h;
    }

    /**
     * Puts the row of model {@code name} into {@code dir/downstream_<key>.csv} (created if missing, other rows kept,
     * the file replaced atomically).
     *
     * @param runs each run's test metrics as this project logs them ({@code test/<metric>})
     */
    public static Path put(Path dir, DownstreamTask task, String name, List<Map<String, Double>> runs) {
        Path file = dir.resolve(fileName(task));
        List<String> header = header(task);
        Map<String, List<String>> rows = new TreeMap<>();
        if (Files.exists(file)) {
            Table old = read(file);
            if (!old.header().equals(header)) {
                throw new LovtException(file + ": its columns are not those of task " + task.key()
                        + " (remove it or write into another results folder)");
            }
            old.rows().forEach((k, v) -> rows.put(k, v));
        }
        rows.put(name, row(task, name, runs));
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            p.printRecord(header);
            for (List<String> r : rows.values()) {
                p.printRecord(r);
            }
            AtomicFiles.writeString(file, w.toString());
        } catch (IOException e) {
            throw new LovtException(file + ": cannot write: " + e.getMessage(), e);
        }
        return file;
    }

    private static List<String> row(DownstreamTask task, String name, List<Map<String, Double>> runs) {
        List<String> r = new ArrayList<>();
        r.add(name);
        for (String metric : task.reported()) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Double> run : runs) {
                Double v = run.get("test/" + metric);
                if (v == null) {
                    throw new LovtException("task " + task.key() + ": a run has no test/" + metric + " (it has "
                            + run.keySet() + ")");
                }
                values.add(v);
            }
            RunStatistics s = new RunStatistics(values);
            r.add(String.join(";", values.stream().map(PythonFloats::repr).toList()));
            r.add(PythonFloats.cell(s.mean()));
            r.add(PythonFloats.cell(s.std()));
            r.add(PythonFloats.cell(s.n()));
            r.add(PythonFloats.cell(s.interval95()));
        }
        return r;
    }

    /**
     * A read table.
     *
     * @param file   where it came from
     * @param header its header
     * @param rows   each model's cells (including the name), by model name
     */
    public record Table(Path file, List<String> header, Map<String, List<String>> rows) {
        /** The runs of {@code metric} (an original metric name, e.g. {@code rsna_full_test/mAP}) of a model. */
        public RunStatistics statistics(String model, String metric) {
            List<String> row = rows.get(model);
            int col = header.indexOf(metric + "_run_results");
            if (row == null || col < 0) {
                return null;
            }
            List<Double> values = new ArrayList<>();
            for (String v : row.get(col).split(";")) {
                try {
                    values.add(Double.parseDouble(v.replace("nan", "NaN")));
                } catch (NumberFormatException e) {
                    throw new LovtException(file + ": model " + model + ", " + metric + "_run_results: '" + v
                            + "' is not a number");
                }
            }
            return new RunStatistics(values);
        }
    }

    /** Reads a table written by this class or by the original. */
    public static Table read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().get().parse(r)) {
            List<CSVRecord> records = p.getRecords();
            if (records.isEmpty() || !records.get(0).get(0).equals("name")) {
                throw new LovtException(file + ": not a downstream results table (its first column is not 'name')");
            }
            List<String> header = records.get(0).toList();
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (int i = 1; i < records.size(); i++) {
                List<String> row = records.get(i).toList();
                if (row.size() != header.size()) {
                    throw new LovtException(file + ": line " + (i + 1) + " has " + row.size() + " fields, the header "
                            + header.size());
                }
                rows.put(row.get(0), row);
            }
            return new Table(file, header, rows);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The tables of a results folder, in the paper's task order (tasks without a table are left out). */
    public static Map<DownstreamTask, Table> readAll(Path dir) {
        Map<DownstreamTask, Table> out = new LinkedHashMap<>();
        for (DownstreamTask t : DownstreamTasks.all()) {
            Path f = dir.resolve(fileName(t));
            if (Files.isRegularFile(f)) {
                out.put(t, read(f));
            }
        }
        return out;
    }
}
