package org.lovt.data.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A DICOM Part 10 file read into memory: its file meta, its dataset, and (decoded on demand) its pixels.
 *
 * <pre>{@code
 * DicomFile f = DicomFile.read(Path.of("xray.dcm"));
 * PixelArray px = f.pixels();            // pydicom's ds.pixel_array: stored values, shape [frames,] rows, cols[, samples]
 * float[] gray = px.toFloatGray(0);      // rescaled, MONOCHROME1 inverted: for X-ray preparation
 * }</pre>
 *
 * <p>Strictness, decided from pydicom 2.3.1's behaviour on the reference files:
 * <ul>
 *   <li>A file without the 128-byte preamble and {@code DICM} prefix is refused, as {@code dcmread()} refuses it
 *       without {@code force=True} ({@code no_meta.dcm}).</li>
 *   <li>A file meta without Transfer Syntax UID is read the way pydicom reads it (Implicit VR Little Endian unless
 *       the first element carries a valid explicit VR), but its pixels are refused, as pydicom refuses them
 *       ({@code meta_missing_tsyntax.dcm}).</li>
 *   <li>Any declared length that runs past its container is an error at read time, including in sequences, where
 *       pydicom silently stops ({@code rtplan_truncated.dcm}) and in Pixel Data ({@code MR_truncated.dcm}).</li>
 *   <li>Values are decoded when used, so a dataset with an invalid value reads and fails only when that value is
 *       needed ({@code badVR.dcm}: Number of Frames "1A").</li>
 * </ul>
 */
public final class DicomFile {
    /** Files larger than this cannot be held in one Java array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
    /** Upper bound on an inflated Deflated dataset, so a deflate bomb fails instead of exhausting the heap. */
    static final long MAX_INFLATED_BYTES = 1L << 30;

    private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);

    private final String source;
    private final DicomDataset fileMeta;
    private final DicomDataset dataset;
    private final TransferSyntax transferSyntax;
    private final boolean datasetImplicitVr;
    private volatile PixelArray pixels;

    private DicomFile(String source, DicomDataset fileMeta, DicomDataset dataset, TransferSyntax transferSyntax,
                      boolean datasetImplicitVr) {
        this.source = source;
        this.fileMeta = fileMeta;
        this.dataset = dataset;
        this.transferSyntax = transferSyntax;
        this.datasetImplicitVr = datasetImplicitVr;
    }

    /**
     * Reads and parses a file (all of it; pixels are decoded by {@link #pixels()}).
     *
     * @throws DicomException when the file cannot be read, is not DICOM Part 10, or is malformed
     */
    public static DicomFile read(Path path) {
        String source = path.toString();
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new DicomException(source + ": file of " + size + " bytes is too large to read");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new DicomException(source + ": cannot read file: " + e, e);
        }
        return parse(bytes, source);
    }

    /**
     * Parses a file held in memory. The array is kept (element values are views into it) and must not be changed.
     *
     * @param source the name used in messages
     * @throws DicomException when the bytes are not DICOM Part 10 or are malformed
     */
    public static DicomFile parse(byte[] bytes, String source) {
        if (bytes.length < 132 || !Arrays.equals(bytes, 128, 132, DICM, 0, 4)) {
            throw new DicomException(source + ": not a DICOM Part 10 file: no 'DICM' prefix at offset 128 after the"
                    + " 128-byte preamble (the File Meta Information header is missing; pydicom also refuses such"
                    + " files unless force=True)");
        }
        DatasetParser metaParser = new DatasetParser(bytes, 132, bytes.length, true, false, source, "");
        DicomDataset meta = metaParser.parseFileMeta();
        if (meta.size() == 0) {
            throw new DicomException(source + ": File Meta Information at offset 132 has no group 0002 elements");
        }
        int datasetStart = metaParser.position();
        String uid = meta.getString(Tags.TRANSFER_SYNTAX_UID);
        TransferSyntax ts = uid == null || uid.isEmpty() ? null : TransferSyntax.of(uid.strip());

        byte[] stream = bytes;
        int start = datasetStart;
        String where = "";
        if (ts != null && ts.deflated()) {
            stream = inflate(bytes, datasetStart, source);
            start = 0;
            where = " of the inflated dataset (file offset " + datasetStart + " + inflated offset)";
        }
        boolean explicit;
        boolean bigEndian;
        if (ts != null) {
            explicit = ts.explicitVr();
            bigEndian = !ts.littleEndian();
        } else {
            // pydicom's fallback without a transfer syntax: little endian, implicit unless a VR is visible.
            explicit = DatasetParser.looksExplicit(stream, start, stream.length);
            bigEndian = false;
        }
        DicomDataset ds = new DatasetParser(stream, start, stream.length, explicit, bigEndian, source, where)
                .parseDataset();
        return new DicomFile(source, meta, ds, ts, !explicit);
    }

    private static byte[] inflate(byte[] bytes, int from, String source) {
        Inflater inflater = new Inflater(true); // raw deflate: no zlib header (PS3.5 §A.5)
        try {
            inflater.setInput(bytes, from, bytes.length - from);
            byte[] out = new byte[Math.max(1024, Math.min((bytes.length - from) * 4, 1 << 24))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= MAX_INFLATED_BYTES) {
                        throw new DicomException(source + ": deflated dataset at offset " + from + " inflates to more"
                                + " than " + MAX_INFLATED_BYTES + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_BYTES, 2L * out.length));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DicomException(source + ": deflated dataset at offset " + from
                            + " is truncated (the deflate stream does not end)");
                }
                n += got;
            }
            return Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new DicomException(source + ": deflated dataset at offset " + from + " is corrupt: "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** The file name used in messages. */
    public String source() {
        return source;
    }

    /** The File Meta Information (group 0002) elements. */
    public DicomDataset fileMeta() {
        return fileMeta;
    }

    /** The dataset after the file meta. */
    public DicomDataset dataset() {
        return dataset;
    }

    /** The transfer syntax, or null when the file meta lacks (0002,0010). */
    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** Whether the dataset was parsed as implicit VR (stated, or guessed when the transfer syntax is missing). */
    public boolean implicitVr() {
        return datasetImplicitVr;
    }

    /**
     * The Image Pixel module of the dataset.
     *
     * @throws DicomException when a required attribute is missing or invalid
     */
    public PixelModule pixelModule() {
        return PixelModule.of(dataset);
    }

    /**
     * The decoded pixels in pydicom's {@code pixel_array} convention (computed once, then cached).
     *
     * @throws DicomException when there is no Pixel Data, the pixel module is invalid, the data are shorter than the
     *                        module requires, or the transfer syntax is not decodable here
     */
    public PixelArray pixels() {
        PixelArray p = pixels;
        if (p == null) {
            p = PixelDecoder.decode(this);
            pixels = p;
        }
        return p;
    }
}
