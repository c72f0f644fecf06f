package org.lovt.data.image;

/** The synthetic test image of {@code golden/imgpipe/generate.py}: gradient, checkerboard edges and hash noise. */
final class SyntheticImage {
    private SyntheticImage() {}

    static GrayImage of(int w, int h) {
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 200) / w + (y * 50) / h;
                if ((x / 37 + y / 29) % 2 == 0) {
                    v = v / 2 + 100;
                }
                long mixed = ((long) x * 1103515245L + (long) y * 12345L + (long) x * y * 2654435761L) & 0xFFFFFFFFL;
                int n = (int) ((mixed >> 7) & 31);
                px[y * w + x] = (byte) Math.min(255, Math.max(0, v + n - 16));
            }
        }
        return new GrayImage(w, h, px);
    }

    /** A constant image. */
    static GrayImage constant(int w, int h, int value) {
        byte[] px = new byte[w * h];
        java.util.Arrays.fill(px, (byte) value);
        return new GrayImage(w, h, px);
    }
}
