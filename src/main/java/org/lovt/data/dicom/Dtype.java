package org.lovt.data.dicom;

/** Element type of a {@link PixelArray}, named as numpy names it (pydicom's {@code pixel_array.dtype}). */
public enum Dtype {
    UINT8("uint8", 1, false),
    INT8("int8", 1, true),
    UINT16("uint16", 2, false),
    INT16("int16", 2, true),
    UINT32("uint32", 4, false),
    INT32("int32", 4, true);

    private final String numpyName;
    private final int itemSize;
    private final boolean signed;

    Dtype(String numpyName, int itemSize, boolean signed) {
        this.numpyName = numpyName;
        this.itemSize = itemSize;
        this.signed = signed;
    }

    /** numpy's name: {@code uint8}, {@code int16}, ... */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** Whether the type is two's complement signed. */
    public boolean signed() {
        return signed;
    }

    /**
     * pydicom's {@code pixel_dtype}: Bits Allocated 1 is unpacked to uint8; 8, 16 and 32 give the integer type of
     * that size, signed when Pixel Representation is 1.
     */
    public static Dtype of(int bitsAllocated, int pixelRepresentation) {
        boolean s = pixelRepresentation == 1;
        return switch (bitsAllocated) {
            case 1 -> UINT8;
            case 8 -> s ? INT8 : UINT8;
            case 16 -> s ? INT16 : UINT16;
            case 32 -> s ? INT32 : UINT32;
            default -> throw new IllegalArgumentException("no integer dtype for Bits Allocated " + bitsAllocated);
        };
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
