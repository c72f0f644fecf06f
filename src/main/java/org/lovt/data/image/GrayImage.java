package org.lovt.data.image;

import java.util.Arrays;

import org.lovt.LovtException;

/**
 * An 8-bit single-channel image in Java memory (PIL mode {@code L}): row-major, {@code pixels[y * width + x]},
 * unsigned values stored in signed bytes.
 *
 * <p>Every augmentation step works on this type, so that the whole transform runs in plain Java (no native
 * memory to free, no scope to manage) and gives the same bytes on every machine.
 *
 * @param width  columns (≥ 1)
 * @param height rows (≥ 1)
 * @param pixels exactly {@code width * height} bytes; not copied, callers must not share a mutable array
 */
public record GrayImage(int width, int height, byte[] pixels) {

    public GrayImage {
        if (width < 1 || height < 1) {
            throw new LovtException("image size must be positive, got " + width + " x " + height);
        }
        if (pixels == null || pixels.length != (long) width * height) {
            throw new LovtException("a " + width + " x " + height + " image needs " + ((long) width * height)
                    + " pixels, got " + (pixels == null ? "none" : pixels.length));
        }
    }

    /** A black image. */
    public static GrayImage zeros(int width, int height) {
        return new GrayImage(width, height, new byte[Math.multiplyExact(width, height)]);
    }

    /** The gray level (0..255) at column {@code x}, row {@code y}. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }

    /** Pixel count. */
    public int size() {
        return pixels.length;
    }

    /** The sub-image of {@code w x h} pixels whose top-left corner is ({@code left}, {@code top}); must lie inside. */
    public GrayImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || w < 1 || h < 1 || left + w > width || top + h > height) {
            throw new LovtException("crop " + w + " x " + h + " at (" + left + ", " + top + ") is outside a "
                    + width + " x " + height + " image");
        }
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(pixels, (top + y) * width + left, out, y * w, w);
        }
        return new GrayImage(w, h, out);
    }

    /** This image with {@code left}/{@code right} black columns and {@code top}/{@code bottom} black rows added. */
    public GrayImage pad(int left, int top, int right, int bottom) {
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new LovtException("negative padding");
        }
        if (left == 0 && top == 0 && right == 0 && bottom == 0) {
            return this;
        }
        int w = width + left + right;
        int h = height + top + bottom;
        byte[] out = new byte[Math.multiplyExact(w, h)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, out, (top + y) * w + left, width);
        }
        return new GrayImage(w, h, out);
    }

    /** Whether both images have the same size and pixels. */
    public boolean contentEquals(GrayImage other) {
        return width == other.width && height == other.height && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && contentEquals(g);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + " x " + height + "]";
    }
}
