package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

/**
 * The blur's vectorisable loop order gives the same bytes as the textbook separable form (torch's reflect padding,
 * taps summed in order in double), on random images of many sizes, kernels and sigmas. The comparison with
 * torchvision itself is {@code PilGoldenTest}.
 */
class TorchGaussianBlurTest {

    @Test
    void sameBytesAsTheDirectSeparableForm() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] shapes = {{224, 224}, {31, 17}, {12, 40}, {97, 5}, {6, 6}};
        for (int[] s : shapes) {
            for (int kernel : new int[] {1, 3, 5, 11}) {
                if (kernel / 2 >= Math.min(s[0], s[1])) {
                    continue;
                }
                for (double sigma : new double[] {0.1, 0.77, 1.9, 3.0 + rnd.nextDouble()}) {
                    byte[] px = new byte[s[0] * s[1]];
                    rnd.nextBytes(px);
                    GrayImage img = new GrayImage(s[0], s[1], px);
                    assertArrayEquals(reference(img, kernel, sigma).pixels(),
                            TorchGaussianBlur.blur(img, kernel, sigma).pixels(),
                            s[0] + "x" + s[1] + " kernel " + kernel + " sigma " + sigma);
                }
            }
        }
        byte[] px = new byte[224 * 224];
        rnd.nextBytes(px);
        GrayImage img = new GrayImage(224, 224, px);
        assertArrayEquals(reference(img, 23, 1.3).pixels(), TorchGaussianBlur.blur(img, 23, 1.3).pixels());
    }

    @Test
    void kernelMustFitTheImage() {
        assertThrows(LovtException.class, () -> TorchGaussianBlur.blur(new GrayImage(5, 20, new byte[100]), 11, 1.0));
        assertThrows(LovtException.class, () -> TorchGaussianBlur.blur(new GrayImage(20, 20, new byte[400]), 4, 1.0));
    }

    /** Output-major separable convolution with torch's reflect padding; every output sums its taps in order. */
    private static GrayImage reference(GrayImage img, int size, double sigma) {
        float[] k = TorchGaussianBlur.kernel1d(size, sigma);
        int r = size / 2;
        int w = img.width();
        int h = img.height();
        double[] tmp = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = 0; i < size; i++) {
                    acc += k[i] * (double) (img.pixels()[y * w + reflect(x + i - r, w)] & 0xFF);
                }
                tmp[y * w + x] = acc;
            }
        }
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = 0; i < size; i++) {
                    acc += k[i] * tmp[reflect(y + i - r, h) * w + x];
                }
                double v = Math.rint(acc);
                out[y * w + x] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) v);
            }
        }
        return new GrayImage(w, h, out);
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }
}
