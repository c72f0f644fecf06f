package org.lovt.data.datasets.mimic;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.lovt.LovtException;
import org.lovt.data.image.OpenCvCodec;

/**
 * Decodes one MIMIC-CXR-JPG image with OpenCV (libjpeg-turbo, as Pillow) and measures what the prepared dataset
 * records of it: width, height and the pixel mean and variance of {@code pixels / 255}. The image is decoded
 * as stored ({@code IMREAD_UNCHANGED}: no EXIF rotation, no colour conversion), as {@code PIL.Image.open} does.
 *
 * <p>A JPEG that does not end with the end-of-image marker is truncated. The original opens images with
 * {@code LOAD_TRUNCATED_IMAGES=True}, so such a file is kept (decoded as far as it goes) and reported; a file that
 * cannot be decoded at all is reported as unreadable. The missing part of a truncated image is mid-gray here
 * (libjpeg's recovery) but black in Pillow, so the pixel statistics of such a file differ from the original's;
 * its width and height do not.
 */
final class JpegInspector {
    private JpegInspector() {}

    /** Outcome of reading one image file. */
    sealed interface Result permits Ok, Failed {}

    /**
     * A decoded image.
     *
     * @param width     columns
     * @param height    rows
     * @param stats     mean and variance of pixels / 255 over all channels
     * @param truncated whether the file lacks its end-of-image marker (kept, but reported)
     */
    record Ok(int width, int height, PixelStats.MeanVar stats, boolean truncated) implements Result {}

    /**
     * An image that could not be used.
     *
     * @param reason why, for the preparation report
     */
    record Failed(String reason) implements Result {}

    static Result inspect(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Failed("cannot read the file: " + e.getMessage());
        }
        if (bytes.length == 0) {
            return new Failed("empty file");
        }
        boolean jpeg = bytes.length > 1 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
        boolean truncated = jpeg && !endsWithEoi(bytes);
        String what = file.toString();
        Result r;
        try {
            r = OpenCvCodec.decode(bytes, IMREAD_UNCHANGED, what, img -> measure(img, truncated));
            if (r == null && truncated) {
                // OpenCV's in-memory JPEG source fails at the end of the data, where libjpeg's own sources insert
                // an end-of-image marker and decode what there is; do the same.
                byte[] closed = Arrays.copyOf(bytes, bytes.length + 2);
                closed[bytes.length] = (byte) 0xFF;
                closed[bytes.length + 1] = (byte) 0xD9;
                r = OpenCvCodec.decode(closed, IMREAD_UNCHANGED, what, img -> measure(img, truncated));
            }
        } catch (LovtException e) {
            return new Failed("OpenCV cannot decode it: " + (e.getCause() != null ? e.getCause().getMessage()
                    : e.getMessage()));
        }
        return r != null ? r : new Failed("not a decodable image (corrupt or not a JPEG)");
    }

    private static Result measure(Mat img, boolean truncated) {
        if (img.depth() != CV_8U) {
            return new Failed("not an 8-bit image (OpenCV depth " + img.depth() + ")");
        }
        int rows = img.rows();
        // Native sums: exact for 8-bit data (OpenCV accumulates integer blocks into doubles far below 2^53),
        // and a fifth of the time of a Java loop over the pixels.
        long sum = 0;
        try (Scalar sums = opencv_core.sumElems(img)) {
            for (int c = 0; c < img.channels(); c++) {
                sum += (long) sums.get(c);
            }
        }
        long sumSq = (long) img.dot(img);
        PixelStats.MeanVar stats = PixelStats.ofUint8Sums((long) rows * img.cols() * img.channels(), sum, sumSq);
        return new Ok(img.cols(), rows, stats, truncated);
    }

    /** Whether the last bytes (ignoring zero padding) are the JPEG EOI marker FF D9. */
    static boolean endsWithEoi(byte[] b) {
        int e = b.length;
        while (e > 0 && b[e - 1] == 0) {
            e--;
        }
        return e >= 2 && (b[e - 2] & 0xFF) == 0xFF && (b[e - 1] & 0xFF) == 0xD9;
    }
}
