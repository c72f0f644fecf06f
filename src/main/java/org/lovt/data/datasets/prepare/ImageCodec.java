package org.lovt.data.datasets.prepare;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lovt.LovtException;
import org.lovt.data.image.OpenCvCodec;

/**
 * PNG and JPEG through OpenCV ({@link OpenCvCodec}: libpng, libjpeg-turbo), with the checks that keep bad files from becoming silently
 * wrong images: a JPEG must end its last scan with an EOI marker (libjpeg would otherwise return a grey-filled
 * partial image with only a warning), anything that does not decode to a non-empty 8-bit image is refused, and
 * native errors become {@link LovtException}s naming the file. Decoding ignores EXIF orientation, as Pillow does.
 */
public final class ImageCodec {
    /** Pillow's default JPEG quality, which the original used for COVID and Object-CXR. */
    public static final int JPEG_QUALITY = 75;
    /**
     * zlib level for PNGs. Pixels are lossless at any level; Pillow's default is 6, OpenCV's 1. Level 3 keeps files
     * within a few per cent of Pillow's size at a fraction of level 6's time.
     */
    public static final int PNG_COMPRESSION = 3;

    private ImageCodec() {}

    /** Reads and decodes an image file. @throws LovtException naming the file when it cannot */
    public static DecodedImage read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes PNG or JPEG bytes to an 8-bit image with 1, 3 or 4 channels. */
    public static DecodedImage decode(byte[] bytes, String name) {
        if (OpenCvCodec.isJpeg(bytes)) {
            checkJpegComplete(bytes, name);
        } else if (!OpenCvCodec.isPng(bytes)) {
            throw new LovtException(name + ": neither a PNG nor a JPEG file");
        }
        DecodedImage img = OpenCvCodec.decode(bytes, IMREAD_UNCHANGED, name, m -> {
            if (m.depth() != CV_8U) {
                throw new LovtException(name + ": " + (m.depth() == 2 ? "16-bit" : "non-8-bit (depth " + m.depth()
                        + ")") + " images are not supported (the published images are 8-bit)");
            }
            int ch = m.channels();
            if (ch != 1 && ch != 3 && ch != 4) {
                throw new LovtException(name + ": unsupported channel count " + ch);
            }
            return new DecodedImage(m.cols(), m.rows(), ch, OpenCvCodec.bytes(m));
        });
        if (img == null) {
            throw new LovtException(name + ": cannot decode image (corrupt or truncated)");
        }
        return img;
    }

    /** A grey image as PNG bytes. */
    public static byte[] encodePng(Gray8 img) {
        return OpenCvCodec.encodeGrayPng(img.pixels(), img.width(), img.height(), PNG_COMPRESSION);
    }

    /** A grey image as baseline JPEG bytes of the given quality. */
    public static byte[] encodeJpeg(Gray8 img, int quality) {
        return OpenCvCodec.encodeGrayJpeg(img.pixels(), img.width(), img.height(), quality);
    }

    /** Writes bytes to a file (in a staging folder, so no atomic rename is needed per file). */
    public static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * A JPEG is complete when an EOI marker follows its last start-of-scan. Entropy-coded data never contain
     * {@code FF D9} (an FF there is followed by 00 or a restart marker), and an embedded thumbnail's EOI comes before
     * the main image's scans, so a file cut inside its last scan fails this check.
     */
    static void checkJpegComplete(byte[] b, String name) {
        int lastSos = -1;
        int lastEoi = -1;
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF) {
                int m = b[i + 1] & 0xFF;
                if (m == 0xDA) {
                    lastSos = i;
                } else if (m == 0xD9) {
                    lastEoi = i;
                }
            }
        }
        if (lastSos < 0) {
            throw new LovtException(name + ": JPEG without image data (no start-of-scan marker)");
        }
        if (lastEoi < lastSos) {
            throw new LovtException(name + ": truncated JPEG (no end-of-image marker after the last scan)");
        }
    }
}
