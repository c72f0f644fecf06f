package org.lovt.data.dicom;

import java.util.Set;

/**
 * The Image Pixel module attributes (PS3.3 §C.7.6.3) that decide how Pixel Data decode, plus Number of Frames and
 * the Modality LUT rescale.
 *
 * @param rows                      (0028,0010)
 * @param columns                   (0028,0011)
 * @param samplesPerPixel           (0028,0002): 1 or 3
 * @param bitsAllocated             (0028,0100): 1, 8, 16 or 32
 * @param bitsStored                (0028,0101), 1..bitsAllocated (defaults to bitsAllocated)
 * @param highBit                   (0028,0102), below bitsAllocated (defaults to bitsStored - 1)
 * @param pixelRepresentation       (0028,0103): 0 unsigned, 1 two's complement
 * @param photometricInterpretation (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL_422
 * @param planarConfiguration       (0028,0006): 0 interleaved, 1 by plane; null when absent
 * @param numberOfFrames            (0028,0008); 1 when absent or 0 (as pydicom)
 * @param numberOfFramesPresent     whether (0028,0008) is present (decides whether the array has a frame axis)
 * @param rescaleSlope              (0028,1053), or null
 * @param rescaleIntercept          (0028,1052), or null
 */
public record PixelModule(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, int highBit,
                          int pixelRepresentation, String photometricInterpretation, Integer planarConfiguration,
                          int numberOfFrames, boolean numberOfFramesPresent, Double rescaleSlope,
                          Double rescaleIntercept) {

    private static final Set<String> ONE_SAMPLE = Set.of("MONOCHROME1", "MONOCHROME2", "PALETTE COLOR");
    private static final Set<String> THREE_SAMPLES = Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_422",
            "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT", "HSV");

    /** Validates the combination; {@link #of(DicomDataset)} gives the same checks with the file name. */
    public PixelModule {
        String problem = problem(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit,
                pixelRepresentation, photometricInterpretation, planarConfiguration, numberOfFrames);
        if (problem != null) {
            throw new DicomException("invalid pixel module: " + problem);
        }
    }

    /** A single-frame module without rescale, with Bits Stored = Bits Allocated. */
    public static PixelModule of(int rows, int columns, int samplesPerPixel, int bitsAllocated,
                                 int pixelRepresentation, String photometricInterpretation) {
        return new PixelModule(rows, columns, samplesPerPixel, bitsAllocated, bitsAllocated, bitsAllocated - 1,
                pixelRepresentation, photometricInterpretation, samplesPerPixel > 1 ? 0 : null, 1, false, null, null);
    }

    /** This module with another frame count (the frame axis is present when {@code frames > 1}). */
    public PixelModule withFrames(int frames) {
        return new PixelModule(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation,
                photometricInterpretation, planarConfiguration, frames, frames > 1, rescaleSlope, rescaleIntercept);
    }

    /** This module with a Modality LUT rescale. */
    public PixelModule withRescale(Double slope, Double intercept) {
        return new PixelModule(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation,
                photometricInterpretation, planarConfiguration, numberOfFrames, numberOfFramesPresent, slope,
                intercept);
    }

    /** This module with other Bits Stored and High Bit (e.g. 12 bits stored in 16 allocated). */
    public PixelModule withBitsStored(int stored, int high) {
        return new PixelModule(rows, columns, samplesPerPixel, bitsAllocated, stored, high, pixelRepresentation,
                photometricInterpretation, planarConfiguration, numberOfFrames, numberOfFramesPresent, rescaleSlope,
                rescaleIntercept);
    }

    /** The element type of the decoded array. */
    public Dtype dtype() {
        return Dtype.of(bitsAllocated, pixelRepresentation);
    }

    /** Whether the decoded array has a leading frame axis (pydicom: Number of Frames present and above 1). */
    public boolean hasFrameAxis() {
        return numberOfFramesPresent && numberOfFrames > 1;
    }

    /** Shape of the decoded array: {@code [frames,] rows, columns[, samples]}. */
    public int[] shape() {
        int n = 2 + (hasFrameAxis() ? 1 : 0) + (samplesPerPixel > 1 ? 1 : 0);
        int[] s = new int[n];
        int i = 0;
        if (hasFrameAxis()) {
            s[i++] = numberOfFrames;
        }
        s[i++] = rows;
        s[i++] = columns;
        if (samplesPerPixel > 1) {
            s[i] = samplesPerPixel;
        }
        return s;
    }

    /** Number of elements of the decoded array (may exceed an int: callers check before allocating). */
    public long elementCount() {
        return (long) numberOfFrames * rows * columns * samplesPerPixel;
    }

    /**
     * Reads the module from a dataset, with pydicom's defaults (Number of Frames absent or 0 → 1).
     *
     * @throws DicomException naming the file and the attribute when one is missing or invalid
     */
    public static PixelModule of(DicomDataset ds) {
        String src = ds.source();
        int rows = required(ds, Tags.ROWS);
        int columns = required(ds, Tags.COLUMNS);
        int samples = required(ds, Tags.SAMPLES_PER_PIXEL);
        int bitsAllocated = required(ds, Tags.BITS_ALLOCATED);
        int pixelRepresentation = required(ds, Tags.PIXEL_REPRESENTATION);
        String photometric = ds.getString(Tags.PHOTOMETRIC_INTERPRETATION);
        if (photometric == null || photometric.isBlank()) {
            throw new DicomException(src + ": missing " + Tags.describe(Tags.PHOTOMETRIC_INTERPRETATION)
                    + ", required to decode Pixel Data");
        }
        photometric = photometric.strip();
        int bitsStored = ds.getInt(Tags.BITS_STORED, bitsAllocated);
        int highBit = ds.getInt(Tags.HIGH_BIT, bitsStored - 1);
        Integer planar = ds.getInt(Tags.PLANAR_CONFIGURATION);
        Integer frames = ds.getInt(Tags.NUMBER_OF_FRAMES);
        boolean framesPresent = frames != null;
        int nFrames = frames == null || frames == 0 ? 1 : frames;
        Double slope = ds.getDouble(Tags.RESCALE_SLOPE);
        Double intercept = ds.getDouble(Tags.RESCALE_INTERCEPT);
        String problem = problem(rows, columns, samples, bitsAllocated, bitsStored, highBit, pixelRepresentation,
                photometric, planar, nFrames);
        if (problem != null) {
            throw new DicomException(src + ": " + problem);
        }
        return new PixelModule(rows, columns, samples, bitsAllocated, bitsStored, highBit, pixelRepresentation,
                photometric, planar, nFrames, framesPresent, slope, intercept);
    }

    private static int required(DicomDataset ds, int tag) {
        Integer v = ds.getInt(tag);
        if (v == null) {
            throw new DicomException(ds.source() + ": missing " + Tags.describe(tag) + ", required to decode Pixel Data");
        }
        return v;
    }

    private static String problem(int rows, int columns, int samples, int bitsAllocated, int bitsStored, int highBit,
                                  int pixelRepresentation, String photometric, Integer planar, int frames) {
        if (rows < 1 || rows > 65535 || columns < 1 || columns > 65535) {
            return "Rows x Columns " + rows + " x " + columns + " is not a valid image size";
        }
        if (samples != 1 && samples != 3) {
            return "Samples per Pixel " + samples + " is not supported (1 or 3)";
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            return "Bits Allocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)";
        }
        if (bitsAllocated == 1 && samples != 1) {
            return "Bits Allocated 1 needs Samples per Pixel 1, not " + samples;
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            return "Bits Stored " + bitsStored + " is not in 1.." + bitsAllocated + " (Bits Allocated)";
        }
        if (highBit < 0 || highBit >= bitsAllocated) {
            return "High Bit " + highBit + " is not in 0.." + (bitsAllocated - 1);
        }
        if (pixelRepresentation != 0 && pixelRepresentation != 1) {
            return "Pixel Representation " + pixelRepresentation + " is not 0 or 1";
        }
        if (photometric == null) {
            return "Photometric Interpretation is missing";
        }
        if (ONE_SAMPLE.contains(photometric)) {
            if (samples != 1) {
                return "Photometric Interpretation " + photometric + " needs Samples per Pixel 1, not " + samples;
            }
        } else if (THREE_SAMPLES.contains(photometric)) {
            if (samples != 3) {
                return "Photometric Interpretation " + photometric + " needs Samples per Pixel 3, not " + samples;
            }
        } else {
            return "Photometric Interpretation '" + photometric + "' is not a defined term";
        }
        if (planar != null && planar != 0 && planar != 1) {
            return "Planar Configuration " + planar + " is not 0 or 1";
        }
        if (frames < 1) {
            return "Number of Frames " + frames + " is negative";
        }
        return null;
    }
}
