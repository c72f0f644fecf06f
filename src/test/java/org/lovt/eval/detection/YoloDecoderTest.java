package org.lovt.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.eval.metrics.BoxPrediction;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

/** Decoding of raw outputs built to hold known boxes, and NMS on hand-made rows whose "+1" IoUs are exact. */
class YoloDecoderTest {
    static final int INPUT = 64;

    /** Raw outputs (B, 3·(5+C), G, G) for grids 2, 4, 8 whose every confidence logit is −10 (σ ≈ 4.5e-5). */
    static Tensor[] quiet(int b, int classes) {
        int attrs = 5 + classes;
        int[] grids = {2, 4, 8};
        Tensor[] out = new Tensor[3];
        for (int s = 0; s < 3; s++) {
            out[s] = torch.zeros(b, 3 * attrs, grids[s], grids[s]);
            for (int a = 0; a < 3; a++) {
                out[s].select(1, a * attrs + 4).fill_(new Scalar(-10.0));
            }
        }
        return out;
    }

    static void set(Tensor out, int b, int channel, int row, int col, double v) {
        out.get(b).get(channel).get(row).get(col).fill_(new Scalar(v));
    }

    @Test
    void aConfidentRawPredictionDecodesToItsBox() {
        try (Scope sc = Scope.open()) {
            YoloAnchors anchors = YoloLossTest.ANCHORS;                 // scale 1 anchor 2: (20, 40) px
            Tensor[] out = quiet(2, 1);
            // image 0, scale 1 (grid 4, stride 16), anchor 2, row 1, col 3:
            // σ(0) = 0.5, σ(log(1/3)) = 0.25, exp(log 1.5) = 1.5, exp(0) = 1, σ(3) = 0.9526
            int base = 2 * 6;
            set(out[1], 0, base, 1, 3, 0.0);
            set(out[1], 0, base + 1, 1, 3, Math.log(1.0 / 3));
            set(out[1], 0, base + 2, 1, 3, Math.log(1.5));
            set(out[1], 0, base + 3, 1, 3, 0.0);
            set(out[1], 0, base + 4, 1, 3, 3.0);
            YoloDecoder decoder = new YoloDecoder(anchors, 1, INPUT);

            Tensor rows = decoder.decode(List.of(out));
            // 3·4 rows of scale 0, then (anchor, row, col) order: 12 + 2·16 + 1·4 + 3 = 51
            assertEquals(List.of(2L, 3L * (4 + 16 + 64), 6L), List.of(rows.size(0), rows.size(1), rows.size(2)));
            float[] r = Tensors.toFloats(rows.get(0).get(51));
            double conf = 1 / (1 + Math.exp(-3));
            double[] expected = {(0.5 + 3) * 16, (0.25 + 1) * 16, 1.5 * 20, 40, conf};
            for (int k = 0; k < 5; k++) {
                assertEquals(expected[k], r[k], 1e-4, "attribute " + k);
            }

            List<List<BoxPrediction>> p = decoder.predict(List.of(out));
            assertEquals(2, p.size());
            assertEquals(1, p.get(0).size());
            assertTrue(p.get(1).isEmpty(), "no confident box in image 1");
            BoxPrediction box = p.get(0).get(0);
            // centre (56, 20), size 30 × 40 → top-left (41, 0), not clipped
            assertEquals(41, box.x(), 1e-4);
            assertEquals(0, box.y(), 1e-4);
            assertEquals(30, box.w(), 1e-4);
            assertEquals(40, box.h(), 1e-4);
            assertEquals(0, box.cls());
            assertEquals(conf, box.conf(), 1e-6);
        }
    }

    @Test
    void boxesAreNotClippedToTheImage() {
        try (Scope sc = Scope.open()) {
            Tensor[] out = quiet(1, 1);
            // scale 0 (grid 2, stride 32), anchor 2 (64 × 64), cell (0, 0), centre (16, 16) → top-left (−16, −16)
            set(out[0], 0, 2 * 6 + 4, 0, 0, 2.0);
            List<BoxPrediction> p = new YoloDecoder(YoloLossTest.ANCHORS, 1, INPUT).predict(List.of(out)).get(0);
            assertEquals(1, p.size());
            assertEquals(-16, p.get(0).x(), 1e-4);
            assertEquals(-16, p.get(0).y(), 1e-4);
            assertEquals(64, p.get(0).w(), 1e-4);
        }
    }

    /** One decoded row [cx, cy, w, h, conf, cls…] from corners. */
    static float[] row(float x1, float y1, float x2, float y2, float conf, float... cls) {
        float[] r = new float[5 + cls.length];
        r[0] = (x1 + x2) / 2;
        r[1] = (y1 + y2) / 2;
        r[2] = x2 - x1;
        r[3] = y2 - y1;
        r[4] = conf;
        System.arraycopy(cls, 0, r, 5, cls.length);
        return r;
    }

