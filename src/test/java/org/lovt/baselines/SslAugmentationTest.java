package org.lovt.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.data.image.AugmentationParams;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The augmentation T against double-precision computations written here from torchvision's definitions (not by
 * calling the class's own ops), and its parameter distribution.
 */
class SslAugmentationTest {
    static {
        Natives.load();
    }

    /** A random (n, 3, h, w) grey batch (3 equal channels, as the baselines' expanded images) in [0, 1]. */
    private static float[] greyBatch(int n, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                float v = r.nextFloat();
                for (int c = 0; c < 3; c++) {
                    x[((i * 3 + c) * h * w) + p] = v;
                }
            }
        }
        return x;
    }

    @Test
    void brightnessAndContrastAreTorchvisionsBlends() {
        try (Scope s = Scope.open()) {
            int n = 2;
            int h = 5;
            int w = 7;
            float[] x = greyBatch(n, h, w, 1);
            Tensor t = Tensors.floats(x, n, 3, h, w);
            double f = 1.37;
            float[] b = Tensors.toFloats(SslAugmentation.brightness(t, f));
            float[] c = Tensors.toFloats(SslAugmentation.contrast(t, 0.41));
            int plane = h * w;
            for (int i = 0; i < n; i++) {
                double mean = 0;
                for (int p = 0; p < plane; p++) {          // grey = 0.2989 r + 0.587 g + 0.114 b of equal channels
                    int k = i * 3 * plane + p;
                    mean += 0.2989 * x[k] + 0.587 * x[k + plane] + 0.114 * x[k + 2 * plane];
                }
                mean /= plane;
                for (int k = i * 3 * plane; k < (i + 1) * 3 * plane; k++) {
                    assertEquals(Math.min(1, Math.max(0, f * x[k])), b[k], 1e-6, "brightness " + k);
                    assertEquals(Math.min(1, Math.max(0, 0.41 * x[k] + 0.59 * mean)), c[k], 1e-6, "contrast " + k);
                }
            }
        }
    }

    @Test
    void blurIsTheGaussianKernelWithReflectPadding() {
        try (Scope s = Scope.open()) {
            int h = 9;
            int w = 11;
            int k = 5;
            double sigma = 1.3;
            float[] x = greyBatch(1, h, w, 2);
            float[] got = Tensors.toFloats(SslAugmentation.blur(Tensors.floats(x, 1, 3, h, w), k, sigma));
            double[] g = new double[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double d = i - (k - 1) / 2.0;
                g[i] = Math.exp(-0.5 * d * d / (sigma * sigma));
                sum += g[i];
            }
            for (int i = 0; i < k; i++) {
                g[i] /= sum;
            }
            int r = k / 2;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double v = 0;
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                int yy = reflect(y + dy, h);
                                int xs = reflect(xx + dx, w);
                                v += g[dy + r] * g[dx + r] * x[(c * h + yy) * w + xs];
                            }
                        }
                        assertEquals(v, got[(c * h + y) * w + xx], 2e-6, "pixel " + c + "," + y + "," + xx);
                    }
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }

    @Test
    void cropFlipAndNormaliseWithoutPhotometricStepsAreExact() {
        try (Scope s = Scope.open()) {
            int h = 8;
            float[] x = greyBatch(2, h, h, 3);
            Tensor t = Tensors.floats(x, 2, 3, h, h);
            SslAugmentation aug = new SslAugmentation(4, 0.5, 0.5);
            // A 4x4 crop at (2, 1) resized to 4x4 is the crop itself; then flipped and normalised.
            SslAugmentation.Params p = new SslAugmentation.Params(new AugmentationParams.Crop(2, 1, 4, 4), false, false,
                    1, 1, true, 0);
            float[] got = Tensors.toFloats(aug.applyShared(t, p));
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 4; y++) {
                        for (int xx = 0; xx < 4; xx++) {
                            float src = x[((i * 3 + c) * h + 2 + y) * h + 1 + (3 - xx)];
                            assertEquals((src - 0.5) / 0.5, got[((i * 3 + c) * 4 + y) * 4 + xx], 1e-6);
                        }
                    }
                }
            }
            // A 2x2 crop upsampled to 4x4 (bilinear, half-pixel centres, no antialias): the first output row
            // interpolates at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
            SslAugmentation.Params up = new SslAugmentation.Params(new AugmentationParams.Crop(0, 0, 2, 2), false,
                    false, 1, 1, false, 0);
            float[] u = Tensors.toFloats(new SslAugmentation(4, 0, 1).applyShared(t, up));
            float a = x[0];
            float b = x[1];
            double[] row = {a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b};
            for (int xx = 0; xx < 4; xx++) {
                assertEquals(row[xx], u[xx], 1e-6, "upsampled column " + xx);
            }
        }
    }

    @Test
    void sharedParametersEqualPerSampleWithTheSameParameters() {
        try (Scope s = Scope.open()) {
            Tensor t = Tensors.floats(greyBatch(3, 16, 16, 4), 3, 3, 16, 16);
            SslAugmentation aug = new SslAugmentation(12, 0.5, 0.5);
            SslAugmentation.Params p = aug.sample(16, 16, new SplittableRandom(7));
            float[] shared = Tensors.toFloats(aug.applyShared(t, p));
            float[] each = Tensors.toFloats(aug.applyPerSample(t, Collections.nCopies(3, p)));
            assertArrayEquals(shared, each, 1e-6f);
            List<SslAugmentation.Params> different = aug.sample(3, 16, 16, new SplittableRandom(8));
            float[] per = Tensors.toFloats(aug.applyPerSample(t, different));
            float[] first = Tensors.toFloats(aug.applyShared(t.narrow(0, 0, 1), different.get(0)));
            for (int i = 0; i < first.length; i++) {
                assertEquals(first[i], per[i], 1e-6f);
            }
        }
    }

    @Test
    void parametersFollowTheTransformsDistributions() {
        SslAugmentation aug = new SslAugmentation(224, 0.5, 0.5);
        assertEquals(23, aug.kernelSize());
        assertEquals(3, new SslAugmentation(32, 0.5, 0.5).kernelSize());
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 20_000;
        int jitter = 0;
        int flips = 0;
        int blurs = 0;
        int brightFirst = 0;
        List<Double> areas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SslAugmentation.Params p = aug.sample(512, 512, rnd);
            AugmentationParams.Crop c = p.crop();
            assertTrue(c.top() >= 0 && c.left() >= 0 && c.top() + c.height() <= 512 && c.left() + c.width() <= 512);
            areas.add(c.areaFraction(512, 512));
            if (p.jitter()) {
                jitter++;
                brightFirst += p.brightnessFirst() ? 1 : 0;
                assertTrue(p.brightness() >= 0.2 && p.brightness() <= 1.8 && p.contrast() >= 0.2
                        && p.contrast() <= 1.8);
            } else {
                assertEquals(1.0, p.brightness());
            }
            flips += p.flip() ? 1 : 0;
            if (p.sigma() > 0) {
                blurs++;
                assertTrue(p.sigma() >= 0.1 && p.sigma() <= 2.0);
            }
        }
        assertEquals(0.8, jitter / (double) n, 0.015);
        assertEquals(0.5, brightFirst / (double) jitter, 0.015);
        assertEquals(0.5, flips / (double) n, 0.015);
        assertEquals(0.5, blurs / (double) n, 0.015);
        double minArea = areas.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double maxArea = areas.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(minArea >= 0.07 && minArea < 0.1 && maxArea > 0.9 && maxArea <= 1.0, minArea + " " + maxArea);
    }
}
