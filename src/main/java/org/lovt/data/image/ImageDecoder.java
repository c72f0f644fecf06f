package org.lovt.data.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lovt.LovtException;

/**
 * Decodes image files (JPEG, PNG, …) to 8-bit grayscale with OpenCV's {@code imdecode} ({@link OpenCvCodec}, which
 * releases every native object before returning); the result lives in Java memory.
 *
 * <p>Differences from the original's {@code PIL.Image.open(path)} (mode {@code L} for MIMIC-CXR-JPG):
 * <ul>
 *   <li>EXIF orientation is ignored ({@code IMREAD_IGNORE_ORIENTATION}), as PIL's {@code open} does; OpenCV would
 *       otherwise rotate.</li>
 *   <li>Grayscale JPEGs decode through libjpeg-turbo with the same default (islow) IDCT as Pillow's libjpeg, so the
 *       pixels agree: every sample JPEG decodes to Pillow 9.4's bytes (all 137 of the full sample; the 24 in
 *       {@code testdata/} in {@code ImageDecoderTest}).</li>
 *   <li>A colour file (none in the pre-training data) is converted to gray with OpenCV's BT.601 luma; the original
 *       would have kept it RGB.</li>
 *   <li>Truncated JPEGs (the original sets {@code LOAD_TRUNCATED_IMAGES}): OpenCV refuses them, so a JPEG without
 *       its EOI marker that fails is decoded again with one appended; libjpeg then leaves the missing blocks
 *       mid-gray, byte-identical to Pillow on the tested sample (first 60 % of a file).</li>
 * </ul>
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Decodes the file at {@code path} to grayscale. */
    public static GrayImage decodeGray(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new LovtException("cannot read image " + path + ": " + e, e);
        }
        return decodeGray(bytes, path.toString());
    }

    /** Decodes encoded image bytes to grayscale; {@code what} names the source in errors. */
    public static GrayImage decodeGray(byte[] encoded, String what) {
        return decodeGray(encoded, what, 1);
    }

    /**
     * The largest libjpeg scale-down factor (1, 2, 4 or 8) that keeps both sides of a {@code width × height} JPEG at
     * least {@code minSide}: with it, {@link #decodeReduced} still yields at least {@code minSide} pixels per side.
     */
    public static int reductionFactor(int width, int height, int minSide) {
        int f = 8;
        while (f > 1 && Math.min(width, height) / f < minSide) {
            f /= 2;
        }
        return f;
    }

    /**
     * A JPEG decoded at a reduced resolution by libjpeg's DCT scaling (OpenCV's {@code IMREAD_REDUCED_GRAYSCALE_*}),
     * the largest factor of 2, 4 or 8 that keeps the shorter side at least {@code minShortSide}; the result records
     * the full size from the file's header. Pixels differ from an exact decode followed by an anti-aliased resize
     * (see {@link ImageCache}); files that are not JPEGs, or too small to reduce, are decoded exactly.
     */
    public static ScanImage decodeReduced(Path path, int minShortSide) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new LovtException("cannot read image " + path + ": " + e, e);
        }
        long[] size = OpenCvCodec.isJpeg(bytes) ? OpenCvCodec.jpegSize(bytes) : null;
        if (size == null || size[0] < 1 || size[1] < 1 || size[0] > 65535 || size[1] > 65535) {
            return ScanImage.of(decodeGray(bytes, path.toString()));
        }
        int fw = (int) size[0];
        int fh = (int) size[1];
        int f = reductionFactor(fw, fh, minShortSide);
        GrayImage img = decodeGray(bytes, path.toString(), f);
        if (f == 1) {
            return ScanImage.of(img);
        }
        int ew = (fw + f - 1) / f;
        int eh = (fh + f - 1) / f;
        if (img.width() != ew || img.height() != eh) {
            throw new LovtException("cannot decode image " + path + ": its header says " + fw + " x " + fh
                    + " but the 1/" + f + " decode is " + img.width() + " x " + img.height() + " instead of " + ew
                    + " x " + eh);
        }
        return new ScanImage(img, fw, fh);
    }

    private static GrayImage decodeGray(byte[] encoded, String what, int reduction) {
        if (encoded.length == 0) {
            throw new LovtException("cannot decode image " + what + ": the file is empty");
        }
        GrayImage img = decodeOrNull(encoded, what, reduction);
        if (img == null && isTruncatedJpeg(encoded)) {
            // OpenCV rejects a JPEG that ends before its EOI marker; Pillow with LOAD_TRUNCATED_IMAGES (set by the
            // original) decodes what is there. With an EOI appended libjpeg does the same: the missing blocks get
            // zero coefficients (mid-gray), as Pillow's are.
            byte[] closed = java.util.Arrays.copyOf(encoded, encoded.length + 2);
            closed[encoded.length] = (byte) 0xFF;
            closed[encoded.length + 1] = (byte) 0xD9;
            img = decodeOrNull(closed, what, reduction);
        }
        if (img == null) {
            throw new LovtException("cannot decode image " + what + ": not a supported image or corrupt");
        }
        return img;
    }

    private static boolean isTruncatedJpeg(byte[] b) {
        int n = b.length;
        return n > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8
                && !((b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == 0xD9);
    }

    /** OpenCV's decode (at 1/{@code reduction} for 2, 4, 8), or null when OpenCV returns no image. */
    private static GrayImage decodeOrNull(byte[] encoded, String what, int reduction) {
        int mode = switch (reduction) {
            case 1 -> IMREAD_GRAYSCALE;
            case 2 -> IMREAD_REDUCED_GRAYSCALE_2;
            case 4 -> IMREAD_REDUCED_GRAYSCALE_4;
            case 8 -> IMREAD_REDUCED_GRAYSCALE_8;
            default -> throw new IllegalArgumentException("reduction " + reduction);
        };
        return OpenCvCodec.decode(encoded, mode | IMREAD_IGNORE_ORIENTATION, what, img -> {
            if (img.depth() != CV_8U || img.channels() != 1) {
                throw new LovtException("cannot decode image " + what + ": OpenCV returned depth " + img.depth()
                        + " with " + img.channels() + " channels instead of 8-bit gray");
            }
            return new GrayImage(img.cols(), img.rows(), OpenCvCodec.bytes(img));
        });
    }
}
