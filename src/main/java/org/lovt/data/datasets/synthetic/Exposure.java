package org.lovt.data.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * Turns a density map into 8-bit pixels the way exposure and display processing vary between radiographs: a window
 * fitted to the film's own density range (as digital radiography's automatic windowing does) and then randomly
 * shifted and widened, a gamma, a gentle gradient across the film (heel effect, uneven exposure) and quantum noise.
 * The window is fitted to the anatomy before any finding is drawn, so findings never change it, and the random
 * variation is large, so that a finding cannot be told from the global brightness of an image.
 *
 * @param lo       density shown black
 * @param hi       density shown white
 * @param gamma    exponent applied to the windowed value
 * @param noise    noise amplitude in density units (about one standard deviation)
 * @param gradient density added from one side of the image to the other
 * @param angle    direction of that gradient (radians)
 */
record Exposure(double lo, double hi, double gamma, double noise, double gradient, double angle) {
    private static final int LUT = 1024;

    /** A random exposure for an image whose density before findings is {@code anatomy}. */
    static Exposure sample(SplittableRandom r, Raster anatomy) {
        double[] p = percentiles(anatomy.a, 0.01, 0.995);
        double span = p[1] - p[0];
        double lo = p[0] + Anatomy.uniform(r, -0.12, 0.08) * span;
        double hi = p[1] + Anatomy.uniform(r, -0.08, 0.3) * span;
        return new Exposure(lo, hi, Anatomy.uniform(r, 0.75, 1.35), Anatomy.uniform(r, 0.008, 0.022),
                Anatomy.uniform(r, -0.06, 0.06), Anatomy.uniform(r, 0, 2 * Math.PI));
    }

    /** Two quantiles of the values, from a histogram of every third pixel (bins of 0.002 over [-0.2, 1.4]). */
    private static double[] percentiles(float[] a, double q0, double q1) {
        int bins = 800;
        double lo = -0.2;
        double width = 0.002;
        int[] hist = new int[bins];
        int n = 0;
        for (int i = 0; i < a.length; i += 3) {
            int b = (int) ((a[i] - lo) / width);
            hist[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
            n++;
        }
        double[] out = new double[2];
        double[] qs = {q0, q1};
        for (int k = 0; k < 2; k++) {
            long target = (long) Math.ceil(qs[k] * n);
            long cum = 0;
            int b = 0;
            while (b < bins - 1 && cum + hist[b] < target) {
                cum += hist[b++];
            }
            out[k] = lo + (b + 0.5) * width;
        }
        return out;
    }

    /** The 8-bit image of {@code density}; {@code r} supplies the noise. */
    byte[] apply(Raster density, SplittableRandom r) {
        int size = density.size;
        byte[] lut = new byte[LUT];
        for (int i = 0; i < LUT; i++) {
            double t = i / (LUT - 1.0);
            lut[i] = (byte) (int) Math.floor(255 * StrictMath.pow(t, gamma) + 0.5);
        }
        double gx = StrictMath.cos(angle) * gradient / size;
        double gy = StrictMath.sin(angle) * gradient / size;
        double scale = (LUT - 1) / (hi - lo);
        // Noise: the sum of three 10-bit uniforms in [0, 1] minus 1.5 is near-Gaussian with sd 0.5; one 64-bit
        // draw serves two pixels.
        double k = 2 * noise / 1023.0;
        byte[] out = new byte[size * size];
        float[] a = density.a;
        long bits = 0;
        for (int y = 0; y < size; y++) {
            double rowOffset = (y - size / 2.0) * gy - size / 2.0 * gx - lo;
            int row = y * size;
            for (int x = 0; x < size; x++) {
                if (((row + x) & 1) == 0) {
                    bits = r.nextLong();
                } else {
                    bits >>>= 30;
                }
                int sum = (int) (bits & 1023) + (int) ((bits >>> 10) & 1023) + (int) ((bits >>> 20) & 1023);
                double d = a[row + x] + rowOffset + x * gx + k * (sum - 1534.5);
                double t = d * scale;
                int idx = t <= 0 ? 0 : t >= LUT - 1 ? LUT - 1 : (int) (t + 0.5);
                out[row + x] = lut[idx];
            }
        }
        return out;
    }
}
