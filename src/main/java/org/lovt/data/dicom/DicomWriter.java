package org.lovt.data.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.Deflater;

/**
 * A small DICOM Part 10 writer for tests and preparers: a Secondary Capture dataset holding one {@link PixelArray}
 * with its pixel module, in Explicit VR Little Endian (default), Implicit VR Little Endian, Explicit VR Big Endian,
 * Deflated Explicit VR Little Endian or RLE Lossless.
 *
 * <pre>{@code
 * byte[] dcm = DicomWriter.create().transferSyntax(TransferSyntax.RLE_LOSSLESS)
 *         .string(Tags.PATIENT_ID, "LO", "p1").toBytes(pixels);
 * }</pre>
 *
 * <p>UIDs are derived from the content ({@code 2.25.<uuid>}), so the same input always gives the same bytes.
 */
public final class DicomWriter {
    /** Secondary Capture Image Storage. */
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String IMPLEMENTATION_CLASS_UID = uuidUid("org.lovt.data.dicom.DicomWriter".getBytes(
            StandardCharsets.US_ASCII));

    private TransferSyntax transferSyntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private int planarConfiguration;
    private final Map<Integer, Attribute> strings = new TreeMap<>(Integer::compareUnsigned);

    private record Attribute(String vr, String value) {}

    private DicomWriter() {}

    /** A writer for Explicit VR Little Endian with interleaved colour samples. */
    public static DicomWriter create() {
        return new DicomWriter();
    }

    /**
     * One of Implicit/Explicit VR Little Endian, Explicit VR Big Endian, Deflated Explicit VR Little Endian, RLE
     * Lossless.
     */
    public DicomWriter transferSyntax(TransferSyntax ts) {
        if (ts.codec() != TransferSyntax.Codec.NATIVE && ts.codec() != TransferSyntax.Codec.RLE) {
            throw new DicomException("DicomWriter cannot write transfer syntax " + ts);
        }
        this.transferSyntax = ts;
        return this;
    }

    /** Planar Configuration of native colour data: 0 (interleaved, default) or 1 (one plane per sample). */
    public DicomWriter planarConfiguration(int planar) {
        if (planar != 0 && planar != 1) {
            throw new DicomException("Planar Configuration must be 0 or 1, not " + planar);
        }
        this.planarConfiguration = planar;
        return this;
    }

    /** An extra text attribute (e.g. {@code Tags.PATIENT_ID, "LO", "p1"}); pixel-module tags are written from the array. */
    public DicomWriter string(int tag, String vr, String value) {
        if ((tag >>> 16) == 0x0002 || (tag >>> 16) == 0x0028 || (tag >>> 16) == 0x7FE0) {
            throw new DicomException("DicomWriter writes " + Tags.format(tag) + " itself");
        }
        strings.put(tag, new Attribute(vr, value));
        return this;
    }

