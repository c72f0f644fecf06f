package org.lovt.data.datasets.prepare;

/**
 * An 8-bit single-channel image, row-major without padding.
 *
 * @param width  columns
 * @param height rows
 * @param pixels {@code width * height} bytes (unsigned values); held, not copied
 */
public record Gray8(int width, int height, byte[] pixels) {

    public Gray8 {
        if (width <= 0 || height <= 0 || (long) width * height != pixels.length) {
            throw new IllegalArgumentException(width + " x " + height + " image with " + pixels.length + " bytes");
        }
    }

    /** The unsigned value at (row, column). */
    public int get(int row, int col) {
        return pixels[row * width + col] & 0xFF;
    }
}
