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
     * The most pixels an image may claim in its header: 2^28 (16384 × 16384), far above any radiograph (the largest
     * in the five data sets are about 4k × 5k). The decoder allocates what the header claims before it reads the
     * data, so a few bytes claiming a gigapixel image are refused here, before decoding.
     */
    public static final long MAX_PIXELS = 1L << 28;

    /** Refuses a header that claims no pixels or more than {@link #MAX_PIXELS}; unknown headers pass on. */
    static void checkClaimedSize(byte[] b, String name) {
        long[] wh = isPng(b) ? pngSize(b) : isJpeg(b) ? jpegSize(b) : null;
        if (wh == null) {
            return; // the decoder reports what it cannot read
        }
        if (wh[0] <= 0 || wh[1] <= 0 || wh[0] * wh[1] > MAX_PIXELS) {
            throw new LovtException(name + ": the header claims a " + wh[0] + " x " + wh[1] + " image; at most "
                    + MAX_PIXELS + " pixels are accepted");
        }
    }

    /**
     * Every PNG chunk up to {@code IEND} must lie inside the file: a chunk length past the end (found by fuzzing: an
     * {@code IEND} claiming 4 GB made OpenCV's decoder spin for good) is refused before decoding.
     */
    static void checkPngChunks(byte[] b, String name) {
        int pos = 8;
        while (pos + 8 <= b.length) {
            long length = be32(b, pos);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE || pos + 12 + length > b.length) {
                throw new LovtException(name + ": corrupt or truncated PNG: chunk '" + type.replaceAll("[^ -~]", "?")
                        + "' at byte " + pos + " claims " + length + " bytes, " + Math.max(0, b.length - pos - 12)
                        + " are left");
            }
            if (type.equals("IEND")) {
                return;
            }
            pos += 12 + (int) length;
        }
    }

    private static long[] pngSize(byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return null;
        }
        return new long[] {be32(b, 16), be32(b, 20)};
    }

    /** Width and height from the first start-of-frame marker before the first scan, or null. */
    static long[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int m = b[i + 1] & 0xFF;
            if (m == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            if (m == 0xDA || m == 0xD9) {
                return null;
            }
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof && i + 9 <= b.length) {
                long h = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                long w = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new long[] {w, h};
            }
            if (len < 2) {
                return null;
            }
            i += 2 + len;
        }
        return null;
    }

    private static long be32(byte[] b, int o) {
        return ((long) (b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    /**
     * The structural checks made before OpenCV sees the bytes: the claimed size ({@link #MAX_PIXELS}) and, for a PNG,
     * chunks that stay inside the file. Cheap (headers only), so that no decoder allocates a claimed size or spins
     * on a length past the end.
     */
    static void checkHeader(byte[] b, String name) {
        checkClaimedSize(b, name);
        if (isPng(b)) {
            checkPngChunks(b, name);
        }
    }

    /** Whether the bytes start with a JPEG SOI marker followed by another marker. */
    public static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    /** Whether the bytes start with the PNG signature. */
    public static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /**
     * Decodes {@code encoded} with {@code imdecode(flags)} and applies {@code use} to the image; the image is
     * released when {@code use} returns or throws.
     *
     * @return what {@code use} returned, or null (without calling it) when OpenCV decodes no image
     * @throws LovtException {@code what: cannot decode image: ...} when OpenCV throws or is unavailable, and before
     *     decoding when the header claims more than {@link #MAX_PIXELS} pixels or a PNG chunk reaches past the end
     *     ({@link #checkHeader})
     */
    public static <T> T decode(byte[] encoded, int flags, String what, Function<Mat, T> use) {
        checkHeader(encoded, what);
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
