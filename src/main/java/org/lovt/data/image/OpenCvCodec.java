package org.lovt.data.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;

import java.util.function.Function;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lovt.LovtException;

/**
 * The one wrapper of OpenCV's image codecs ({@code imdecode}, {@code imencode}): PNG through libpng, JPEG through
 * libjpeg-turbo. Every {@link Mat} made here is released before the method returns (the callback of
 * {@link #decode(byte[], int, String, Function)} sees the image only while it runs), and native failures become
 * {@link LovtException}s whose message starts with the name of the file (or whatever {@code what} names).
 *
 * <p>Policies stay with the callers: which flags ({@code IMREAD_UNCHANGED} keeps a file as stored and ignores
 * EXIF orientation, as {@code PIL.Image.open} does), what an undecodable or truncated file means, which channel
 * counts are acceptable.
 */
public final class OpenCvCodec {
    private OpenCvCodec() {}

    /**
     * Decoded 8-bit pixels in Java memory: row-major, channels interleaved in OpenCV's order (gray, BGR or BGRA).
     *
     * @param width    columns
     * @param height   rows
     * @param channels samples per pixel
     * @param data     {@code width * height * channels} bytes
     */
    public record Pixels(int width, int height, int channels, byte[] data) {}

    /**
     * A decoded 16-bit gray image: row-major, unsigned values stored in signed shorts.
     *
     * @param width  columns
     * @param height rows
     * @param data   {@code width * height} samples
     */
    public record Gray16(int width, int height, short[] data) {}

    /**
     * Decodes {@code encoded} with {@code imdecode(flags)} and applies {@code use} to the image; the image is
     * released when {@code use} returns or throws.
     *
     * @return what {@code use} returned, or null (without calling it) when OpenCV decodes no image
     * @throws LovtException {@code what: cannot decode image: ...} when OpenCV throws or is unavailable
     */
    public static <T> T decode(byte[] encoded, int flags, String what, Function<Mat, T> use) {
        Mat decoded;
        try (BytePointer data = new BytePointer(encoded); Mat buf = new Mat(1, encoded.length, CV_8UC1, data)) {
            decoded = opencv_imgcodecs.imdecode(buf, flags);
        } catch (RuntimeException e) {
            throw new LovtException(what + ": cannot decode image: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new LovtException(what + ": cannot decode image: OpenCV's native libraries are unavailable: " + e,
                    e);
        }
        try (Mat img = decoded) {
            if (img == null || img.empty()) {
                return null;
            }
            return use.apply(img);
        }
    }

    /**
     * Decodes to 8-bit pixels in Java memory.
     *
     * @return the pixels, or null when OpenCV decodes no image (corrupt, truncated or not an image)
     * @throws LovtException naming {@code what} when OpenCV throws or the image is not 8-bit
     */
    public static Pixels decode8(byte[] encoded, int flags, String what) {
        return decode(encoded, flags, what, img -> {
            if (img.depth() != CV_8U) {
                throw new LovtException(what + ": " + (img.depth() == CV_16U ? "a 16-bit" : "a non-8-bit (depth "
                        + img.depth() + ")") + " image where an 8-bit one is expected");
            }
            return new Pixels(img.cols(), img.rows(), img.channels(), bytes(img));
        });
    }

    /**
     * Decodes a gray image of 8 or 16 bits ({@code IMREAD_GRAYSCALE | IMREAD_ANYDEPTH}; colour is converted to
     * gray) to 16-bit samples: an 8-bit file's values stay 0..255.
     *
     * @throws LovtException naming {@code what} when it does not decode
     */
    public static Gray16 decodeGray16(byte[] encoded, String what) {
        Gray16 g = decode(encoded, IMREAD_GRAYSCALE | IMREAD_ANYDEPTH, what, img -> {
            int w = img.cols();
            int h = img.rows();
            short[] out = new short[Math.multiplyExact(w, h)];
            if (img.depth() == CV_8U) {
                byte[] b = bytes(img);
                for (int i = 0; i < b.length; i++) {
                    out[i] = (short) (b[i] & 0xFF);
                }
            } else if (img.depth() == CV_16U) {
                try (Mat c = img.isContinuous() ? null : img.clone()) {
                    Mat src = c != null ? c : img;
                    new ShortPointer(src.data()).get(out);
                }
            } else {
                throw new LovtException(what + ": a gray image of depth " + img.depth() + " (8 or 16 bits expected)");
            }
            return new Gray16(w, h, out);
        });
        if (g == null) {
            throw new LovtException(what + ": cannot decode image (corrupt, truncated or not an image)");
        }
        return g;
    }

