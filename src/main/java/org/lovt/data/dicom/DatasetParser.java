package org.lovt.data.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses data elements from a byte stream (PS3.5 §7): explicit or implicit VR, either byte order, nested sequences
 * of defined or undefined length, and encapsulated Pixel Data.
 *
 * <p>Every declared length is checked against the bytes left in its container (the stream, or the enclosing
 * defined-length sequence or item) before anything is read or allocated, so a truncated or corrupt file fails here
 * with the offset of the element at fault. Every element consumes at least 8 bytes and nesting is bounded, so
 * parsing always terminates without deep recursion.
 */
final class DatasetParser {
    /** Sequences nest deeper than this only in hostile files; the bound keeps recursion shallow. */
    static final int MAX_DEPTH = 24;

    private static final long UNDEFINED = 0xFFFFFFFFL;

    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 Table 7.1-1). */
    static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final Set<String> SHORT_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS",
            "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US");

    private final byte[] b;
    private final int end;
    private final String source;
    private final String where;
    private boolean explicit;
    private boolean bigEndian;
    private int pos;

    /**
     * @param where appended to every offset in messages, e.g. " of the inflated dataset"
     */
    DatasetParser(byte[] b, int start, int end, boolean explicit, boolean bigEndian, String source, String where) {
        this.b = b;
        this.pos = start;
        this.end = end;
        this.explicit = explicit;
        this.bigEndian = bigEndian;
        this.source = source;
        this.where = where;
    }

    int position() {
        return pos;
    }

    /** Whether the explicit VR field of the element at {@code at} holds a VR this parser knows. */
    static boolean looksExplicit(byte[] b, int at, int end) {
        if (at + 6 > end) {
            return false;
        }
        String vr = new String(new char[] {(char) (b[at + 4] & 0xFF), (char) (b[at + 5] & 0xFF)});
        return LONG_VRS.contains(vr) || SHORT_VRS.contains(vr);
    }

    /** File meta: explicit VR little endian elements for as long as the group is 0002. */
    DicomDataset parseFileMeta() {
        DicomDataset meta = new DicomDataset(source);
        while (pos + 2 <= end && u16(pos) == 0x0002) {
            meta.put(readElement(end, 0));
        }
        return meta;
    }

    /** Every element up to the end of the stream. */
    DicomDataset parseDataset() {
        DicomDataset ds = new DicomDataset(source);
        parseElements(ds, end, false, 0);
        return ds;
    }

    private void parseElements(DicomDataset ds, int limit, boolean untilItemDelimiter, int depth) {
        while (true) {
            if (pos == limit) {
                if (untilItemDelimiter) {
                    throw error("item of undefined length has no Item Delimitation before offset " + limit);
                }
                return;
            }
            need(pos, 8, limit, "element header");
            int tag = tag(pos);
            if (tag == Tags.ITEM_DELIMITATION && untilItemDelimiter) {
                pos += 8;
                return;
            }
            if (tag == Tags.ITEM || tag == Tags.ITEM_DELIMITATION || tag == Tags.SEQUENCE_DELIMITATION) {
                throw error("unexpected " + Tags.format(tag) + " (item or delimiter tag) outside a sequence at offset "
                        + pos);
            }
            ds.put(readElement(limit, depth));
        }
    }

    private DicomElement readElement(int limit, int depth) {
        int start = pos;
        need(start, 8, limit, "element header");
        int tag = tag(start);
        String vr;
        int lengthOffset;
        int lengthSize;
        long length;
        if (explicit) {
            int c0 = b[start + 4] & 0xFF;
            int c1 = b[start + 5] & 0xFF;
            vr = new String(new char[] {(char) c0, (char) c1});
            if (LONG_VRS.contains(vr)) {
                need(start, 12, limit, "element header");
                lengthOffset = start + 8;
                lengthSize = 4;
                length = u32(lengthOffset);
            } else if (SHORT_VRS.contains(vr)) {
                lengthOffset = start + 6;
                lengthSize = 2;
                length = u16(lengthOffset);
            } else {
                throw error(String.format("invalid VR bytes 0x%02X 0x%02X for %s at offset %d", c0, c1,
                        Tags.format(tag), start));
            }
        } else {
            lengthOffset = start + 4;
            lengthSize = 4;
            length = u32(lengthOffset);
            String known = Tags.vrOf(tag);
            vr = known != null ? known : length == UNDEFINED ? "SQ" : "UN";
        }
        int valueOffset = lengthOffset + lengthSize;
        pos = valueOffset;

        if (length == UNDEFINED) {
            if (tag == Tags.PIXEL_DATA && depth == 0 && !vr.equals("SQ")) {
                List<Fragment> fragments = readFragments(limit);
                return new DicomElement(tag, vr, b, bigEndian, start, lengthOffset, lengthSize, valueOffset,
                        DicomElement.UNDEFINED_LENGTH, null, fragments);
            }
            if (vr.equals("SQ") || vr.equals("UN") || !explicit) {
                // PS3.5 §6.2.2: an undefined-length UN holds implicit VR little endian items.
                boolean saveExplicit = explicit;
                boolean saveBig = bigEndian;
                if (vr.equals("UN")) {
                    explicit = false;
                    bigEndian = false;
                }
                List<DicomDataset> items = readItems(tag, limit, true, depth, start);
                explicit = saveExplicit;
                bigEndian = saveBig;
                return new DicomElement(tag, vr, b, bigEndian, start, lengthOffset, lengthSize, valueOffset,
                        DicomElement.UNDEFINED_LENGTH, items, null);
            }
            throw error("undefined length is not allowed for VR " + vr + " of " + Tags.describe(tag)
                    + " at offset " + start);
        }
        if (length > limit - valueOffset) {
            throw error(Tags.describe(tag) + " VR " + vr + " at offset " + start + " declares " + length
                    + " bytes (to offset " + (valueOffset + length) + ") but only " + (limit - valueOffset)
                    + " remain" + (limit == end ? " in the file" : " in its enclosing item or sequence"));
        }
        int len = (int) length;
        if (vr.equals("SQ")) {
            List<DicomDataset> items = readItems(tag, valueOffset + len, false, depth, start);
            return new DicomElement(tag, vr, b, bigEndian, start, lengthOffset, lengthSize, valueOffset, len,
                    items, null);
        }
        pos = valueOffset + len;
        return new DicomElement(tag, vr, b, bigEndian, start, lengthOffset, lengthSize, valueOffset, len, null, null);
    }

    /** Items of a sequence: up to {@code limit} (defined length) or up to the Sequence Delimitation. */
    private List<DicomDataset> readItems(int sequenceTag, int limit, boolean undefined, int depth, int start) {
        if (depth + 1 > MAX_DEPTH) {
            throw error("sequences nested deeper than " + MAX_DEPTH + " levels at " + Tags.format(sequenceTag)
                    + " offset " + start);
        }
        List<DicomDataset> items = new ArrayList<>();
        while (true) {
            if (!undefined && pos == limit) {
                return items;
            }
            if (undefined && pos == limit) {
                throw error("sequence " + Tags.describe(sequenceTag) + " at offset " + start
                        + " has undefined length but no Sequence Delimitation before offset " + limit);
            }
            need(pos, 8, limit, "item header");
            int tag = tag(pos);
            if (undefined && tag == Tags.SEQUENCE_DELIMITATION) {
                pos += 8;
                return items;
            }
            if (tag != Tags.ITEM) {
                throw error("expected an Item (FFFE,E000) in sequence " + Tags.describe(sequenceTag)
                        + " but found " + Tags.format(tag) + " at offset " + pos);
            }
            long itemLength = u32(pos + 4);
            int itemStart = pos;
            pos += 8;
            DicomDataset item = new DicomDataset(source);
            if (itemLength == UNDEFINED) {
                parseElements(item, limit, true, depth + 1);
            } else {
                if (itemLength > limit - pos) {
                    throw error("item at offset " + itemStart + " of sequence " + Tags.describe(sequenceTag)
                            + " declares " + itemLength + " bytes but only " + (limit - pos) + " remain");
                }
                parseElements(item, pos + (int) itemLength, false, depth + 1);
            }
            items.add(item);
        }
    }

    /** Encapsulated Pixel Data (PS3.5 §A.4): the Basic Offset Table item, fragment items, Sequence Delimitation. */
    private List<Fragment> readFragments(int limit) {
        int start = pos;
        List<Fragment> fragments = new ArrayList<>();
        while (true) {
            need(pos, 8, limit, "Pixel Data item header");
            int tag = tag(pos);
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                pos += 8;
                break;
            }
            if (tag != Tags.ITEM) {
                throw error("expected a Pixel Data item (FFFE,E000) but found " + Tags.format(tag) + " at offset "
                        + pos);
            }
            long length = u32(pos + 4);
            if (length == UNDEFINED) {
                throw error("Pixel Data item at offset " + pos + " has undefined length");
            }
            if (length > limit - (pos + 8)) {
                throw error("Pixel Data item at offset " + pos + " declares " + length + " bytes but only "
                        + (limit - pos - 8) + " remain in the file");
            }
            fragments.add(new Fragment(pos, pos + 8, (int) length));
            pos += 8 + (int) length;
        }
        if (fragments.isEmpty()) {
            throw error("encapsulated Pixel Data at offset " + start + " has no Basic Offset Table item");
        }
        return fragments;
    }

    private void need(int at, int n, int limit, String what) {
        if (n > limit - at) {
            throw error("truncated " + what + " at offset " + at + ": needs " + n + " bytes, " + (limit - at)
                    + " remain" + (limit == end ? " in the file" : " in its enclosing item or sequence"));
        }
    }

    private int tag(int at) {
        return (u16(at) << 16) | u16(at + 2);
    }

    private int u16(int at) {
        return bigEndian ? ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF) : (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private long u32(int at) {
        long lo = u16(at);
        long hi = u16(at + 2);
        return bigEndian ? (lo << 16) | hi : (hi << 16) | lo;
    }

    private DicomException error(String what) {
        return new DicomException(source + ": " + what + where);
    }
}
