package org.lovt.data.datasets.prepare;

/**
 * An 8-bit image as OpenCV decoded it: 1 channel (grey), 3 (BGR) or 4 (BGRA), interleaved, row-major.
 *
 * @param width    columns
 * @param height   rows
 * @param channels 1, 3 or 4
 * @param data     {@code width * height * channels} bytes
 */
public record DecodedImage(int width, int height, int channels, byte[] data) {

    /**
     * Pillow's {@code convert('L')} (Pillow ≥ 7): grey stays as it is; colour becomes
     * {@code (R*19595 + G*38470 + B*7471 + 0x8000) >> 16}, alpha ignored. This is not OpenCV's BGR2GRAY, whose
     * fixed-point weights differ by one grey level on some colours.
     */
    public Gray8 toPilLuminance() {
        int n = width * height;
        if (channels == 1) {
            return new Gray8(width, height, data);
        }
        byte[] out = new byte[n];
        for (int i = 0, p = 0; i < n; i++, p += channels) {
            int b = data[p] & 0xFF;
            int g = data[p + 1] & 0xFF;
            int r = data[p + 2] & 0xFF;
            out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return new Gray8(width, height, out);
    }

    /**
     * The COVID conversion {@code np.mean(rgb / 255., axis=-1)} as levels: the level is R + G + B (0..765) with
     * value {@code level / 765.0}. (numpy sums the three quotients, which can differ from this value in the last
     * bit; the effect on the 8-bit result is at most one grey level on rare pixels.) A grey image counts as R = G = B,
     * as Pillow's RGB conversion would make it.
     */
    public LevelImage toChannelMean() {
        int n = width * height;
        int[] levels = new int[n];
        for (int i = 0, p = 0; i < n; i++, p += channels) {
            if (channels == 1) {
                levels[i] = 3 * (data[p] & 0xFF);
            } else {
                levels[i] = (data[p] & 0xFF) + (data[p + 1] & 0xFF) + (data[p + 2] & 0xFF);
            }
        }
        double[] value = new double[766];
        for (int l = 0; l < value.length; l++) {
            value[l] = l / 765.0;
        }
        return new LevelImage(width, height, levels, value);
    }
}
