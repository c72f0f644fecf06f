package org.lovt.data.dicom;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One data element as it sits in the file: tag, VR, and a view of its value bytes (never copied at parse time).
 *
 * <p>A sequence ({@code SQ}, or an undefined-length {@code UN}) has items instead of a value; encapsulated Pixel
 * Data has fragments. Offsets are positions in the stream the element was parsed from: the file, or the inflated
 * dataset of a Deflated transfer syntax.
 */
final class DicomElement {
    /** Length field value meaning "undefined length, ends with a delimiter". */
    public static final int UNDEFINED_LENGTH = -1;

    private final int tag;
    private final String vr;
    private final byte[] stream;
    private final boolean bigEndian;
    private final int headerOffset;
    private final int lengthFieldOffset;
    private final int lengthFieldSize;
    private final int valueOffset;
    private final int length;
    private final List<DicomDataset> items;
    private final List<Fragment> fragments;

    DicomElement(int tag, String vr, byte[] stream, boolean bigEndian, int headerOffset, int lengthFieldOffset,
                 int lengthFieldSize, int valueOffset, int length, List<DicomDataset> items,
                 List<Fragment> fragments) {
        this.tag = tag;
        this.vr = vr;
        this.stream = stream;
        this.bigEndian = bigEndian;
        this.headerOffset = headerOffset;
        this.lengthFieldOffset = lengthFieldOffset;
        this.lengthFieldSize = lengthFieldSize;
        this.valueOffset = valueOffset;
        this.length = length;
        this.items = items == null ? null : List.copyOf(items);
        this.fragments = fragments == null ? null : List.copyOf(fragments);
    }

    /** The tag as {@code 0xGGGGEEEE}. */
    public int tag() {
        return tag;
    }

    /** The VR as stored (explicit VR) or looked up (implicit VR; {@code UN} when unknown). */
    public String vr() {
        return vr;
    }

    /** Offset of the element's tag in the stream it was parsed from. */
    public int offset() {
        return headerOffset;
    }

    /** Declared value length, or {@link #UNDEFINED_LENGTH}. */
    public int length() {
        return length;
    }

    /** Whether the value (numbers, native pixels) is big endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Whether this is a sequence of items. */
    public boolean isSequence() {
        return items != null;
    }

    /** Whether this is encapsulated (compressed) Pixel Data. */
    public boolean isEncapsulated() {
        return fragments != null;
    }

    /** The items of a sequence; empty for other elements. */
    public List<DicomDataset> items() {
        return items == null ? List.of() : items;
    }

    /** A copy of the value bytes (empty for sequences and encapsulated data). */
    public byte[] bytes() {
        if (items != null || fragments != null) {
            return new byte[0];
        }
        return Arrays.copyOfRange(stream, valueOffset, valueOffset + length);
    }

    /**
     * The value as text: ISO-8859-1 (byte for byte; the reader only interprets ASCII values), with trailing
     * NUL and space padding removed.
     */
    public String string() {
        if (items != null || fragments != null) {
            return "";
        }
        int end = valueOffset + length;
        while (end > valueOffset && (stream[end - 1] == 0 || stream[end - 1] == ' ')) {
            end--;
        }
        return new String(stream, valueOffset, end - valueOffset, StandardCharsets.ISO_8859_1);
    }

    byte[] stream() {
        return stream;
    }

    int valueOffset() {
        return valueOffset;
    }

    int lengthFieldOffset() {
        return lengthFieldOffset;
    }

    int lengthFieldSize() {
        return lengthFieldSize;
    }

    List<Fragment> fragments() {
        return fragments == null ? List.of() : fragments;
    }

    @Override
    public String toString() {
        return Tags.format(tag) + " " + vr + " " + (length == UNDEFINED_LENGTH ? "undefined" : length) + " bytes";
    }
}
