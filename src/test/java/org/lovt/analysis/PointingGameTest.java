package org.lovt.analysis;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointingGameTest {
    @Test
    void cellsOverlappingTheBoxAreHits() {
        // 7x7 grid on 224x224: 32-pixel cells. Box x 40..80, y 100..120 overlaps columns 1-2, row 3.
        assertTrue(PointingGame.hit(3 * 7 + 1, 7, 7, 224, 224, 40, 100, 40, 20));
        assertTrue(PointingGame.hit(3 * 7 + 2, 7, 7, 224, 224, 40, 100, 40, 20));
        assertFalse(PointingGame.hit(3 * 7 + 3, 7, 7, 224, 224, 40, 100, 40, 20), "x 96.. is right of the box");
        assertFalse(PointingGame.hit(4 * 7 + 1, 7, 7, 224, 224, 40, 100, 40, 20), "y 128.. is below the box");
        assertEquals(2 / 49.0, PointingGame.chance(7, 7, 224, 224, 40, 100, 40, 20), 1e-12);
        assertEquals(2, PointingGame.argmax(new float[] {0.1f, 0.2f, 0.5f, 0.2f}));
    }

    @Test
    void overlaysAndChartsAreWrittenAsPng(@TempDir Path tmp) throws Exception {
        byte[] img = new byte[64 * 64];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) (i % 64 * 4);
        }
        float[] att = new float[4];
        att[3] = 1;
        Path png = tmp.resolve("a.png");
        Overlays.attention(png, img, 64, 64, att, 2, 2, new double[] {32, 32, 20, 20}, "small nodule right lower");
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        Path chart = tmp.resolve("c.png");
        Overlays.chart(chart, "loss", new String[] {"train", "val"}, new double[][] {{3, 2, 1.5}, {3.2, 2.5, 2}});
        assertTrue(Files.size(chart) > 1000);
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }
    }
}
