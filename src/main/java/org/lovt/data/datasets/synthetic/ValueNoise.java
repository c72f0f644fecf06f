package org.lovt.data.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * Smooth random texture: uniform random values on a coarse grid, interpolated with a smoothstep. Used for the lung
 * parenchyma, exposure unevenness and the patchy inside of opacities. No transcendental functions, so it is fast
 * and bit-reproducible.
 */
final class ValueNoise {
    private ValueNoise() {}

    /**
     * A {@code size x size} image of noise in [-1, 1] whose features are about {@code size / cells} pixels wide.
     */
    static float[] fill(SplittableRandom rng, int size, int cells) {
        return fill(rng, size, cells, 0, 0, size - 1, size - 1);
    }

    /**
     * The same noise field, computed only inside the pixel rectangle [x0, x1] x [y0, y1] (zero elsewhere). The random
     * grid does not depend on the rectangle, so the values inside it are those of the full image.
     */
    static float[] fill(SplittableRandom rng, int size, int cells, int x0, int y0, int x1, int y1) {
        int g = cells + 1;
        float[] grid = new float[g * g];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] out = new float[size * size];
        double scale = (double) cells / size;
        float[] w = new float[size];
        int[] cell = new int[size];
        for (int x = 0; x < size; x++) {
            double gx = (x + 0.5) * scale;
            int i = Math.min(cells - 1, (int) gx);
            cell[x] = i;
            w[x] = smooth(gx - i);
        }
        int xa = Math.max(0, x0);
        int xb = Math.min(size - 1, x1);
        for (int y = Math.max(0, y0); y <= Math.min(size - 1, y1); y++) {
            int j = cell[y];
            float wy = w[y];
            int row = y * size;
            int top = j * g;
            int bottom = top + g;
            for (int x = xa; x <= xb; x++) {
                int i = cell[x];
                float wx = w[x];
                float t = grid[top + i] + wx * (grid[top + i + 1] - grid[top + i]);
                float b = grid[bottom + i] + wx * (grid[bottom + i + 1] - grid[bottom + i]);
                out[row + x] = t + wy * (b - t);
            }
        }
        return out;
    }

    private static float smooth(double t) {
        return (float) (t * t * (3 - 2 * t));
    }
}
