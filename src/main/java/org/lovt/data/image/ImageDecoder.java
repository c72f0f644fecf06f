package org.lovt.data.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;

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
        if (encoded.length == 0) {
            throw new LovtException("cannot decode image " + what + ": the file is empty");
        }
        GrayImage img = decodeOrNull(encoded, what);
        if (img == null && isTruncatedJpeg(encoded)) {
            // OpenCV rejects a JPEG that ends before its EOI marker; Pillow with LOAD_TRUNCATED_IMAGES (set by the
            // original) decodes what is there. With an EOI appended libjpeg does the same: the missing blocks get
            // zero coefficients (mid-gray), as Pillow's are.
            byte[] closed = java.util.Arrays.copyOf(encoded, encoded.length + 2);
            closed[encoded.length] = (byte) 0xFF;
            closed[encoded.length + 1] = (byte) 0xD9;
            img = decodeOrNull(closed, what);
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

    /** OpenCV's decode, or null when OpenCV returns no image. */
    private static GrayImage decodeOrNull(byte[] encoded, String what) {
        return OpenCvCodec.decode(encoded, IMREAD_GRAYSCALE | IMREAD_IGNORE_ORIENTATION, what, img -> {
            if (img.depth() != CV_8U || img.channels() != 1) {
                throw new LovtException("cannot decode image " + what + ": OpenCV returned depth " + img.depth()
                        + " with " + img.channels() + " channels instead of 8-bit gray");
            }
            return new GrayImage(img.cols(), img.rows(), OpenCvCodec.bytes(img));
        });
    }
}
