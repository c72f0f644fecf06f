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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.Deflater;

/**
 * A small DICOM Part 10 writer for tests and preparers: a Secondary Capture dataset holding one image with its
 * pixel module.
 *
 * <ul>
 *   <li>{@link #toBytes(PixelArray)} encodes the array itself: Explicit VR Little Endian (default), Implicit VR
 *       Little Endian, Explicit VR Big Endian, Deflated Explicit VR Little Endian or RLE Lossless.</li>
 *   <li>{@link #toBytes(PixelModule, List)} encapsulates frames that are already compressed (e.g. JPEG bytes from an
 *       encoder) under any compressed transfer syntax, with or without a Basic Offset Table and optionally split
 *       into several fragments per frame.</li>
 * </ul>
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
    private static final String IMPLEMENTATION_CLASS_UID =
            uuidUid("org.lovt.data.dicom.DicomWriter".getBytes(StandardCharsets.US_ASCII));

    private record Attribute(String vr, String value) {}

    private TransferSyntax transferSyntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private int planarConfiguration;
    private boolean basicOffsetTable;
    private int maxFragmentBytes = Integer.MAX_VALUE;
    private final Map<Integer, Attribute> strings = new TreeMap<>(Integer::compareUnsigned);

    private DicomWriter() {}

    /** A writer for Explicit VR Little Endian with interleaved colour samples. */
    public static DicomWriter create() {
        return new DicomWriter();
    }

    /** The transfer syntax to write (any known one; which {@code toBytes} accepts it is checked there). */
    public DicomWriter transferSyntax(TransferSyntax ts) {
        if (!ts.isKnown()) {
            throw new DicomException("DicomWriter cannot write unknown transfer syntax " + ts.uid());
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

    /** Whether encapsulated Pixel Data get a filled Basic Offset Table (default: empty, as most encoders write). */
    public DicomWriter basicOffsetTable(boolean write) {
        this.basicOffsetTable = write;
        return this;
    }

    /** Splits each encapsulated frame into fragments of at most this many bytes (even; default: one fragment). */
    public DicomWriter maxFragmentBytes(int bytes) {
        if (bytes < 2 || bytes % 2 != 0) {
            throw new DicomException("fragment size must be even and at least 2, not " + bytes);
        }
        this.maxFragmentBytes = bytes;
        return this;
    }

    /** An extra text attribute (e.g. {@code Tags.PATIENT_ID, "LO", "p1"}); pixel-module tags come from the image. */
    public DicomWriter string(int tag, String vr, String value) {
        int group = tag >>> 16;
        if (group == 0x0002 || group == 0x0028 || group == 0x7FE0 || group == 0xFFFE) {
            throw new DicomException("DicomWriter writes " + Tags.format(tag) + " itself");
        }
        strings.put(tag, new Attribute(vr, value));
        return this;
    }

    /** Writes {@link #toBytes(PixelArray)} atomically (a temporary file beside it, then a rename). */
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

    /**
     * The complete Part 10 file holding {@code pixels}, encoded in a native transfer syntax or RLE Lossless.
     *
     * @throws DicomException for other transfer syntaxes, YBR_FULL_422 (whose subsampling would lose data) and
     *                        Bits Allocated 1 in RLE
     */
    public byte[] toBytes(PixelArray pixels) {
        PixelModule m = pixels.module();
        TransferSyntax ts = transferSyntax;
        if (ts.codec() != TransferSyntax.Codec.NATIVE && ts.codec() != TransferSyntax.Codec.RLE) {
            throw new DicomException("DicomWriter cannot encode pixels as " + ts
                    + "; encode the frames yourself and use toBytes(PixelModule, List<byte[]>)");
        }
        if (m.photometricInterpretation().equals("YBR_FULL_422")) {
            throw new DicomException("DicomWriter cannot write YBR_FULL_422 (its chroma subsampling is lossy);"
                    + " write the upsampled array as YBR_FULL");
        }
        if (ts.codec() == TransferSyntax.Codec.RLE && m.bitsAllocated() == 1) {
            throw new DicomException("DicomWriter cannot write Bits Allocated 1 as RLE Lossless");
        }
        ElementEncoder enc = new ElementEncoder(ts.explicitVr(), !ts.littleEndian());
        byte[] pixelData = ts.codec() == TransferSyntax.Codec.RLE
                ? enc.encapsulated(rleFrames(pixels), false, Integer.MAX_VALUE)
                : enc.nativePixelData(pixels, planarConfiguration);
        int planar = ts.codec() == TransferSyntax.Codec.RLE ? 0 : planarConfiguration;
        return assemble(m, planar, pixelData, digest(pixels.bytes(), ts.uid()));
    }

    /**
     * The complete Part 10 file whose Pixel Data encapsulate {@code frames} as they are (one list entry per frame)
     * under the writer's compressed transfer syntax; the module must describe what they decode to.
     *
     * @throws DicomException when the transfer syntax is not a compressed one or the frame count differs
     */
    public byte[] toBytes(PixelModule module, List<byte[]> frames) {
        TransferSyntax ts = transferSyntax;
        if (!ts.encapsulated()) {
            throw new DicomException("transfer syntax " + ts + " does not encapsulate compressed frames");
        }
        if (frames.size() != module.numberOfFrames()) {
            throw new DicomException(frames.size() + " frames for a module of " + module.numberOfFrames());
        }
        ElementEncoder enc = new ElementEncoder(true, false);
        byte[] pixelData = enc.encapsulated(frames.toArray(new byte[0][]), basicOffsetTable, maxFragmentBytes);
        return assemble(module, 0, pixelData, digest(pixelData, ts.uid()));
    }

    private byte[] assemble(PixelModule m, int planar, byte[] pixelData, byte[] contentDigest) {
        TransferSyntax ts = transferSyntax;
        String sopInstance = uuidUid(contentDigest);
        ElementEncoder enc = new ElementEncoder(ts.explicitVr(), !ts.littleEndian());
        Map<Integer, byte[]> out = new TreeMap<>(Integer::compareUnsigned);
        enc.text(out, Tags.SOP_CLASS_UID, "UI", SECONDARY_CAPTURE);
        enc.text(out, Tags.SOP_INSTANCE_UID, "UI", sopInstance);
        enc.text(out, Tags.MODALITY, "CS", "OT");
        for (Map.Entry<Integer, Attribute> e : strings.entrySet()) {
            enc.text(out, e.getKey(), e.getValue().vr(), e.getValue().value());
        }
        enc.us(out, Tags.SAMPLES_PER_PIXEL, m.samplesPerPixel());
        enc.text(out, Tags.PHOTOMETRIC_INTERPRETATION, "CS", m.photometricInterpretation());
        if (m.samplesPerPixel() > 1) {
            enc.us(out, Tags.PLANAR_CONFIGURATION, planar);
        }
        if (m.numberOfFramesPresent()) {
            enc.text(out, Tags.NUMBER_OF_FRAMES, "IS", String.valueOf(m.numberOfFrames()));
        }
        enc.us(out, Tags.ROWS, m.rows());
        enc.us(out, Tags.COLUMNS, m.columns());
        enc.us(out, Tags.BITS_ALLOCATED, m.bitsAllocated());
        enc.us(out, Tags.BITS_STORED, m.bitsStored());
        enc.us(out, Tags.HIGH_BIT, m.highBit());
        enc.us(out, Tags.PIXEL_REPRESENTATION, m.pixelRepresentation());
        if (m.rescaleIntercept() != null) {
            enc.text(out, Tags.RESCALE_INTERCEPT, "DS", decimalString(m.rescaleIntercept()));
        }
        if (m.rescaleSlope() != null) {
            enc.text(out, Tags.RESCALE_SLOPE, "DS", decimalString(m.rescaleSlope()));
        }
        out.put(Tags.PIXEL_DATA, pixelData);
        byte[] dataset = concat(out);
        if (ts.deflated()) {
            dataset = deflate(dataset);
        }

        ElementEncoder metaEnc = new ElementEncoder(true, false);
        Map<Integer, byte[]> meta = new TreeMap<>(Integer::compareUnsigned);
        metaEnc.raw(meta, Tags.FILE_META_VERSION, "OB", new byte[] {0, 1});
        metaEnc.text(meta, Tags.MEDIA_STORAGE_SOP_CLASS_UID, "UI", SECONDARY_CAPTURE);
        metaEnc.text(meta, Tags.MEDIA_STORAGE_SOP_INSTANCE_UID, "UI", sopInstance);
        metaEnc.text(meta, Tags.TRANSFER_SYNTAX_UID, "UI", ts.uid());
        metaEnc.text(meta, Tags.IMPLEMENTATION_CLASS_UID, "UI", IMPLEMENTATION_CLASS_UID);
        byte[] metaBody = concat(meta);
        Map<Integer, byte[]> groupLength = new TreeMap<>();
        metaEnc.ul(groupLength, Tags.FILE_META_GROUP_LENGTH, metaBody.length);

        ByteArrayOutputStream file = new ByteArrayOutputStream(132 + metaBody.length + dataset.length + 12);
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(groupLength.get(Tags.FILE_META_GROUP_LENGTH));
        file.writeBytes(metaBody);
        file.writeBytes(dataset);
        return file.toByteArray();
    }

    private static byte[] concat(Map<Integer, byte[]> elements) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] e : elements.values()) {
            o.writeBytes(e);
        }
        return o.toByteArray();
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
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // raw deflate, PS3.5 §A.5
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
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        BigInteger hi = BigInteger.valueOf(u.getMostSignificantBits()).and(mask);
        BigInteger lo = BigInteger.valueOf(u.getLeastSignificantBits()).and(mask);
        return "2.25." + hi.shiftLeft(64).or(lo);
    }
}
