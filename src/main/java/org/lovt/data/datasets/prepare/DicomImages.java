package org.lovt.data.datasets.prepare;

import java.nio.file.Path;

import org.lovt.LovtException;
import org.lovt.data.dicom.DicomFile;
import org.lovt.data.dicom.Dtype;
import org.lovt.data.dicom.PixelArray;

/**
 * The DICOM images of RSNA and SIIM as the original used them: pydicom's {@code pixel_array}, i.e. the stored values
 * without rescale, VOI LUT or MONOCHROME1 inversion (spec §7). A MONOCHROME1 image would therefore look inverted;
 * it is kept as the original kept it, and reported.
 */
public final class DicomImages {
    /** Levels above this many distinct values (wider than 16 bits) are refused. */
    private static final long MAX_LEVELS = 1 << 16;

    private DicomImages() {}

    /** The stored 8-bit pixels of a single-frame grey DICOM. @throws LovtException for anything else */
    public static Gray8 readUint8(Path file, String id, PrepareReport report) {
        PixelArray px = readGrey(file, id, report);
        if (px.dtype() != Dtype.UINT8) {
            throw new LovtException(file + ": expected 8-bit pixels, found " + px.dtype());
        }
        return new Gray8(px.columns(), px.rows(), px.bytes());
    }

    /**
     * The stored values of a single-frame grey DICOM divided by {@code divisor} ({@code pixel_array / 255.} for
     * SIIM), as levels. 8- and 16-bit, signed or unsigned.
     */
    public static LevelImage readLevels(Path file, String id, double divisor, PrepareReport report) {
        PixelArray px = readGrey(file, id, report);
        int n = px.size();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long v = px.get(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (max - min + 1 > MAX_LEVELS) {
            throw new LovtException(file + ": pixel values span " + min + ".." + max + "; at most 16 bits are supported");
        }
        int[] levels = new int[n];
        for (int i = 0; i < n; i++) {
            levels[i] = (int) (px.get(i) - min);
        }
        double[] value = new double[(int) (max - min + 1)];
        for (int l = 0; l < value.length; l++) {
            value[l] = (min + l) / divisor;
        }
        return new LevelImage(px.columns(), px.rows(), levels, value);
    }

    private static PixelArray readGrey(Path file, String id, PrepareReport report) {
        PixelArray px = DicomFile.read(file).pixels();
        if (px.frames() != 1 || px.samples() != 1) {
            throw new LovtException(file + ": expected one grey frame, found " + px);
        }
        if (px.dtype() == Dtype.UINT32 || px.dtype() == Dtype.INT32) {
            throw new LovtException(file + ": 32-bit pixels are not supported");
        }
        if (px.module().photometricInterpretation().equals("MONOCHROME1")) {
            report.warn(id, file.toString(), "MONOCHROME1 image used with its stored values (not inverted), as the"
                    + " original did");
        }
        return px;
    }
}