    /** The bytes of an 8-bit image, row-major, channels interleaved (rows copied one by one when not contiguous). */
    public static byte[] bytes(Mat img) {
        int rowBytes = Math.multiplyExact(img.cols(), img.channels());
        int h = img.rows();
        byte[] out = new byte[Math.multiplyExact(rowBytes, h)];
        if (img.isContinuous()) {
            img.data().get(out);
        } else {
            for (int y = 0; y < h; y++) {
                img.ptr(y).get(out, y * rowBytes, rowBytes);
            }
        }
        return out;
    }

    /** An 8-bit gray image ({@code pixels[y * width + x]}) as PNG bytes at zlib level {@code compression} (0-9). */
    public static byte[] encodeGrayPng(byte[] pixels, int width, int height, int compression) {
        return encodeGray(pixels, width, height, ".png", IMWRITE_PNG_COMPRESSION, compression);
    }

    /** An 8-bit gray image as PNG bytes with OpenCV's default parameters. */
    public static byte[] encodeGrayPng(byte[] pixels, int width, int height) {
        return encodeGray(pixels, width, height, ".png");
    }

    /** A 16-bit gray image as PNG bytes with OpenCV's default parameters. */
    public static byte[] encodeGray16Png(short[] pixels, int width, int height) {
        checkSize(pixels.length, width, height);
        try (Mat m = new Mat(height, width, CV_16UC1)) {
            new ShortPointer(m.data()).put(pixels, 0, pixels.length);
            return encode(m, ".png");
        }
    }

    /** An 8-bit gray image as baseline JPEG bytes of the given quality (1-100). */
    public static byte[] encodeGrayJpeg(byte[] pixels, int width, int height, int quality) {
        return encodeGray(pixels, width, height, ".jpg", IMWRITE_JPEG_QUALITY, quality);
    }

    private static byte[] encodeGray(byte[] pixels, int width, int height, String ext, int... params) {
        checkSize(pixels.length, width, height);
        try (Mat m = new Mat(height, width, CV_8UC1)) {
            m.data().put(pixels, 0, pixels.length);
            return encode(m, ext, params);
        }
    }

    private static void checkSize(int length, int width, int height) {
        if (width < 1 || height < 1 || length != (long) width * height) {
            throw new IllegalArgumentException(length + " pixels for a " + width + " x " + height + " image");
        }
    }

    /**
     * {@code imencode}: {@code img} in the format of {@code ext} ({@code .png}, {@code .jpg}) with OpenCV's
     * {@code IMWRITE_*} key/value parameters. The caller keeps ownership of {@code img}.
     *
     * @throws LovtException when OpenCV cannot encode it
     */
    public static byte[] encode(Mat img, String ext, int... params) {
        try (BytePointer out = new BytePointer(); IntPointer p = new IntPointer(params)) {
            boolean ok;
            try {
                ok = opencv_imgcodecs.imencode(ext, img, out, p);
            } catch (RuntimeException e) {
                throw new LovtException("OpenCV could not encode a " + img.cols() + " x " + img.rows() + " image as "
                        + ext + ": " + e.getMessage(), e);
            }
            if (!ok) {
                throw new LovtException("OpenCV could not encode a " + img.cols() + " x " + img.rows() + " image as "
                        + ext);
            }
            byte[] bytes = new byte[Math.toIntExact(out.limit())];
            out.get(bytes);
            return bytes;
        }
    }
}
