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
        // 64 px are enlarged 6x to 384, with a 48-px caption strip; the box outline lies just outside the box, the
        // box's inside keeps the image, and the attended quadrant (bottom right) is hotter (red) than the others.
        try (org.bytedeco.opencv.opencv_core.Mat m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(png.toString())) {
            assertEquals(384, m.cols());
            assertEquals(384 + 48, m.rows());
            var px = m.createIndexer();
            org.bytedeco.javacpp.indexer.UByteIndexer ix = (org.bytedeco.javacpp.indexer.UByteIndexer) px;
            int outlineY = 32 * 6 - 2;
            for (int c = 0; c < 3; c++) {
                assertEquals(255, ix.get(outlineY, 42 * 6, c), "outline pixel, channel " + c);
            }
            int insideY = 42 * 6;
            boolean allWhite = ix.get(insideY, 42 * 6, 0) == 255 && ix.get(insideY, 42 * 6, 1) == 255
                    && ix.get(insideY, 42 * 6, 2) == 255;
            assertFalse(allWhite, "the box's inside is not painted over");
            int hotRed = ix.get(360, 360, 2) - ix.get(360, 360, 0);
            int coldRed = ix.get(20, 20, 2) - ix.get(20, 20, 0);
            assertTrue(hotRed > coldRed + 50, "attended quadrant is red (BGR red-blue " + hotRed + " vs " + coldRed + ")");
            px.close();
        }
        Path chart = tmp.resolve("c.png");
        Overlays.chart(chart, "loss", new String[] {"train", "val"}, new double[][] {{3, 2, 1.5}, {3.2, 2.5, 2}});
        assertTrue(Files.size(chart) > 1000);
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }
    }
}
