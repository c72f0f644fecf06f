package org.lovt.data.datasets.synthetic;

/**
 * Separable blurs on row-major square float images. Repeated box filters approximate a Gaussian (three passes of
 * radius r give sigma = sqrt(r (r + 1))) at a cost independent of the radius, which keeps generation fast at any
 * image size. Edges are clamped.
 */
final class Blur {
    private Blur() {}

    /** {@code passes} passes of a (2r+1)-wide box filter along rows and then columns, in place. */
    static void box(float[] img, int size, int r, int passes) {
        if (r <= 0) {
            return;
        }
        float[] line = new float[size];
        float[] out = new float[size];
        for (int p = 0; p < passes; p++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(img, y * size, line, 0, size);
                boxLine(line, out, size, r);
                System.arraycopy(out, 0, img, y * size, size);
            }
            for (int x = 0; x < size; x++) {
                for (int y = 0; y < size; y++) {
                    line[y] = img[y * size + x];
                }
                boxLine(line, out, size, r);
                for (int y = 0; y < size; y++) {
                    img[y * size + x] = out[y];
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

    /** One pass of the [1 2 1] / 4 binomial kernel along rows and columns (sigma ≈ 0.71 px), in place. */
    static void binomial(float[] img, int size) {
        float[] line = new float[size];
        for (int y = 0; y < size; y++) {
            int row = y * size;
            System.arraycopy(img, row, line, 0, size);
            for (int x = 0; x < size; x++) {
                img[row + x] = 0.25f * line[Math.max(0, x - 1)] + 0.5f * line[x]
                        + 0.25f * line[Math.min(size - 1, x + 1)];
            }
        }
        // Columns, row by row (cache friendly): keep a copy of the previous input row.
        float[] prev = new float[size];
        float[] cur = new float[size];
        System.arraycopy(img, 0, prev, 0, size);
        for (int y = 0; y < size; y++) {
            int row = y * size;
            System.arraycopy(img, row, cur, 0, size);
            int next = Math.min(size - 1, y + 1) * size;
            for (int x = 0; x < size; x++) {
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
