package org.lovt.data.dicom;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The data elements of one dataset (the top level, the file meta, or a sequence item), in file order.
 *
 * <p>Values are decoded on access, so a malformed value only fails when it is needed, like pydicom's lazy
 * conversion: {@code badVR.dcm} reads, and fails when its Number of Frames "1A" is used.
 */
final class DicomDataset {
    private static final Pattern DS = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern IS = Pattern.compile("[+-]?\\d{1,12}");

    private final String source;
    private final Map<Integer, DicomElement> elements = new LinkedHashMap<>();

    DicomDataset(String source) {
        this.source = source;
    }

    void put(DicomElement e) {
        elements.put(e.tag(), e); // a repeated tag replaces the earlier one, as in pydicom
    }

    /** The file this dataset was read from (for messages). */
    public String source() {
        return source;
    }

    /** Number of elements at this level (not counting nested items). */
    public int size() {
        return elements.size();
    }

    /** The elements at this level, in file order. */
    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    /** Whether the element is present at this level. */
    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** The element, or null. */
    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    /** The whole value as text without trailing padding, or null when absent. */
    public String getString(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? null : e.string();
    }

    /** The values of a multi-valued text element (split on backslash, each trimmed); empty when absent. */
    public List<String> getStrings(int tag) {
        String s = getString(tag);
        List<String> out = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String v : s.split("\\\\", -1)) {
            out.add(v.strip());
        }
        return out;
    }

    /** The items of a sequence; empty when absent. */
    public List<DicomDataset> getSequence(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /**
     * The first value as an int (US, SS, UL, SL, IS), or null when absent or empty.
     *
     * @throws DicomException when the value is not a valid number of its VR or does not fit an int
     */
    public Integer getInt(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.length() == 0) {
            return null;
        }
        long v;
        switch (e.vr()) {
            case "US" -> v = binary(e, 2) & 0xFFFFL;
            case "SS" -> v = (short) binary(e, 2);
            case "UL" -> v = binary(e, 4) & 0xFFFFFFFFL;
            case "SL" -> v = (int) binary(e, 4);
            case "IS" -> {
                String s = firstValue(e);
                if (s.isEmpty()) {
                    return null;
                }
                if (!IS.matcher(s).matches()) {
                    throw invalid(e, "IS", s);
                }
                v = Long.parseLong(s);
            }
            default -> throw new DicomException(source + ": cannot read " + Tags.describe(tag)
                    + " as an integer: VR " + e.vr() + " at offset " + e.offset());
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new DicomException(source + ": " + Tags.describe(tag) + " value " + v + " is out of range");
        }
        return (int) v;
    }

    /** {@link #getInt(int)}, or {@code defaultValue} when absent or empty. */
    public int getInt(int tag, int defaultValue) {
        Integer v = getInt(tag);
        return v == null ? defaultValue : v;
    }

    /**
     * The first value as a double (DS, IS, FL, FD and the integer VRs), or null when absent or empty.
     *
     * @throws DicomException when the value is not a valid number of its VR
     */
    public Double getDouble(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.length() == 0) {
            return null;
        }
        switch (e.vr()) {
            case "DS" -> {
                String s = firstValue(e);
                if (s.isEmpty()) {
                    return null;
                }
                if (!DS.matcher(s).matches()) {
                    throw invalid(e, "DS", s);
                }
                return Double.parseDouble(s);
            }
            case "FL" -> {
                return (double) Float.intBitsToFloat((int) binary(e, 4));
            }
            case "FD" -> {
                long hi = binary(e, 4);
                long lo = binaryAt(e, 4, 4);
                long bits = e.bigEndian() ? (hi << 32) | (lo & 0xFFFFFFFFL) : (lo << 32) | (hi & 0xFFFFFFFFL);
                return Double.longBitsToDouble(bits);
            }
            default -> {
                Integer i = getInt(tag);
                return i == null ? null : i.doubleValue();
            }
        }
    }

    private String firstValue(DicomElement e) {
        String s = e.string();
        int bs = s.indexOf('\\');
        return (bs >= 0 ? s.substring(0, bs) : s).strip();
    }

    private DicomException invalid(DicomElement e, String vr, String value) {
        return new DicomException(source + ": invalid " + vr + " value '" + value + "' in " + Tags.describe(e.tag())
                + " at offset " + e.offset());
    }

    private long binary(DicomElement e, int size) {
        return binaryAt(e, 0, size);
    }

    private long binaryAt(DicomElement e, int at, int size) {
        if (e.length() < at + size || e.isSequence() || e.isEncapsulated()) {
            throw new DicomException(source + ": " + Tags.describe(e.tag()) + " VR " + e.vr() + " at offset "
                    + e.offset() + " has " + e.length() + " bytes, too short for its value");
        }
        byte[] b = e.stream();
        int p = e.valueOffset() + at;
        long v = 0;
        for (int i = 0; i < size; i++) {
            int shift = e.bigEndian() ? 8 * (size - 1 - i) : 8 * i;
            v |= (long) (b[p + i] & 0xFF) << shift;
        }
        return v;
    }
}
