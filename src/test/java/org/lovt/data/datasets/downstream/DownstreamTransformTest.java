package org.lovt.data.datasets.downstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanImage;
import org.lovt.data.image.ScanTransform;

/** The §3.2 input pipeline on hand-made images whose outputs are computed by hand. */
class DownstreamTransformTest {
    static final double MEAN = 0.5;
    static final double STD = 0.25;

    /** The original's float32 normalisation of a grey level. */
    static float norm(int v) {
        return ((float) v / 255f - (float) MEAN) / (float) STD;
    }

    static GrayImage image(int w, int h, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return new GrayImage(w, h, b);
    }

    static int[] levels(float[] normalised) {
        int[] out = new int[normalised.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = -1;
            for (int v = 0; v < 256; v++) {
                if (norm(v) == normalised[i]) {
                    out[i] = v;
                }
            }
        }
        return out;
    }

    @Test
    void oddPaddingIsOnePixelShortAndStretched() {
        // 4 x 1: M - H = 3 is odd, so int(3 / 2) = 1 row on top and bottom gives 4 x 3, not 4 x 4. Pillow's bilinear
        // 3 -> 4 rows (scale 0.75, support 1): row 0 centre 0.375 reads row 0 only (0); row 1 centre 1.125 weights
        // rows 0 and 1 by 0.375 and 0.625 (200 * 0.625 = 125.0, fixed point truncates the .5 from the rounding term
        // exactly at 125.5 -> 125); row 2 likewise; row 3 reads row 2 only (0).
        DownstreamTransform t = new DownstreamTransform(4, MEAN, STD);
        GrayImage mask = image(4, 1, 0, 1, 1, 0);
        DownstreamTransform.Result r = t.apply(image(4, 1, 200, 200, 200, 200), new double[] {1, 0, 2, 1},
                List.of(mask));
        int[] expected = {0, 0, 0, 0, 125, 125, 125, 125, 125, 125, 125, 125, 0, 0, 0, 0};
        assertArrayEquals(expected, levels(r.image()));
        // Boxes: y + 1 (the top padding), then x and w * 4/4, y and h * 4/3 (the padded height is 3).
        assertArrayEquals(new float[] {1f, (float) (4.0 / 3), 2f, (float) (4.0 / 3)}, r.boxes());
        // Mask: padded rows [0, m, 0]; NEAREST 3 -> 4 reads rows int(0.375), int(1.125), int(1.875), int(2.625).
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0}, r.masks().get(0));

        // The same sideways: 1 x 4, one column left and right, then 3 -> 4 columns.
        DownstreamTransform.Result s = t.apply(image(1, 4, 200, 200, 200, 200), new double[] {0, 1, 1, 2},
                List.of(image(1, 4, 0, 1, 1, 0)));
        int[] row = {0, 125, 125, 0};
        int[] img = levels(s.image());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(row[x], img[y * 4 + x], "(" + y + ", " + x + ")");
                assertEquals(y == 1 || y == 2 ? (x == 1 || x == 2 ? 1 : 0) : 0, s.masks().get(0)[y * 4 + x]);
            }
        }
        assertArrayEquals(new float[] {(float) (4.0 / 3), 1f, (float) (4.0 / 3), 2f}, s.boxes());
    }

    @Test
    void evenPaddingGivesAnExactSquareThatIsCopiedAtItsOwnSize() {
        // 3 x 1: one row on top and bottom makes 3 x 3 exactly; Resize(3) of a 3 x 3 image is a copy.
        DownstreamTransform t = new DownstreamTransform(3, MEAN, STD);
        DownstreamTransform.Result r = t.apply(image(3, 1, 10, 20, 255), new double[] {0.5, 0.25, 2, 0.5},
                List.of(image(3, 1, 1, 0, 1)));
        float z = norm(0);
        assertArrayEquals(new float[] {z, z, z, norm(10), norm(20), norm(255), z, z, z}, r.image());
        assertEquals(2f, norm(255)); // (1 - 0.5) / 0.25, exactly
        assertEquals(-2f, norm(0));
        assertArrayEquals(new float[] {0.5f, 1.25f, 2f, 0.5f}, r.boxes());
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 1, 0, 0, 0}, r.masks().get(0));
    }

    @Test
    void masksAreFirstResizedToTheImageWithNearest() {
        // A 2 x 1 mask for a 4 x 2 image: NEAREST columns int(0.25), int(0.75), int(1.25), int(1.75) = 0, 0, 1, 1;
        // rows int(0.25), int(0.75) = 0, 0. Then one row of padding on top and bottom: 4 x 4.
        DownstreamTransform t = new DownstreamTransform(4, MEAN, STD);
        DownstreamTransform.Result r = t.apply(image(4, 2, 0, 0, 0, 0, 0, 0, 0, 0), new double[0],
                List.of(image(2, 1, 1, 0)));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0}, r.masks().get(0));
        assertEquals(0, r.boxes().length);
    }

    @Test
    void nearestSamplesPixelCentresAsPillow() {
        // 5 -> 2: step 2.5 from 1.25: columns 1 and 3. 2 -> 5: step 0.4 from 0.2: 0, 0, 1, 1, 1.
        assertArrayEquals(new byte[] {11, 13}, DownstreamTransform.nearest(image(5, 1, 10, 11, 12, 13, 14), 2, 1)
                .pixels());
        assertArrayEquals(new byte[] {7, 7, 9, 9, 9}, DownstreamTransform.nearest(image(2, 1, 7, 9), 5, 1).pixels());
        // 6 -> 4 rows: step 1.5 from 0.75: rows 0, 2, 3, 5.
        GrayImage col = DownstreamTransform.nearest(image(1, 6, 0, 1, 2, 3, 4, 5), 1, 4);
        assertArrayEquals(new byte[] {0, 2, 3, 5}, col.pixels());
    }

    @Test
    void imageEqualsThePillowCompatibleValidationTransform() {
        // Down-scaling with anti-aliasing (300 x 200 -> 32) and an odd pad (37 x 24 -> 16): the first channel of
        // the pre-training validation transform (pad mode, bit-exact to Pillow) normalised the same way.
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] wh : new int[][] {{300, 200}, {37, 24}, {23, 41}}) {
            byte[] px = new byte[wh[0] * wh[1]];
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) rnd.nextInt(256);
            }
            GrayImage img = new GrayImage(wh[0], wh[1], px);
            int size = wh[0] == 300 ? 32 : 16;
            float[] three = ScanTransform.validation(ScanAugmentationConfig.forValidation(
                    ScanAugmentationConfig.ValResizeMode.PAD), size, 0.49, 0.248).apply(ScanImage.of(img), rnd);
            float[] one = new DownstreamTransform(size, 0.49, 0.248).apply(img, new double[0], List.of()).image();
            assertEquals(size * size, one.length);
            assertArrayEquals(java.util.Arrays.copyOf(three, size * size), one);
        }
    }
}
