package org.lovt.data.datasets.synthetic;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;

import org.lovt.LovtException;
import org.lovt.data.image.OpenCvCodec;

/** 8-bit grayscale PNG and JPEG encoding and decoding of row-major byte images ({@link OpenCvCodec}). */
final class GrayImages {
    private GrayImages() {}

    /** Lossless PNG of a {@code size x size} image. */
    static byte[] png(byte[] pixels, int size) {
        return OpenCvCodec.encodeGrayPng(pixels, size, size);
    }

    /** Baseline JPEG of a {@code size x size} image at {@code quality} (1-100). */
    static byte[] jpeg(byte[] pixels, int size, int quality) {
        return OpenCvCodec.encodeGrayJpeg(pixels, size, size, quality);
    }

    /** Decodes an 8-bit single-channel PNG or JPEG; {@code what} names it in errors. */
    static byte[] decode(byte[] encoded, int size, String what) {
        byte[] px = OpenCvCodec.decode(encoded, IMREAD_UNCHANGED, what, img -> {
            if (img.rows() != size || img.cols() != size || img.channels() != 1 || img.depth() != CV_8U) {
                throw new LovtException(what + ": expected a " + size + "x" + size + " 8-bit grayscale image, got "
                        + img.cols() + "x" + img.rows() + " with " + img.channels() + " channel(s), depth "
                        + img.depth());
            }
            return OpenCvCodec.bytes(img);
        });
        if (px == null) {
            throw new LovtException(what + ": not a readable image");
        }
        return px;
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