    static Tensor rows(int images, float[]... rows) {
        int per = rows.length / images;
        int attrs = rows[0].length;
        float[] flat = new float[rows.length * attrs];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * attrs, attrs);
        }
        return Tensors.floats(flat, images, per, attrs);
    }

    static void assertBox(BoxPrediction p, double x, double y, double w, double h, int cls, double conf) {
        assertEquals(x, p.x(), 1e-6);
        assertEquals(y, p.y(), 1e-6);
        assertEquals(w, p.w(), 1e-6);
        assertEquals(h, p.h(), 1e-6);
        assertEquals(cls, p.cls());
        assertEquals(conf, p.conf(), 1e-7);
    }

    @Test
    void nmsSuppressesAtPlusOneIouOfPointFourAndOrdersByConfidence() {
        try (Scope sc = Scope.open()) {
            // "+1" IoUs: [0,0,6,6] vs [0,3,6,9]: inter 7·4 = 28, union 49 + 49 − 28 = 70 → exactly 0.4 → removed
            // (plain IoU 18/54 = 0.33 would keep it); [0,0,6,6] vs [0,4,6,10]: 7·3 = 21 / 77 = 0.27 → kept.
            Tensor t = rows(1,
                    row(0, 3, 6, 9, 0.6f, 1f),
                    row(0, 0, 6, 6, 0.9f, 1f),
                    row(0, 4, 6, 10, 0.7f, 1f),
                    row(40, 40, 50, 52, 0.2f, 1f),           // conf exactly 0.2: kept (conf >= 0.2)
                    row(20, 20, 30, 30, 0.19999f, 1f));       // below the threshold: dropped
            List<BoxPrediction> p = YoloDecoder.nonMaxSuppression(t, 1, YoloDecoder.CONF_THRESHOLD,
                    YoloDecoder.NMS_THRESHOLD).get(0);
            assertEquals(3, p.size(), p.toString());
            assertBox(p.get(0), 0, 0, 6, 6, 0, 0.9f);
            assertBox(p.get(1), 0, 4, 6, 6, 0, 0.7f);
            assertBox(p.get(2), 40, 40, 10, 12, 0, 0.2f);
            assertEquals(0.4f, YoloDecoder.iou(new float[] {0, 0, 6, 6}, new float[] {0, 3, 6, 9}));

            // the pair alone: removed at 0.4, kept at a slightly higher threshold
            Tensor pair = rows(1, row(0, 3, 6, 9, 0.6f, 1f), row(0, 0, 6, 6, 0.9f, 1f));
            assertEquals(1, YoloDecoder.nonMaxSuppression(pair, 1, 0.2, 0.4).get(0).size());
            List<BoxPrediction> loose = YoloDecoder.nonMaxSuppression(pair, 1, 0.2, 0.41).get(0);
            assertEquals(2, loose.size());
            assertBox(loose.get(1), 0, 3, 6, 6, 0, 0.6f);
        }
    }

    @Test
    void nmsRunsPerPredictedClassInAscendingClassOrder() {
        try (Scope sc = Scope.open()) {
            Tensor t = rows(1,
                    row(10, 10, 20, 20, 0.9f, 0.2f, 0.7f),    // class 1
                    row(10, 10, 20, 20, 0.8f, 0.9f, 0.1f),    // class 0, same box: kept, other class
                    row(10, 10, 20, 20, 0.5f, 0.1f, 0.3f),    // class 1, same box: suppressed
                    row(12, 10, 22, 20, 0.3f, 0.5f, 0.5f));   // tie → class 0; IoU 99/143 with the class-0 box
            List<BoxPrediction> p = YoloDecoder.nonMaxSuppression(t, 2, 0.2, 0.4).get(0);
            assertEquals(2, p.size(), p.toString());
            assertBox(p.get(0), 10, 10, 10, 10, 0, 0.8f);
            assertBox(p.get(1), 10, 10, 10, 10, 1, 0.9f);
        }
    }

    @Test
    void nmsKeepsImagesApart() {
        try (Scope sc = Scope.open()) {
            Tensor t = rows(3,
                    row(0, 0, 6, 6, 0.1f, 1f), row(0, 0, 6, 6, 0.1f, 1f),
                    row(0, 0, 6, 6, 0.9f, 1f), row(0, 1, 6, 7, 0.5f, 1f),
                    row(0, 0, 6, 6, 0.3f, 1f), row(30, 30, 36, 36, 0.5f, 1f));
            List<List<BoxPrediction>> p = YoloDecoder.nonMaxSuppression(t, 1, 0.2, 0.4);
            assertEquals(3, p.size());
            assertTrue(p.get(0).isEmpty());
            assertEquals(1, p.get(1).size(), "the overlapping box of image 1 is suppressed");
            assertEquals(2, p.get(2).size(), "disjoint boxes of image 2 are both kept");
            assertBox(p.get(2).get(0), 30, 30, 6, 6, 0, 0.5f);
        }
    }

    @Test
    void badOutputsAreRejectedWithTheirShapes() {
        try (Scope sc = Scope.open()) {
            Tensor[] out = quiet(1, 1);
            out[2] = torch.zeros(2, 18, 8, 8);
            LovtException e = assertThrows(LovtException.class,
                    () -> new YoloDecoder(YoloLossTest.ANCHORS, 1, INPUT).decode(List.of(out)));
            assertTrue(e.getMessage().contains("[2, 18, 8, 8]"), e.getMessage());
            assertThrows(LovtException.class, () -> YoloDecoder.nonMaxSuppression(torch.zeros(1, 4, 5), 1, 0.2, 0.4));
        }
    }
}
