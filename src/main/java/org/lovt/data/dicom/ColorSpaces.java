package org.lovt.data.dicom;

/** Colour conversions with pydicom's arithmetic, so that converted arrays match pydicom's bit for bit. */
final class ColorSpaces {
    private ColorSpaces() {}

    // pydicom's YBR_FULL -> RGB matrix (float32), rows are the Y, Cb, Cr contributions.
    private static final float CB_G = (float) (-0.114 * 1.772 / 0.587);
    private static final float CR_G = (float) (-0.299 * 1.402 / 0.587);
    private static final float CB_B = 1.772f;
    private static final float CR_R = 1.402f;

    /**
     * Interleaved Y, Cb, Cr bytes to R, G, B: {@code floor(dot([y, cb-128, cr-128], M) + 0.5)} clipped to 0..255, in
     * float32 like numpy. The zero terms of the matrix are kept so that every sum has numpy's operands.
     */
    static void ybrFullToRgbInPlace(byte[] px) {
        for (int i = 0; i + 2 < px.length; i += 3) {
            float y = px[i] & 0xFF;
            float cb = (px[i + 1] & 0xFF) - 128f;
            float cr = (px[i + 2] & 0xFF) - 128f;
            float r = y * 1f + cb * 0f + cr * CR_R;
            float g = y * 1f + cb * CB_G + cr * CR_G;
            float b = y * 1f + cb * CB_B + cr * 0f;
            px[i] = clip(r);
            px[i + 1] = clip(g);
            px[i + 2] = clip(b);
        }
    }

    private static byte clip(float v) {
        float f = (float) Math.floor(v + 0.5f);
        return (byte) Math.max(0, Math.min(255, (int) f));
    }
}
