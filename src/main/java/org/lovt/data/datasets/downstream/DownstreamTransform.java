package org.lovt.data.datasets.downstream;

import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.data.image.AugmentationParams;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanImage;
import org.lovt.data.image.ScanTransform;

/**
 * The downstream tasks' deterministic input pipeline ({@code ScanDataTransform} with {@code augment: false} and
 * {@code val_resize_mode: pad}, spec lovt-data-eval.md §3.2), the same for train, validation and test:
 * <ol>
 *   <li>masks whose size differs from the image's are resized to it with Pillow's NEAREST;</li>
 *   <li>PadToSquare: with M = max(W, H), {@code int((M - W) / 2)} zero columns left and right and
 *       {@code int((M - H) / 2)} zero rows top and bottom (one pixel short of square when the difference is odd, as
 *       in the original); boxes move by the left and top padding;</li>
 *   <li>Resize to {@code size x size}: the image with Pillow's anti-aliased bilinear (the validation path of
 *       {@link ScanTransform}, bit-exact to Pillow), the masks with Pillow's NEAREST ({@link #nearest}); boxes scale
 *       x and w by {@code size / W'}, y and h by {@code size / H'} (W', H' the padded size);</li>
 *   <li>ToTensor and Normalize: {@code ((v / 255) - mean) / std} in float32 with the train split's statistics; one
 *       channel (the model side expands it to three).</li>
 * </ol>
 * Immutable and thread-safe.
 */
final class DownstreamTransform {
    private final int size;
    private final ScanTransform pad;
    private final float[] lut = new float[256];

    DownstreamTransform(int size, double mean, double std) {
        if (size < 1) {
            throw new LovtException("input size must be positive, got " + size);
        }
        this.size = size;
        this.pad = ScanTransform.validation(ScanAugmentationConfig.forValidation(
                ScanAugmentationConfig.ValResizeMode.PAD), size, mean, std);
        float m = (float) mean;
        float s = (float) std;
        for (int v = 0; v < 256; v++) {
            lut[v] = ((float) v / 255f - m) / s;
        }
    }

    /**
     * The transformed sample.
     *
     * @param image {@code size * size} normalised floats
     * @param boxes {@code n * 4}: x, y, w, h in the {@code size x size} frame
     * @param masks per target {@code size * size} bytes 0/1
     */
    record Result(float[] image, float[] boxes, List<byte[]> masks) {}

    /**
     * @param boxes x, y, w, h per box in image pixels (top-left corner and size), concatenated
     * @param masks 0/1 masks, any size (resized to the image first)
     */
    Result apply(GrayImage image, double[] boxes, List<GrayImage> masks) {
        int w = image.width();
        int h = image.height();
        int m = Math.max(w, h);
        int hp = (m - w) / 2;
        int vp = (m - h) / 2;
        int pw = w + 2 * hp;
        int ph = h + 2 * vp;

        GrayImage resized = pad.augment(ScanImage.of(image), AugmentationParams.NONE);
        byte[] px = resized.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = lut[px[i] & 0xFF];
        }

        double sx = (double) size / pw;
        double sy = (double) size / ph;
        float[] b = new float[boxes.length];
        for (int i = 0; i < boxes.length; i += 4) {
            b[i] = (float) ((boxes[i] + hp) * sx);
            b[i + 1] = (float) ((boxes[i + 1] + vp) * sy);
            b[i + 2] = (float) (boxes[i + 2] * sx);
            b[i + 3] = (float) (boxes[i + 3] * sy);
        }

        List<byte[]> ms = new ArrayList<>(masks.size());
        for (GrayImage mask : masks) {
            GrayImage fitted = mask.width() == w && mask.height() == h ? mask : nearest(mask, w, h);
            ms.add(nearest(fitted.pad(hp, vp, hp, vp), size, size).pixels());
        }
        return new Result(out, b, ms);
    }

    /**
     * Pillow's {@code resize(size, NEAREST)} ({@code ImagingScaleAffine}, Pillow ≥ 4): the source column of output
     * column x is {@code (int) xo} with {@code xo} starting at {@code 0.5 * inW / outW} and advanced by
     * {@code inW / outW} in double precision per column (an accumulated sum, not {@code (x + 0.5) * scale}), rows
     * likewise. Pixel centres are sampled, as OpenCV's {@code INTER_NEAREST_EXACT} does; same-size input is copied.
     */
    static GrayImage nearest(GrayImage in, int outW, int outH) {
        if (in.width() == outW && in.height() == outH) {
            return in;
        }
        double a0 = (double) in.width() / outW;
        double a4 = (double) in.height() / outH;
        int[] xin = new int[outW];
        double xo = a0 * 0.5;
        for (int x = 0; x < outW; x++) {
            xin[x] = Math.min(in.width() - 1, (int) xo);
            xo += a0;
        }
        byte[] src = in.pixels();
        byte[] out = new byte[outW * outH];
        double yo = a4 * 0.5;
        for (int y = 0; y < outH; y++) {
            int row = Math.min(in.height() - 1, (int) yo) * in.width();
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = src[row + xin[x]];
            }
            yo += a4;
        }
        return new GrayImage(outW, outH, out);
    }
}
