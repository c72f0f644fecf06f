package org.lovt.data.datasets.prepare;

/**
 * A grey image whose pixels are indices into a table of level values: an 8-bit image with levels
 * {@code v / 255.0}, a DICOM with its stored values divided by 255, an RGB image with its channel sums. This is the
 * shape in which the original's float images are equalised and measured exactly and fast.
 *
 * @param width  columns
 * @param height rows
 * @param levels row-major level index per pixel
 * @param value  the float value of each level, strictly increasing
 */
public record LevelImage(int width, int height, int[] levels, double[] value) {

    public LevelImage {
        if ((long) width * height != levels.length) {
            throw new IllegalArgumentException(width + " x " + height + " image with " + levels.length + " pixels");
        }
    }

    /** An 8-bit grey image as the original reads it: {@code np.array(img, dtype=float) / 255.}. */
    public static LevelImage ofUint8(Gray8 img) {
        byte[] px = img.pixels();
        int[] levels = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            levels[i] = px[i] & 0xFF;
        }
        return new LevelImage(img.width(), img.height(), levels, uint8Values());
    }

    /** {@code v / 255.0} for v in 0..255. */
    public static double[] uint8Values() {
        double[] v = new double[256];
        for (int i = 0; i < 256; i++) {
            v[i] = i / 255.0;
        }
        return v;
    }

    /** Pixels per level. */
    public long[] counts() {
        long[] c = new long[value.length];
        for (int l : levels) {
            c[l]++;
        }
        return c;
    }

    /** Mean and variance of the image as it is. */
    public ImageStats stats() {
        return ImageStats.ofLevels(value, counts());
    }

    /**
     * {@code equalize_hist}, then the 8-bit image the original stores ({@code (255 * out).astype(uint8)}) and the
     * statistics of the float result.
     */
    public Result equalized() {
        long[] counts = counts();
        double[] out = HistogramEqualization.equalize(value, counts);
        byte[] lut = new byte[out.length];
        for (int l = 0; l < out.length; l++) {
            lut[l] = (byte) HistogramEqualization.toUint8(out[l]);
        }
        byte[] px = new byte[levels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = lut[levels[i]];
        }
        return new Result(new Gray8(width, height, px), ImageStats.ofLevels(out, counts));
    }

    /**
     * An image ready to store and its statistics.
     *
     * @param image the 8-bit image to write
     * @param stats mean and variance of the float image it was cast from
     */
    public record Result(Gray8 image, ImageStats stats) {}
}
