package org.lovt.data.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text of {@code lovt inspect FILE.dcm}: the transfer syntax, the pixel-module attributes as stored, and the
 * decoded array's shape, dtype, min, max and SHA-256 (of its raw little-endian bytes, comparable with
 * {@code hashlib.sha256(ds.pixel_array.astype('<' + dtype).tobytes())}).
 */
public final class DicomInspect {
    private DicomInspect() {}

    private static final int[][] MODULE_TAGS = {
            {Tags.ROWS}, {Tags.COLUMNS}, {Tags.SAMPLES_PER_PIXEL}, {Tags.BITS_ALLOCATED}, {Tags.BITS_STORED},
            {Tags.HIGH_BIT}, {Tags.PIXEL_REPRESENTATION}, {Tags.PHOTOMETRIC_INTERPRETATION},
            {Tags.PLANAR_CONFIGURATION}, {Tags.NUMBER_OF_FRAMES}, {Tags.RESCALE_SLOPE}, {Tags.RESCALE_INTERCEPT}};

    /**
     * Lines describing one file. A file that cannot be read throws; a file whose pixels cannot be decoded (for
     * example an unsupported transfer syntax) is still described, with a final {@code pixels: not decoded: ...} line,
     * because its header is exactly what one wants to see then.
     *
     * @throws DicomException when the file is not readable DICOM Part 10
     */
    public static List<String> describe(Path path) {
        return describe(DicomFile.read(path));
    }

    /** {@link #describe(Path)} for a file already read. */
    public static List<String> describe(DicomFile f) {
        List<String> lines = new ArrayList<>();
        lines.add("file: " + f.source());
        TransferSyntax ts = f.transferSyntax();
        lines.add("transfer syntax: " + (ts == null
                ? "(absent; dataset read as " + (f.implicitVr() ? "implicit" : "explicit") + " VR little endian)"
                : ts.uid() + " (" + ts.name() + ")"));
        DicomDataset ds = f.dataset();
        for (int[] t : MODULE_TAGS) {
            DicomElement e = ds.get(t[0]);
            String value = e == null ? "(absent)" : e.string().strip();
            if (e != null && (e.vr().equals("US") || e.vr().equals("SS"))) {
                try {
                    value = String.valueOf(ds.getInt(t[0]));
                } catch (DicomException ex) {
                    value = "(invalid: " + ex.getMessage() + ")";
                }
            }
            lines.add(Tags.nameOf(t[0]).toLowerCase() + " " + Tags.format(t[0]) + ": " + value);
        }
        try {
            PixelArray px = f.pixels();
            lines.add("shape: " + Arrays.toString(px.shape()));
            lines.add("dtype: " + px.dtype().numpyName());
            lines.add("min: " + px.min());
            lines.add("max: " + px.max());
            lines.add("sha256: " + px.sha256());
            for (String w : px.warnings()) {
                lines.add("warning: " + w);
            }
        } catch (DicomException e) {
            lines.add("pixels: not decoded: " + e.getMessage());
        }
        return lines;
    }
}