    /** Writes the file atomically (a temporary file beside it, then a rename). */
    public void write(Path path, PixelArray pixels) {
        byte[] bytes = toBytes(pixels);
        Path abs = path.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DicomException(path + ": cannot write DICOM file: " + e, e);
        }
    }

    /** The complete Part 10 file. */
    public byte[] toBytes(PixelArray pixels) {
        PixelModule m = pixels.module();
        TransferSyntax ts = transferSyntax;
        if (m.photometricInterpretation().equals("YBR_FULL_422")) {
            throw new DicomException("DicomWriter cannot write YBR_FULL_422 (its chroma subsampling is lossy);"
                    + " write the upsampled array as YBR_FULL");
        }
        if (ts.codec() == TransferSyntax.Codec.RLE && m.bitsAllocated() == 1) {
            throw new DicomException("DicomWriter cannot write Bits Allocated 1 as RLE Lossless");
        }
        String sopInstance = uuidUid(digest(pixels.bytes(), ts.uid()));
        Encoder ds = new Encoder(ts.explicitVr(), !ts.littleEndian());
        Map<Integer, byte[]> out = new TreeMap<>(Integer::compareUnsigned);
        ds.text(out, Tags.SOP_CLASS_UID, "UI", SECONDARY_CAPTURE);
        ds.text(out, Tags.SOP_INSTANCE_UID, "UI", sopInstance);
        ds.text(out, Tags.MODALITY, "CS", "OT");
        for (Map.Entry<Integer, Attribute> e : strings.entrySet()) {
            ds.text(out, e.getKey(), e.getValue().vr(), e.getValue().value());
        }
        ds.us(out, Tags.SAMPLES_PER_PIXEL, m.samplesPerPixel());
        ds.text(out, Tags.PHOTOMETRIC_INTERPRETATION, "CS", m.photometricInterpretation());
        if (m.samplesPerPixel() > 1) {
            ds.us(out, Tags.PLANAR_CONFIGURATION, ts.codec() == TransferSyntax.Codec.RLE ? 0 : planarConfiguration);
        }
        if (m.numberOfFramesPresent()) {
            ds.text(out, Tags.NUMBER_OF_FRAMES, "IS", String.valueOf(m.numberOfFrames()));
        }
        ds.us(out, Tags.ROWS, m.rows());
        ds.us(out, Tags.COLUMNS, m.columns());
        ds.us(out, Tags.BITS_ALLOCATED, m.bitsAllocated());
        ds.us(out, Tags.BITS_STORED, m.bitsStored());
        ds.us(out, Tags.HIGH_BIT, m.highBit());
        ds.us(out, Tags.PIXEL_REPRESENTATION, m.pixelRepresentation());
        if (m.rescaleIntercept() != null) {
            ds.text(out, Tags.RESCALE_INTERCEPT, "DS", decimalString(m.rescaleIntercept()));
        }
        if (m.rescaleSlope() != null) {
            ds.text(out, Tags.RESCALE_SLOPE, "DS", decimalString(m.rescaleSlope()));
        }
        if (ts.codec() == TransferSyntax.Codec.RLE) {
            out.put(Tags.PIXEL_DATA, ds.encapsulated(Tags.PIXEL_DATA, rleFrames(pixels)));
        } else {
            out.put(Tags.PIXEL_DATA, ds.pixelData(pixels, planarConfiguration));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : out.values()) {
            body.writeBytes(e);
        }
        byte[] dataset = body.toByteArray();
        if (ts.deflated()) {
            dataset = deflate(dataset);
        }

        Encoder metaEnc = new Encoder(true, false);
        Map<Integer, byte[]> meta = new TreeMap<>(Integer::compareUnsigned);
        metaEnc.raw(meta, Tags.FILE_META_VERSION, "OB", new byte[] {0, 1});
        metaEnc.text(meta, Tags.MEDIA_STORAGE_SOP_CLASS_UID, "UI", SECONDARY_CAPTURE);
        metaEnc.text(meta, Tags.MEDIA_STORAGE_SOP_INSTANCE_UID, "UI", sopInstance);
        metaEnc.text(meta, Tags.TRANSFER_SYNTAX_UID, "UI", ts.uid());
        metaEnc.text(meta, Tags.IMPLEMENTATION_CLASS_UID, "UI", IMPLEMENTATION_CLASS_UID);
        ByteArrayOutputStream metaBody = new ByteArrayOutputStream();
        for (byte[] e : meta.values()) {
            metaBody.writeBytes(e);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        Map<Integer, byte[]> groupLength = new TreeMap<>();
        metaEnc.ul(groupLength, Tags.FILE_META_GROUP_LENGTH, metaBody.size());
        file.writeBytes(groupLength.get(Tags.FILE_META_GROUP_LENGTH));
        file.writeBytes(metaBody.toByteArray());
        file.writeBytes(dataset);
        return file.toByteArray();
    }

    private static byte[][] rleFrames(PixelArray px) {
        PixelModule m = px.module();
        int pixels = m.rows() * m.columns();
        int itemSize = m.dtype().itemSize();
        int frameBytes = pixels * m.samplesPerPixel() * itemSize;
        byte[] le = px.bytes();
        byte[][] frames = new byte[m.numberOfFrames()][];
        for (int f = 0; f < frames.length; f++) {
            frames[f] = RleCodec.encodeFrame(le, f * frameBytes, pixels, m.samplesPerPixel(), itemSize);
        }
        return frames;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** A DS value of at most 16 characters (PS3.5 Table 6.2-1). */
    static String decimalString(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.valueOf(v);
        if (s.length() > 16) {
            s = String.format("%.10g", v).strip();
            if (s.length() > 16) {
                s = String.format("%.6e", v);
            }
        }
        return s;
    }

    private static byte[] digest(byte[] a, String b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a);
            md.update(b.getBytes(StandardCharsets.US_ASCII));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code 2.25.<decimal of a name-based UUID>} (PS3.5 §B.2): a valid UID without a registered root. */
    private static String uuidUid(byte[] seed) {
        UUID u = UUID.nameUUIDFromBytes(seed);
        BigInteger hi = BigInteger.valueOf(u.getMostSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(
                BigInteger.ONE));
        BigInteger lo = BigInteger.valueOf(u.getLeastSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(
                BigInteger.ONE));
        return "2.25." + hi.shiftLeft(64).or(lo);
    }

    /** Element encoding for one transfer syntax; each call stores the encoded element under its tag. */
    private static final class Encoder {
        private final boolean explicit;
        private final boolean bigEndian;

        Encoder(boolean explicit, boolean bigEndian) {
            this.explicit = explicit;
            this.bigEndian = bigEndian;
        }

        void text(Map<Integer, byte[]> out, int tag, String vr, String value) {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            if (v.length % 2 != 0) {
                v = Arrays.copyOf(v, v.length + 1);
                v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
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
            out.put(tag, element(tag, vr, value, value.length));
        }

        byte[] pixelData(PixelArray px, int planar) {
            PixelModule m = px.module();
            byte[] v = px.bytes();
            int itemSize = m.dtype().itemSize();
            if (m.bitsAllocated() == 1) {
                byte[] packed = new byte[(v.length + 7) / 8];
                for (int i = 0; i < v.length; i++) {
                    packed[i >>> 3] |= (byte) ((v[i] & 1) << (i & 7));
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
            String vr = m.bitsAllocated() <= 8 ? "OB" : "OW";
            return element(Tags.PIXEL_DATA, vr, v, v.length);
        }

        byte[] encapsulated(int tag, byte[][] frames) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(header(tag, "OB", 0xFFFFFFFFL));
            o.writeBytes(itemHeader(Tags.ITEM, 0)); // empty Basic Offset Table
            for (byte[] f : frames) {
                o.writeBytes(itemHeader(Tags.ITEM, f.length));
                o.writeBytes(f);
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

        private byte[] element(int tag, String vr, byte[] value, long length) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(value.length + 12);
            o.writeBytes(header(tag, vr, length));
            o.writeBytes(value);
            return o.toByteArray();
        }

        private byte[] header(int tag, String vr, long length) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(12);
            o.writeBytes(number(tag >>> 16, 2));
            o.writeBytes(number(tag & 0xFFFF, 2));
            boolean longForm = DatasetParser.LONG_VRS.contains(vr);
            if (!explicit) {
                o.writeBytes(number(length, 4));
            } else if (longForm) {
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
}
