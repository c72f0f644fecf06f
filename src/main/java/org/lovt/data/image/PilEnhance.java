package org.lovt.data.image;

/**
 * Pillow's {@code ImageEnhance.Brightness} and {@code ImageEnhance.Contrast} on mode {@code L} images, which is
 * what torchvision 0.11's {@code adjust_brightness}/{@code adjust_contrast} call for PIL images.
 *
 * <p>Both are {@code Image.blend(degenerate, img, factor)}: {@code out = in1 + factor * (in2 − in1)} evaluated in
 * float32 and <b>truncated</b> to uint8 (not rounded), clipped to [0, 255] only when the factor lies outside
 * [0, 1] ({@code libImaging/Blend.c}); factor 0 and 1 copy. The degenerate image is black for brightness and the
 * uniform image of the rounded mean gray level ({@code int(mean + 0.5)}) for contrast.
 */
final class PilEnhance {
    private PilEnhance() {}

    /** {@code ImageEnhance.Brightness(img).enhance(factor)}. */
    public static GrayImage brightness(GrayImage img, double factor) {
        return blendWithConstant(img, 0, (float) factor);
    }

    /** {@code ImageEnhance.Contrast(img).enhance(factor)}. */
    public static GrayImage contrast(GrayImage img, double factor) {
        return blendWithConstant(img, roundedMean(img), (float) factor);
    }

    /** {@code int(ImageStat.Stat(img).mean[0] + 0.5)}: the histogram mean rounded half up. */
    public static int roundedMean(GrayImage img) {
        long sum = 0;
        for (byte b : img.pixels()) {
            sum += b & 0xFF;
        }
        // Pillow sums j * h[j] in a double; the integer sum is exact and so is its conversion for any real image.
        double mean = (double) sum / img.size();
        return (int) (mean + 0.5);
    }

    /** {@code ImagingBlend(constant image, img, alpha)} with alpha as the C float Pillow receives. */
    static GrayImage blendWithConstant(GrayImage img, int constant, float alpha) {
        if (alpha == 0.0f) {
            byte[] out = new byte[img.size()];
            java.util.Arrays.fill(out, (byte) constant);
            return new GrayImage(img.width(), img.height(), out);
        }
        if (alpha == 1.0f) {
            return new GrayImage(img.width(), img.height(), img.pixels().clone());
        }
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        if (alpha >= 0 && alpha <= 1.0f) {
            for (int i = 0; i < in.length; i++) {
                out[i] = (byte) (int) (constant + alpha * ((in[i] & 0xFF) - constant));
            }
        } else {
            for (int i = 0; i < in.length; i++) {
                float temp = constant + alpha * ((in[i] & 0xFF) - constant);
                out[i] = temp <= 0.0f ? 0 : temp >= 255.0f ? (byte) 255 : (byte) (int) temp;
            }
        }
        return new GrayImage(img.width(), img.height(), out);
    }
}
