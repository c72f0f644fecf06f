package org.lovt.data.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Decoded pixels in pydicom's {@code ds.pixel_array} convention: the stored values before any rescale, VOI LUT or
 * MONOCHROME1 inversion, shape {@code [frames,] rows, columns[, samples]} in C order, samples interleaved per pixel
 * whatever the Planar Configuration, YCbCr left as YCbCr, and Bits Allocated 1 unpacked to one uint8 per pixel.
 *
 * <p>The elements are held as raw little-endian bytes of the numpy {@link #dtype()}, so {@link #sha256()} equals the
 * SHA-256 of {@code arr.astype(arr.dtype.newbyteorder('<')).tobytes()} in Python.
 */
public final class PixelArray {
    private final PixelModule module;
    private final Dtype dtype;
    private final byte[] data;
    private final List<String> warnings;

    /**
     * @param module           the pixel module the values follow (shape and dtype come from it)
     * @param littleEndianData the elements, little endian, C order over {@link PixelModule#shape()}; kept, not copied
     * @throws DicomException when the data length does not match the module
     */
    public PixelArray(PixelModule module, byte[] littleEndianData) {
        this(module, littleEndianData, List.of());
    }

    PixelArray(PixelModule module, byte[] littleEndianData, List<String> warnings) {
        this.module = module;
        this.dtype = module.dtype();
        long expected = module.elementCount() * dtype.itemSize();
        if (littleEndianData.length != expected) {
            throw new DicomException("pixel array of " + littleEndianData.length + " bytes does not match its module ("
                    + Arrays.toString(module.shape()) + " " + dtype + " = " + expected + " bytes)");
        }
        this.data = littleEndianData;
        this.warnings = List.copyOf(warnings);
    }

    /** The pixel module the values follow (photometric interpretation, rescale, bits). */
    public PixelModule module() {
        return module;
    }

    /** The element type. */
    public Dtype dtype() {
        return dtype;
    }

    /** {@code [frames,] rows, columns[, samples]}. */
    public int[] shape() {
        return module.shape();
    }

    /** Number of frames (1 when the array has no frame axis). */
    public int frames() {
        return module.numberOfFrames();
    }

    /** Rows. */
    public int rows() {
        return module.rows();
    }

    /** Columns. */
    public int columns() {
        return module.columns();
    }

    /** Samples per pixel. */
    public int samples() {
        return module.samplesPerPixel();
    }

    /** Number of elements. */
    public int size() {
        return data.length / dtype.itemSize();
    }

    /** Number of bytes of {@link #bytes()}. */
    public int byteLength() {
        return data.length;
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    /** A read-only little-endian view of the raw bytes. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Non-fatal findings of the decoder, worded like pydicom's warnings (e.g. excess Pixel Data padding). */
    public List<String> warnings() {
        return warnings;
    }

    /** Element {@code index} of the flattened array, as a signed or unsigned integer per the dtype. */
    public long get(int index) {
        int p = index * dtype.itemSize();
        return switch (dtype) {
            case UINT8 -> data[p] & 0xFFL;
            case INT8 -> data[p];
            case UINT16 -> (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8);
            case INT16 -> (short) ((data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8));
            case UINT32 -> int32(p) & 0xFFFFFFFFL;
            case INT32 -> int32(p);
        };
    }

    /** The element at (frame, row, column, sample). */
    public long get(int frame, int row, int column, int sample) {
        int s = samples();
        return get(((frame * rows() + row) * columns() + column) * s + sample);
    }

    private int int32(int p) {
        return (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8) | ((data[p + 2] & 0xFF) << 16) | (data[p + 3] << 24);
    }

    /** Smallest element. */
    public long min() {
        long m = Long.MAX_VALUE;
        for (int i = 0, n = size(); i < n; i++) {
            m = Math.min(m, get(i));
        }
        return m;
    }

    /** Largest element. */
    public long max() {
        long m = Long.MIN_VALUE;
        for (int i = 0, n = size(); i < n; i++) {
            m = Math.max(m, get(i));
        }
        return m;
    }

    /** Mean of all elements. */
    public double mean() {
        double sum = 0;
        for (int i = 0, n = size(); i < n; i++) {
            sum += get(i);
        }
        return sum / size();
    }

    /** Lower-case hex SHA-256 of the raw little-endian bytes. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * One grey frame as floats, row-major {@code rows * columns}: the Modality LUT rescale
     * ({@code value * slope + intercept}, slope 1 and intercept 0 when absent) and, for MONOCHROME1, an inversion that
     * maps the rescaled range of the stored bits onto itself reversed ({@code lo + hi - v}), so that brighter always
     * means a higher value while units and range stay those of the rescaled image. No VOI LUT or windowing.
     *
     * @throws DicomException when the image is not MONOCHROME1/2 or the frame does not exist
     */
    public float[] toFloatGray(int frame) {
        String pi = module.photometricInterpretation();
        if (!pi.equals("MONOCHROME1") && !pi.equals("MONOCHROME2")) {
            throw new DicomException("toFloatGray needs a MONOCHROME1 or MONOCHROME2 image, not " + pi);
        }
        checkFrame(frame);
        double slope = module.rescaleSlope() == null ? 1.0 : module.rescaleSlope();
        double intercept = module.rescaleIntercept() == null ? 0.0 : module.rescaleIntercept();
        boolean invert = pi.equals("MONOCHROME1");
        double flip = 0;
        if (invert) {
            int bits = module.bitsStored();
            boolean signed = module.pixelRepresentation() == 1;
            double lo = signed ? -Math.pow(2, bits - 1) : 0;
            double hi = signed ? Math.pow(2, bits - 1) - 1 : Math.pow(2, bits) - 1;
            flip = (lo * slope + intercept) + (hi * slope + intercept);
        }
        int n = rows() * columns();
        float[] out = new float[n];
        int base = frame * n;
        for (int i = 0; i < n; i++) {
            double v = get(base + i) * slope + intercept;
            out[i] = (float) (invert ? flip - v : v);
        }
        return out;
    }

    /**
     * One 8-bit colour frame as interleaved RGB bytes, {@code rows * columns * 3}: RGB as stored, YBR_FULL and
     * YBR_FULL_422 (already upsampled) converted with pydicom's {@code convert_color_space(arr, 'YBR_FULL', 'RGB')}
     * (ITU-R BT.601 full range in float32, rounded half up, clipped), which it reproduces bit for bit on the reference
     * files.
     *
     * @throws DicomException for other photometric interpretations, or when the array is not 8-bit
     */
    public byte[] toRgb8(int frame) {
        String pi = module.photometricInterpretation();
        if (dtype != Dtype.UINT8 || samples() != 3) {
            throw new DicomException("toRgb8 needs 8-bit unsigned 3-sample pixels, not " + dtype + " with "
                    + samples() + " samples");
        }
        checkFrame(frame);
        int n = rows() * columns() * 3;
        byte[] out = Arrays.copyOfRange(data, frame * n, frame * n + n);
        switch (pi) {
            case "RGB" -> {
                return out;
            }
            case "YBR_FULL", "YBR_FULL_422" -> {
                ColorSpaces.ybrFullToRgbInPlace(out);
                return out;
            }
            default -> throw new DicomException("toRgb8 cannot convert Photometric Interpretation " + pi + " to RGB");
        }
    }

    private void checkFrame(int frame) {
        if (frame < 0 || frame >= frames()) {
            throw new DicomException("frame " + frame + " does not exist (" + frames() + " frames)");
        }
    }

    @Override
    public String toString() {
        return "PixelArray" + Arrays.toString(shape()) + " " + dtype + " " + module.photometricInterpretation();
    }
}
