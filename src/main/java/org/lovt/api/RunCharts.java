package org.lovt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.LovtException;
import org.lovt.analysis.Overlays;

/** Line charts of a run's metrics ({@code metrics.jsonl} of its run folder), as PNG. */
public final class RunCharts {
    private RunCharts() {}

    /**
     * Plots metrics of a run, one line per metric over the records that carry it (training metrics per logged batch,
     * validation metrics per epoch).
     *
     * @param runDir the run folder
     * @param png    the picture to write
     * @param title  its title
     * @param series legend label → metric name ({@code train/total_loss}, {@code val/grounding}, ...), in order
     * @return whether it was written: false when none of the metrics was logged
     */
    public static boolean plot(Path runDir, Path png, String title, Map<String, String> series) {
        Path file = runDir.resolve("metrics.jsonl");
        List<String> names = new ArrayList<>(series.keySet());
        List<List<Double>> values = new ArrayList<>();
        names.forEach(n -> values.add(new ArrayList<>()));
        ObjectMapper json = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = json.readTree(line);
                for (int i = 0; i < names.size(); i++) {
                    JsonNode v = record.get(series.get(names.get(i)));
                    if (v != null && !v.isNull()) {
                        values.get(i).add(v.asDouble());
                    }
                }
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read the run's metrics: " + e.getMessage(), e);
        }
        if (values.stream().allMatch(List::isEmpty)) {
            return false;
        }
        double[][] data = new double[names.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        }
        Overlays.chart(png, title, names.toArray(new String[0]), data);
        return true;
    }
}
