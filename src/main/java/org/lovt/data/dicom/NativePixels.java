package org.lovt.data.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Uncompressed Pixel Data to pydicom's {@code pixel_array} layout (pydicom 2.3.1 {@code numpy_handler}). */
final class NativePixels {
    private NativePixels() {}

    static PixelArray decode(PixelModule m, DicomElement pd, String src) {
        int bits = m.bitsAllocated();
        int itemSize = m.dtype().itemSize();
        long count = m.elementCount();
        long expected = bits == 1 ? (count + 7) / 8 : count * itemSize;
        boolean ybr422 = m.photometricInterpretation().equals("YBR_FULL_422");
        if (ybr422) {
            expected = expected / 3 * 2; // two samples per pixel are stored: Y1 Y2 Cb Cr per pixel pair
        }
        if (m.samplesPerPixel() > 1 && m.planarConfiguration() == null) {
            throw new DicomException(src + ": missing " + Tags.describe(Tags.PLANAR_CONFIGURATION)
                    + ", required for native Pixel Data with " + m.samplesPerPixel() + " samples per pixel");
        }
        if (ybr422 && m.planarConfiguration() == 1) {
            throw new DicomException(src + ": YBR_FULL_422 Pixel Data with Planar Configuration 1 is not defined"
                    + " (PS3.3 C.7.6.3.1.3)");
        }
        List<String> warnings = new ArrayList<>();
        long actual = pd.length();
        long padded = expected + expected % 2;
        if (actual < padded) {
            if (actual != expected) {
                throw new DicomException(src + ": The length of the pixel data in the dataset (" + actual
                        + " bytes) doesn't match the expected length (" + padded + " bytes) for "
                        + PixelDecoder.describe(m) + "; Pixel Data at offset " + pd.offset());
            }
            warnings.add("The odd length pixel data is missing a trailing padding byte");
        } else if (actual > padded) {
            long ybrFull = expected / 2 * 3 + expected / 2 * 3 % 2;
            if (ybr422 && actual >= ybrFull) {
                warnings.add("The Photometric Interpretation of the dataset is YBR_FULL_422, however the length of"
                        + " the pixel data (" + actual + " bytes) is a third larger than expected (" + expected
                        + " bytes) which indicates that this may be incorrect. You may need to change the"
                        + " Photometric Interpretation to the correct value.");
            } else {
                warnings.add("The length of the pixel data in the dataset (" + actual + " bytes) indicates it"
                        + " contains excess padding. " + (actual - expected) + " bytes will be removed from the end"
                        + " of the data");
            }
        }
        int off = pd.valueOffset();
        byte[] raw = Arrays.copyOfRange(pd.stream(), off, off + (int) expected);
        if (pd.bigEndian() && bits > 1) {
            swap(raw, itemSize); // packed bits (Bits Allocated 1) are read as bytes, as pydicom 2.3.1 does
        }
        byte[] out;
        if (bits == 1) {
            out = unpackBits(raw, (int) count);
        } else if (ybr422) {
            out = upsample422(raw, itemSize, src);
        } else if (m.samplesPerPixel() > 1 && m.planarConfiguration() == 1) {
            out = interleave(raw, m, itemSize);
        } else {
            out = raw;
        }
        return new PixelArray(m, out, warnings);
    }

    /** Reverses the byte order of each {@code size}-byte element; a trailing partial element is left alone. */
    static void swap(byte[] b, int size) {
        if (size < 2) {
            return;
        }
        for (int i = 0; i + size <= b.length; i += size) {
            for (int lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    /** Bits Allocated 1: the least significant bit of each byte is the first pixel (PS3.5 §8.1.1). */
    private static byte[] unpackBits(byte[] packed, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) ((packed[i >>> 3] >>> (i & 7)) & 1);
        }
        return out;
    }

    /** Y1 Y2 Cb Cr per pixel pair to Y1 Cb Cr Y2 Cb Cr, as pydicom upsamples uncompressed YBR_FULL_422. */
    private static byte[] upsample422(byte[] raw, int itemSize, String src) {
        int groups = raw.length / itemSize;
        if (groups % 4 != 0) {
            throw new DicomException(src + ": YBR_FULL_422 Pixel Data need an even number of pixels");
        }
        byte[] out = new byte[raw.length / 2 * 3];
        int g = 4 * itemSize;
        for (int i = 0, o = 0; i < raw.length; i += g, o += 6 * itemSize) {
            copy(raw, i, out, o, itemSize);                                // Y1
            copy(raw, i + 2 * itemSize, out, o + itemSize, itemSize);      // Cb
            copy(raw, i + 3 * itemSize, out, o + 2 * itemSize, itemSize);  // Cr
            copy(raw, i + itemSize, out, o + 3 * itemSize, itemSize);      // Y2
            copy(raw, i + 2 * itemSize, out, o + 4 * itemSize, itemSize);  // Cb
            copy(raw, i + 3 * itemSize, out, o + 5 * itemSize, itemSize);  // Cr
        }
        return out;
    }

    private static void copy(byte[] src, int from, byte[] dst, int to, int n) {
        System.arraycopy(src, from, dst, to, n);
    }

    /** Planar Configuration 1 (each frame R plane, G plane, B plane) to interleaved samples. */
    static byte[] interleave(byte[] planar, PixelModule m, int itemSize) {
        int pixels = m.rows() * m.columns();
        int samples = m.samplesPerPixel();
        int frameBytes = pixels * samples * itemSize;
        byte[] out = new byte[planar.length];
        for (int f = 0; f < m.numberOfFrames(); f++) {
            int base = f * frameBytes;
            for (int s = 0; s < samples; s++) {
                int plane = base + s * pixels * itemSize;
                for (int p = 0; p < pixels; p++) {
                    System.arraycopy(planar, plane + p * itemSize, out, base + (p * samples + s) * itemSize, itemSize);
                }
            }
        }
        return out;
    }
}
