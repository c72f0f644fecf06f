package org.lovt.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlaysTest {
    @Test
    void picturesReleaseEveryNativeObject(@TempDir Path tmp) throws Exception {
        byte[] img = new byte[48 * 48];
        float[] att = {0.1f, 0.2f, 0.3f, 0.4f};
        // Warm up: first calls may load classes and make lasting native objects.
        Overlays.attention(tmp.resolve("w.png"), img, 48, 48, att, 2, 2, new double[] {1, 2, 3, 4}, "warm up");
        Overlays.chart(tmp.resolve("w-chart.png"), "t", new String[] {"a"}, new double[][] {{1, 2}});
        long before = Pointer.totalCount();
        for (int i = 0; i < 10; i++) {
            Overlays.attention(tmp.resolve(i + ".png"), img, 48, 48, att, 2, 2, i % 2 == 0 ? null
                    : new double[] {4, 4, 10, 10}, "a caption long enough to need a second line of text " + i);
            Overlays.chart(tmp.resolve(i + "-chart.png"), "loss", new String[] {"train", "val"},
                    new double[][] {{3, 2, 1.5, 1}, {3.2, 2.5, 2, 1.8}});
        }
        // Without the releases, each picture would leave about twenty Mats, Points and Scalars to the collector.
        assertTrue(Pointer.totalCount() <= before, Pointer.totalCount() + " native objects, " + before + " before");
        assertTrue(Files.size(tmp.resolve("9.png")) > 1000 && Files.size(tmp.resolve("9-chart.png")) > 1000);
    }
}
