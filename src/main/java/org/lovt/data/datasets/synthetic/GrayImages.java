package org.lovt.data.datasets.synthetic;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lovt.LovtException;

/** 8-bit grayscale PNG and JPEG encoding and decoding of row-major byte images (OpenCV's codecs). */
final class GrayImages {
    private GrayImages() {}

    /** Lossless PNG of a {@code size x size} image. */
    static byte[] png(byte[] pixels, int size) {
        return encode(".png", pixels, size, null);
    }

    /** Baseline JPEG of a {@code size x size} image at {@code quality} (1-100). */
    static byte[] jpeg(byte[] pixels, int size, int quality) {
        return encode(".jpg", pixels, size, new int[] {IMWRITE_JPEG_QUALITY, quality});
    }

    private static byte[] encode(String ext, byte[] pixels, int size, int[] params) {
        try (Mat m = new Mat(size, size, CV_8UC1);
             BytePointer out = new BytePointer();
             IntPointer p = new IntPointer(params == null ? new int[0] : params)) {
            m.data().put(pixels, 0, pixels.length);
            if (!opencv_imgcodecs.imencode(ext, m, out, p)) {
                throw new LovtException("OpenCV could not encode a " + size + "x" + size + " image as " + ext);
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    /** Decodes an 8-bit single-channel PNG or JPEG; {@code what} names it in errors. */
    static byte[] decode(byte[] encoded, int size, String what) {
        Mat decoded;
        try (BytePointer bytes = new BytePointer(encoded); Mat buf = new Mat(bytes)) {
            decoded = opencv_imgcodecs.imdecode(buf, IMREAD_UNCHANGED);
        }
        try (Mat img = decoded) {
            if (img == null || img.empty()) {
                throw new LovtException(what + ": not a readable image");
            }
            if (img.rows() != size || img.cols() != size || img.channels() != 1 || img.depth() != CV_8U) {
                throw new LovtException(what + ": expected a " + size + "x" + size + " 8-bit grayscale image, got "
                        + img.cols() + "x" + img.rows() + " with " + img.channels() + " channel(s), depth "
                        + img.depth());
            }
            byte[] b = new byte[size * size];
            img.data().get(b);
            return b;
        }
    }

    /** A 0/1 mask as a 0/255 image (readers binarise with {@code != 0}). */
    static byte[] maskToImage(byte[] mask) {
        byte[] out = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] != 0 ? (byte) 255 : 0;
        }
        return out;
    }

    /** The 0/1 mask of a mask image ({@code != 0}). */
    static byte[] imageToMask(byte[] img) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = img[i] != 0 ? (byte) 1 : 0;
        }
        return out;
    }
}
