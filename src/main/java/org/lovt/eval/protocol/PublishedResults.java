package org.lovt.eval.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.eval.downstream.DownstreamTask;
import org.lovt.eval.downstream.DownstreamTasks;

/**
 * The paper's published downstream numbers for the reference rows of {@code results.md} (spec lovt-data-eval §6,
 * transcribed from the paper's tables): 100·mean and 100·(95 % interval) of each task's headline test metric, in
 * the paper's task order, for LoVT_100, ConVIRT (100 % MIMIC-CXR), ImageNet and random initialisation. They are
 * published values on the real data sets, for orientation only; nothing computes them here.
 */
public final class PublishedResults {
    /** A published row: its label and, per task key, {mean, interval} ×100. */
    public record Row(String model, Map<String, double[]> values) {}

    private static final double[][] RANDOM = {{2.4, 0.5}, {5.1, 1.2}, {14.9, 1.7}, {1.0, 0.2}, {4.0, 0.3}, {8.9, 0.9},
            {21.9, 1.2}, {5.3, 0.0}, {5.3, 0.0}, {34.0, 1.1}, {32.2, 1.8}, {6.0, 0.0}, {23.2, 1.0}, {23.9, 1.6},
            {49.5, 1.2}, {28.4, 1.4}, {6.9, 0.0}, {0.5, 0.4}};
    private static final double[][] IMAGENET = {{5.0, 0.7}, {12.4, 0.8}, {19.0, 0.2}, {3.6, 1.4}, {8.0, 0.1},
            {15.7, 0.3}, {27.5, 0.6}, {38.3, 0.0}, {43.3, 0.0}, {43.9, 2.0}, {41.9, 1.7}, {32.6, 0.7}, {38.5, 0.9},
            {36.9, 0.7}, {62.5, 0.4}, {52.7, 1.3}, {37.8, 0.0}, {2.6, 1.6}};
    private static final double[][] CONVIRT = {{10.7, 1.1}, {13.3, 0.8}, {18.5, 0.4}, {8.2, 0.9}, {15.6, 1.2},
            {17.9, 0.3}, {44.6, 0.1}, {48.5, 0.0}, {50.4, 0.3}, {47.9, 0.7}, {46.0, 1.1}, {42.7, 2.0}, {39.3, 0.3},
            {43.1, 0.3}, {60.6, 1.2}, {52.5, 1.0}, {36.0, 0.0}, {18.6, 0.1}};
    private static final double[][] LOVT_100 = {{8.5, 0.8}, {13.2, 0.6}, {18.1, 3.2}, {9.6, 1.2}, {16.4, 1.3},
            {20.5, 1.0}, {46.3, 0.0}, {50.1, 0.0}, {51.8, 0.0}, {51.2, 2.5}, {46.2, 2.4}, {44.0, 0.8}, {44.1, 0.3},
            {43.9, 0.7}, {62.1, 0.5}, {57.4, 0.5}, {39.9, 0.0}, {9.4, 0.5}};

    private PublishedResults() {}

    /** The reference rows, LoVT_100 first. */
    public static List<Row> rows() {
        return List.of(row("LoVT_100", LOVT_100), row("ConVIRT", CONVIRT), row("ImageNet", IMAGENET),
                row("Random", RANDOM));
    }

    private static Row row(String name, double[][] v) {
        List<DownstreamTask> tasks = DownstreamTasks.all();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            m.put(tasks.get(i).key(), v[i].clone());
        }
        return new Row(name, m);
    }
}
