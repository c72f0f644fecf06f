package org.lovt.data.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * RLE Lossless (PS3.5 Annex G): each frame is a 64-byte header (segment count, 15 offsets) and one PackBits segment
 * per byte plane, most significant byte first, sample by sample. Decoding follows pydicom 2.3.1's
 * {@code rle_handler}: too few decoded bytes is an error, surplus bytes are dropped with a warning.
 */
final class RleCodec {
    private RleCodec() {}

    /** PackBits expands at most 128 bytes from a 2-byte run, so a segment decodes to at most 64x its length. */
    private static final int MAX_EXPANSION = 64;

    static PixelArray decode(PixelModule m, List<byte[]> frames, String src) {
        int pixels = m.rows() * m.columns();
        int samples = m.samplesPerPixel();
        int bytesPerSample = m.dtype().itemSize();
        if (m.bitsAllocated() == 1) {
            throw new DicomException(src + ": RLE Lossless with Bits Allocated 1 is not supported");
        }
        int segments = samples * bytesPerSample;
        long compressed = 0;
        for (byte[] f : frames) {
            compressed += f.length;
        }
        long outBytes = m.elementCount() * bytesPerSample;
        if (outBytes > MAX_EXPANSION * compressed + 64L * frames.size()) {
            throw new DicomException(src + ": " + compressed + " bytes of RLE data cannot decode to the " + outBytes
                    + " bytes that " + PixelDecoder.describe(m) + " need");
        }
        byte[] out = new byte[(int) outBytes];
        List<String> warnings = new ArrayList<>();
        int frameBytes = pixels * samples * bytesPerSample;
        byte[] plane = new byte[pixels];
        for (int fi = 0; fi < frames.size(); fi++) {
            byte[] f = frames.get(fi);
            String at = "RLE frame " + fi;
            if (f.length < 64) {
                throw new DicomException(src + ": " + at + " has " + f.length + " bytes, shorter than its 64-byte"
                        + " header");
            }
            long n = u32(f, 0);
            if (n != segments) {
                throw new DicomException(src + ": " + at + " has " + n + " segments, but " + samples
                        + " samples of " + bytesPerSample + " bytes need " + segments);
            }
            for (int s = 0; s < segments; s++) {
                long start = u32(f, 4 + 4 * s);
                long end = s + 1 < segments ? u32(f, 8 + 4 * s) : f.length;
                if (start < 64 || start > end || end > f.length) {
                    throw new DicomException(src + ": " + at + " segment " + s + " spans bytes " + start + ".." + end
                            + " of a " + f.length + "-byte frame");
                }
                long decoded = unpackBits(f, (int) start, (int) end, plane);
                if (decoded < pixels) {
                    throw new DicomException(src + ": " + at + " segment " + s + ": The amount of decoded RLE segment"
                            + " data doesn't match the expected amount (" + decoded + " vs. " + pixels + " bytes)");
                }
                if (decoded > pixels) {
                    warnings.add("The decoded RLE segment contains non-conformant padding - " + decoded + " vs. "
                            + pixels + " bytes expected");
                }
                int sample = s / bytesPerSample;
                int littleEndianByte = bytesPerSample - 1 - s % bytesPerSample; // segments are MSB first
                int base = fi * frameBytes + sample * bytesPerSample + littleEndianByte;
                int stride = samples * bytesPerSample;
                for (int p = 0; p < pixels; p++) {
                    out[base + p * stride] = plane[p];
                }
            }
        }
        return new PixelArray(m, out, warnings);
    }

    /**
     * PackBits-decodes {@code b[from, to)} into {@code out}, keeping only what fits, and returns how many bytes the
     * segment decodes to. A run cut short by the segment end yields what is there, as pydicom's slicing does.
     */
    static long unpackBits(byte[] b, int from, int to, byte[] out) {
        long n = 0;
        int p = from;
        while (p < to) {
            int h = b[p++];
            if (h >= 0) {
                int len = Math.min(h + 1, to - p);
                if (n < out.length) {
                    System.arraycopy(b, p, out, (int) n, (int) Math.min(len, out.length - n));
                }
                n += len;
                p += len;
            } else if (h != -128) {
                if (p >= to) {
                    break;
                }
                int len = 1 - h;
                byte v = b[p++];
                for (int i = 0; i < len && n + i < out.length; i++) {
                    out[(int) (n + i)] = v;
                }
                n += len;
            }
        }
        return n;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    /** Encodes one frame (interleaved little-endian elements) as an RLE Lossless frame, for {@link DicomWriter}. */
    static byte[] encodeFrame(byte[] le, int offset, int pixels, int samples, int bytesPerSample) {
        int segments = samples * bytesPerSample;
        if (segments > 15) {
            throw new DicomException("RLE Lossless holds at most 15 segments, not " + segments);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] offsets = new int[segments];
        byte[] plane = new byte[pixels];
        int stride = samples * bytesPerSample;
        for (int s = 0; s < segments; s++) {
            int sample = s / bytesPerSample;
            int littleEndianByte = bytesPerSample - 1 - s % bytesPerSample;
            for (int p = 0; p < pixels; p++) {
                plane[p] = le[offset + p * stride + sample * bytesPerSample + littleEndianByte];
            }
            offsets[s] = 64 + body.size();
            packBits(plane, body);
            if (body.size() % 2 != 0) {
                body.write(0); // PS3.5 G.5: each segment is padded to even length
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        writeU32(frame, segments);
        for (int i = 0; i < 15; i++) {
            writeU32(frame, i < segments ? offsets[i] : 0);
        }
        frame.writeBytes(body.toByteArray());
        return frame.toByteArray();
    }

    /** PackBits per PS3.5 G.3.1, row-agnostic: replicate runs of 3 or more, literal runs otherwise. */
    private static void packBits(byte[] in, ByteArrayOutputStream out) {
        int i = 0;
        while (i < in.length) {
            int run = 1;
            while (i + run < in.length && run < 128 && in[i + run] == in[i]) {
                run++;
            }
            if (run >= 3) {
                out.write(1 - run);
                out.write(in[i]);
                i += run;
                continue;
            }
            int start = i;
            int len = 0;
            while (i < in.length && len < 128) {
                if (i + 2 < in.length && in[i] == in[i + 1] && in[i] == in[i + 2]) {
                    break;
                }
                i++;
                len++;
            }
            out.write(len - 1);
            out.write(in, start, len);
        }
    }

    private static void writeU32(ByteArrayOutputStream o, long v) {
        o.write((int) v);
        o.write((int) (v >>> 8));
        o.write((int) (v >>> 16));
        o.write((int) (v >>> 24));
    }
}
