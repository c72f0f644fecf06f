package org.lovt.data.datasets.synthetic;

/**
 * An axis-aligned pixel box: columns {@code x .. x+w-1}, rows {@code y .. y+h-1} (COCO-style x, y, w, h).
 *
 * @param x left column
 * @param y top row
 * @param w width in pixels (≥ 1)
 * @param h height in pixels (≥ 1)
 */
public record Box(int x, int y, int w, int h) {
    public Box {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("box must be at least 1x1, got " + w + "x" + h);
        }
    }

    /** Whether pixel (px, py) lies in the box. */
    public boolean contains(int px, int py) {
        return px >= x && px < x + w && py >= y && py < y + h;
    }

    /** Whether every pixel of {@code other} lies in this box. */
    public boolean contains(Box other) {
        return other.x >= x && other.y >= y && other.x + other.w <= x + w && other.y + other.h <= y + h;
    }

    /** The tight box around the non-zero pixels of a row-major {@code size x size} mask, or null if it is empty. */
    public static Box ofMask(byte[] mask, int size) {
        int x0 = size, y0 = size, x1 = -1, y1 = -1;
        for (int y = 0; y < size; y++) {
            int row = y * size;
            for (int x = 0; x < size; x++) {
                if (mask[row + x] != 0) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    y1 = y;
                }
            }
        }
        return x1 < 0 ? null : new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** {@code [x, y, w, h]}, the ground-truth file format. */
    public int[] toArray() {
        return new int[] {x, y, w, h};
    }
}
