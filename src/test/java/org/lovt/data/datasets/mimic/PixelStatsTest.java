package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The statistics formula of spec lovt-data-eval §0 on hand-checkable numbers. */
class PixelStatsTest {
    private static final double EPS = 1e-15;

    @Test
    void imageMeanAndPopulationVarianceOfPixelsOver255() {
        PixelStats.MeanVar s = PixelStats.ofUint8(new byte[] {0, (byte) 255});
        assertEquals(0.5, s.mean(), EPS);
        assertEquals(0.25, s.variance(), EPS);
        assertEquals(0.5, s.std(), EPS);
        // 0, 51, 102 are 0, 0.2, 0.4: mean 0.2, variance (0.04 + 0 + 0.04) / 3
        PixelStats.MeanVar t = PixelStats.ofUint8(new byte[] {0, 51, 102});
        assertEquals(0.2, t.mean(), EPS);
        assertEquals(0.08 / 3, t.variance(), EPS);
        assertEquals(0.0, PixelStats.ofUint8(new byte[] {7, 7, 7}).variance(), 0.0);
    }

    @Test
    void poolingIsMeanOfMeansAndMeanOfVariancesPlusVarianceOfMeans() {
        // means 0.2 and 0.4 (mean 0.3, variance 0.01), variances 0.01 and 0.03 (mean 0.02): 0.03 in all
        PixelStats.MeanVar p = PixelStats.pool(new double[] {0.2, 0.4}, new double[] {0.01, 0.03});
        assertEquals(0.3, p.mean(), EPS);
        assertEquals(0.03, p.variance(), EPS);
        // one part: its own values; none: zeros (compute_pixel_stats of an empty split)
        PixelStats.MeanVar one = PixelStats.pool(new double[] {0.7}, new double[] {0.05});
        assertEquals(0.7, one.mean(), 0.0);
        assertEquals(0.05, one.variance(), 0.0);
        PixelStats.MeanVar none = PixelStats.pool(new double[0], new double[0]);
        assertEquals(0.0, none.mean(), 0.0);
        assertEquals(0.0, none.std(), 0.0);
    }

    @Test
    void poolingEqualSizedImagesGivesTheStatisticsOfAllTheirPixels() {
        Random r = new Random(1);
        byte[][] images = new byte[3][500];
        byte[] all = new byte[1500];
        double[] means = new double[3];
        double[] vars = new double[3];
        for (int i = 0; i < 3; i++) {
            r.nextBytes(images[i]);
            System.arraycopy(images[i], 0, all, 500 * i, 500);
            PixelStats.MeanVar s = PixelStats.ofUint8(images[i]);
            means[i] = s.mean();
            vars[i] = s.variance();
        }
        PixelStats.MeanVar pooled = PixelStats.pool(means, vars);
        PixelStats.MeanVar direct = PixelStats.ofUint8(all);
        assertEquals(direct.mean(), pooled.mean(), 1e-12);
        assertEquals(direct.variance(), pooled.variance(), 1e-12);
    }

    @Test
    void integerSumsStayExactForHugeImages() {
        // 20000 x 20000 pixels of 255 overflow count*sumSq in a long; the variance must still be exactly 0.
        long n = 20_000L * 20_000L;
        PixelStats.MeanVar s = PixelStats.ofUint8Sums(n, 255 * n, 255L * 255 * n);
        assertEquals(1.0, s.mean(), 0.0);
        assertEquals(0.0, s.variance(), 0.0);
    }
}
