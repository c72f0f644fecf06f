package org.lovt.data.datasets.synthetic;

/**
 * Separable blurs on row-major square float images, over the whole image or a rectangle of it (a finding's layer is
 * zero outside its own small rectangle, so blurring just that is enough). Repeated box filters approximate a
 * Gaussian (three passes of radius r give sigma = sqrt(r (r + 1))) at a cost independent of the radius, which keeps
 * generation fast at any image size. Edges of the rectangle are clamped.
 */
final class Blur {
    private Blur() {}

    /**
     * The imaging system's blur: about 0.7 px at 224 px, scaled with the image size, so that edges are not aliased.
     * Applied to the anatomy and to each finding's layer separately (it is linear, so that equals blurring their
     * sum up to rounding), which lets the finding masks follow what is visible.
     */
    static void antialias(float[] img, int size) {
        antialias(img, size, 0, 0, size - 1, size - 1);
    }

    /**
     * {@link #antialias(float[], int)} of an image that is zero outside the rectangle [x0, x1] x [y0, y1]: only the
     * rectangle grown by the blur's reach is computed.
     */
    static void antialias(float[] img, int size, int x0, int y0, int x1, int y1) {
        double sigma = 0.7 * size / SyntheticCxr.DEFAULT_SIZE;
        int r = sigma < 1.2 ? 0 : (int) Math.max(1, Math.round(sigma / 1.2));
        int reach = r == 0 ? 1 : 3 * r + 1;
        int xa = Math.max(0, x0 - reach);
        int ya = Math.max(0, y0 - reach);
        int xb = Math.min(size - 1, x1 + reach);
        int yb = Math.min(size - 1, y1 + reach);
        if (r == 0) {
            binomial(img, size, xa, ya, xb, yb);
        } else {
            box(img, size, r, 3, xa, ya, xb, yb);
        }
    }

    /** {@code passes} passes of a (2r+1)-wide box filter along rows and then columns of a rectangle, in place. */
    static void box(float[] img, int size, int r, int passes, int x0, int y0, int x1, int y1) {
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        float[] line = new float[Math.max(w, h)];
        float[] out = new float[Math.max(w, h)];
        for (int p = 0; p < passes; p++) {
            for (int y = y0; y <= y1; y++) {
                System.arraycopy(img, y * size + x0, line, 0, w);
                boxLine(line, out, w, r);
                System.arraycopy(out, 0, img, y * size + x0, w);
            }
            for (int x = x0; x <= x1; x++) {
                for (int y = 0; y < h; y++) {
                    line[y] = img[(y0 + y) * size + x];
                }
                boxLine(line, out, h, r);
                for (int y = 0; y < h; y++) {
                    img[(y0 + y) * size + x] = out[y];
                }
            }
        }
    }

    private static void boxLine(float[] in, float[] out, int n, int r) {
        float inv = 1f / (2 * r + 1);
        float sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += in[clamp(i, n)];
        }
        for (int i = 0; i < n; i++) {
            out[i] = sum * inv;
            sum += in[clamp(i + r + 1, n)] - in[clamp(i - r, n)];
        }
    }

    /** One pass of the [1 2 1] / 4 binomial kernel (sigma ≈ 0.71 px) along rows and columns of a rectangle. */
    static void binomial(float[] img, int size, int x0, int y0, int x1, int y1) {
        int w = x1 - x0 + 1;
        float[] line = new float[w];
        for (int y = y0; y <= y1; y++) {
            int row = y * size + x0;
            System.arraycopy(img, row, line, 0, w);
            for (int x = 0; x < w; x++) {
                img[row + x] = 0.25f * line[Math.max(0, x - 1)] + 0.5f * line[x]
                        + 0.25f * line[Math.min(w - 1, x + 1)];
            }
        }
        // Columns, row by row (cache friendly): keep a copy of the previous input row.
        float[] prev = new float[w];
        float[] cur = new float[w];
        System.arraycopy(img, y0 * size + x0, prev, 0, w);
        for (int y = y0; y <= y1; y++) {
            int row = y * size + x0;
            System.arraycopy(img, row, cur, 0, w);
            int next = Math.min(y1, y + 1) * size + x0;
            for (int x = 0; x < w; x++) {
                img[row + x] = 0.25f * prev[x] + 0.5f * cur[x] + 0.25f * img[next + x];
            }
            float[] t = prev;
            prev = cur;
            cur = t;
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
