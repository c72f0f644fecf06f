package org.lovt.data.dicom;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;

import java.util.List;

import org.lovt.LovtException;
import org.lovt.data.image.OpenCvCodec;

/**
 * 8-bit lossy JPEG frames decoded by OpenCV's {@code imdecode} ({@link OpenCvCodec}; libjpeg-turbo, islow IDCT, fancy upsampling, like
 * the Pillow build that produced the reference arrays).
 *
 * <p>Colour follows pydicom 2.3.1's Pillow handler: the three decoded components are returned as stored (YCbCr
 * stays YCbCr, RGB stays RGB), except for Photometric Interpretation RGB with an Adobe marker whose transform is
 * not 0, where libjpeg's YCbCr to RGB conversion is kept. OpenCV always converts YCbCr JPEGs to BGR, so a frame
 * that must stay untransformed is given to it with an Adobe transform-0 marker instead of its JFIF/Adobe markers
 * ({@link JpegHeader#withoutColorTransform}); OpenCV's BGR order is then reversed.
 *
 * <p>Native code only sees frames whose headers {@link JpegHeader} accepted and whose size and component count match
 * the pixel module; OpenCV's own exceptions become {@link DicomException}s.
 */
final class JpegDecoder {
    private JpegDecoder() {}

    static PixelArray decode(PixelModule m, List<byte[]> frames, String src) {
        int rows = m.rows();
        int cols = m.columns();
        int samples = m.samplesPerPixel();
        if (m.bitsAllocated() != 8) {
            throw new DicomException(src + ": JPEG frames decode to 8 bits, but Bits Allocated is "
                    + m.bitsAllocated());
        }
        int frameBytes = rows * cols * samples;
        byte[] out = new byte[(int) ((long) frameBytes * frames.size())];
        for (int fi = 0; fi < frames.size(); fi++) {
            String what = src + ": JPEG frame " + fi;
            byte[] jpeg = frames.get(fi);
            JpegHeader h = JpegHeader.parse(jpeg, what);
            if (h.width() != cols || h.height() != rows || h.components() != samples) {
                throw new DicomException(what + " is " + h.width() + " x " + h.height() + " with " + h.components()
                        + " components, but the pixel module says " + cols + " x " + rows + " with " + samples
                        + " samples per pixel");
            }
            boolean libjpegConvertsToRgb = m.photometricInterpretation().equals("RGB") && h.adobeTransform() > 0;
            if (samples == 3 && !libjpegConvertsToRgb) {
                jpeg = h.withoutColorTransform(jpeg);
            }
            decodeInto(jpeg, rows, cols, samples, out, fi * frameBytes, what);
        }
        return new PixelArray(m, out, List.of());
    }

    private static void decodeInto(byte[] jpeg, int rows, int cols, int samples, byte[] out, int offset, String what) {
        Boolean done;
        try {
            done = OpenCvCodec.decode(jpeg, IMREAD_UNCHANGED, what, img -> {
                if (img.rows() != rows || img.cols() != cols || img.channels() != samples || img.depth() != CV_8U) {
                    throw new DicomException(what + ": OpenCV decoded " + img.cols() + " x " + img.rows() + " x "
                            + img.channels() + " (depth " + img.depth() + "), expected " + cols + " x " + rows + " x "
                            + samples + " 8-bit");
                }
                int rowBytes = cols * samples;
                byte[] row = new byte[rowBytes];
                for (int r = 0; r < rows; r++) {
                    img.ptr(r).get(row, 0, rowBytes);
                    int o = offset + r * rowBytes;
                    if (samples == 3) {
                        for (int i = 0; i < rowBytes; i += 3) { // BGR -> component order
                            out[o + i] = row[i + 2];
                            out[o + i + 1] = row[i + 1];
                            out[o + i + 2] = row[i];
                        }
                    } else {
                        System.arraycopy(row, 0, out, o, rowBytes);
                    }
                }
                return Boolean.TRUE;
            });
        } catch (DicomException e) {
            throw e;
        } catch (LovtException e) {
            throw new DicomException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
        if (done == null) {
            throw new DicomException(what + ": OpenCV could not decode the JPEG data (corrupt or unsupported)");
        }
    }
}
