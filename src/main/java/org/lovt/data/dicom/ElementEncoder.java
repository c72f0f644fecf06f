package org.lovt.data.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Element encoding for one transfer syntax; each call stores the encoded element under its tag. */
final class ElementEncoder {
    private final boolean explicit;
    private final boolean bigEndian;

    ElementEncoder(boolean explicit, boolean bigEndian) {
        this.explicit = explicit;
        this.bigEndian = bigEndian;
    }

    void text(Map<Integer, byte[]> out, int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length % 2 != 0) {
            v = Arrays.copyOf(v, v.length + 1);
            v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' '); // PS3.5 §6.2: UI pads with NUL
        }
        raw(out, tag, vr, v);
    }

    void us(Map<Integer, byte[]> out, int tag, int value) {
        raw(out, tag, "US", number(value, 2));
    }

    void ul(Map<Integer, byte[]> out, int tag, long value) {
        raw(out, tag, "UL", number(value, 4));
    }

    void raw(Map<Integer, byte[]> out, int tag, String vr, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(value.length + 12);
        o.writeBytes(header(tag, vr, value.length));
        o.writeBytes(value);
        out.put(tag, o.toByteArray());
    }

    byte[] nativePixelData(PixelArray px, int planar) {
        PixelModule m = px.module();
        byte[] v = px.bytes();
        int itemSize = m.dtype().itemSize();
        if (m.bitsAllocated() == 1) {
            byte[] packed = new byte[(v.length + 7) / 8];
            for (int i = 0; i < v.length; i++) {
                packed[i >>> 3] |= (byte) ((v[i] & 1) << (i & 7)); // first pixel in the lowest bit
            }
            v = packed;
        } else {
            if (m.samplesPerPixel() > 1 && planar == 1) {
                v = toPlanar(v, m, itemSize);
            }
            if (bigEndian) {
                NativePixels.swap(v, itemSize);
            }
        }
        if (v.length % 2 != 0) {
            v = Arrays.copyOf(v, v.length + 1);
        }
        Map<Integer, byte[]> one = new TreeMap<>();
        raw(one, Tags.PIXEL_DATA, m.bitsAllocated() <= 8 ? "OB" : "OW", v);
        return one.get(Tags.PIXEL_DATA);
    }

    /** Encapsulated Pixel Data (PS3.5 §A.4): offset table item, fragments, sequence delimitation. */
    byte[] encapsulated(byte[][] frames, boolean offsetTable, int maxFragment) {
        List<byte[]> fragments = new ArrayList<>();
        long[] offsets = new long[frames.length];
        long position = 0;
        for (int f = 0; f < frames.length; f++) {
            offsets[f] = position;
            byte[] frame = frames[f].length % 2 == 0 ? frames[f] : Arrays.copyOf(frames[f], frames[f].length + 1);
            int at = 0;
            do {
                int end = (int) Math.min(frame.length, (long) at + maxFragment);
                fragments.add(Arrays.copyOfRange(frame, at, end));
                position += 8 + end - at;
                at = end;
            } while (at < frame.length);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL));
        o.writeBytes(itemHeader(Tags.ITEM, offsetTable ? 4L * frames.length : 0));
        if (offsetTable) {
            for (long off : offsets) {
                o.writeBytes(number(off, 4));
            }
        }
        for (byte[] fragment : fragments) {
            o.writeBytes(itemHeader(Tags.ITEM, fragment.length));
            o.writeBytes(fragment);
        }
        o.writeBytes(itemHeader(Tags.SEQUENCE_DELIMITATION, 0));
        return o.toByteArray();
    }

    private static byte[] toPlanar(byte[] interleaved, PixelModule m, int itemSize) {
        int pixels = m.rows() * m.columns();
        int samples = m.samplesPerPixel();
        int frameBytes = pixels * samples * itemSize;
        byte[] out = new byte[interleaved.length];
        for (int f = 0; f < m.numberOfFrames(); f++) {
            int base = f * frameBytes;
            for (int s = 0; s < samples; s++) {
                for (int p = 0; p < pixels; p++) {
                    System.arraycopy(interleaved, base + (p * samples + s) * itemSize, out,
                            base + (s * pixels + p) * itemSize, itemSize);
                }
            }
        }
        return out;
    }

    private byte[] header(int tag, String vr, long length) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(12);
        o.writeBytes(number(tag >>> 16, 2));
        o.writeBytes(number(tag & 0xFFFF, 2));
        if (!explicit) {
            o.writeBytes(number(length, 4));
        } else if (DatasetParser.LONG_VRS.contains(vr)) {
            o.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(new byte[2]);
            o.writeBytes(number(length, 4));
        } else {
            if (length > 0xFFFF) {
                throw new DicomException(Tags.format(tag) + " value of " + length + " bytes is too long for VR "
                        + vr);
            }
            o.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(number(length, 2));
        }
        return o.toByteArray();
    }

    private byte[] itemHeader(int tag, long length) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(8);
        o.writeBytes(number(tag >>> 16, 2));
        o.writeBytes(number(tag & 0xFFFF, 2));
        o.writeBytes(number(length, 4));
        return o.toByteArray();
    }

    private byte[] number(long v, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int shift = bigEndian ? 8 * (size - 1 - i) : 8 * i;
            b[i] = (byte) (v >>> shift);
        }
        return b;
    }
}
