package org.lovt.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Sequences, items and delimiters of every length form, in both byte orders, built byte by byte. */
class DicomDatasetTest {
    private static final int REFERENCED_IMAGE_SQ = 0x00081140;
    private static final int REFERENCED_SERIES_SQ = 0x00081115;
    private static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;

    /** Little helper that writes explicit VR elements in one byte order. */
    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean big;

        Bytes(boolean big) {
            this.big = big;
        }

        Bytes num(long v, int size) {
            for (int i = 0; i < size; i++) {
                out.write((int) (v >>> (big ? 8 * (size - 1 - i) : 8 * i)));
            }
            return this;
        }

        Bytes tag(int tag) {
            return num(tag >>> 16, 2).num(tag & 0xFFFF, 2);
        }

        Bytes text(int tag, String vr, String value) {
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            tag(tag);
            out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            num(v.length, 2);
            out.writeBytes(v);
            return this;
        }

        Bytes sq(int tag, long length) {
            tag(tag);
            out.writeBytes("SQ".getBytes(StandardCharsets.US_ASCII));
            num(0, 2);
            return num(length, 4);
        }

        Bytes item(int tag, long length) {
            return tag(tag).num(length, 4);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A writer-made file with {@code extra} appended to its dataset. */
    private static byte[] fileWith(TransferSyntax ts, byte[] extra) {
        PixelArray px = new PixelArray(PixelModule.of(2, 2, 1, 8, 0, "MONOCHROME2"), new byte[] {1, 2, 3, 4});
        byte[] base = DicomWriter.create().transferSyntax(ts).toBytes(px);
        byte[] out = new byte[base.length + extra.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(extra, 0, out, base.length, extra.length);
        return out;
    }

    private static byte[] sequences(boolean big) {
        Bytes item1 = new Bytes(big).text(REFERENCED_SOP_INSTANCE_UID, "UI", "1.2.3.4");
        byte[] i1 = item1.bytes();
        Bytes b = new Bytes(big);
        // Defined-length sequence with one defined-length item.
        b.sq(REFERENCED_IMAGE_SQ, 8 + i1.length).item(Tags.ITEM, i1.length);
        b.out.writeBytes(i1);
        // Undefined-length sequence: an undefined-length item holding a nested undefined-length sequence, then an
        // empty defined-length item.
        b.sq(REFERENCED_SERIES_SQ, 0xFFFFFFFFL).item(Tags.ITEM, 0xFFFFFFFFL);
        b.sq(REFERENCED_IMAGE_SQ, 0xFFFFFFFFL).item(Tags.ITEM, 0xFFFFFFFFL)
                .text(REFERENCED_SOP_INSTANCE_UID, "UI", "5.6")
                .item(Tags.ITEM_DELIMITATION, 0).item(Tags.SEQUENCE_DELIMITATION, 0);
        b.item(Tags.ITEM_DELIMITATION, 0).item(Tags.ITEM, 0).item(Tags.SEQUENCE_DELIMITATION, 0);
        return b.bytes();
    }

    @Test
    void nestedSequencesInBothByteOrders() {
        for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            boolean big = !ts.littleEndian();
            DicomFile f = DicomFile.parse(fileWith(ts, sequences(big)), "seq " + ts.name());
            DicomDataset ds = f.dataset();
            List<DicomDataset> images = ds.getSequence(REFERENCED_IMAGE_SQ);
            assertEquals(1, images.size());
            assertEquals("1.2.3.4", images.get(0).getString(REFERENCED_SOP_INSTANCE_UID));
            List<DicomDataset> series = ds.getSequence(REFERENCED_SERIES_SQ);
            assertEquals(2, series.size());
            assertEquals("5.6", series.get(0).getSequence(REFERENCED_IMAGE_SQ).get(0)
                    .getString(REFERENCED_SOP_INSTANCE_UID));
            assertEquals(0, series.get(1).size());
            assertEquals(2, f.pixels().rows());
        }
    }

    @Test
    void undefinedLengthUnHoldsImplicitLittleEndianItems() {
        Bytes b = new Bytes(false);
        b.tag(0x00091010);
        b.out.writeBytes("UN".getBytes(StandardCharsets.US_ASCII));
        b.num(0, 2).num(0xFFFFFFFFL, 4).item(Tags.ITEM, 0xFFFFFFFFL);
        b.tag(Tags.ROWS).num(2, 4).num(7, 2); // implicit: tag, 4-byte length, value
        b.item(Tags.ITEM_DELIMITATION, 0).item(Tags.SEQUENCE_DELIMITATION, 0);
        DicomFile f = DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.bytes()), "un");
        DicomDataset item = f.dataset().getSequence(0x00091010).get(0);
        assertEquals(7, item.getInt(Tags.ROWS));
    }

    @Test
    void brokenSequencesFailWithOffsets() {
        // Item longer than its sequence.
        Bytes b = new Bytes(false).sq(REFERENCED_IMAGE_SQ, 8).item(Tags.ITEM, 100);
        DicomException e = assertThrows(DicomException.class,
                () -> DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.bytes()), "long item"));
        assertTrue(e.getMessage().contains("declares 100 bytes"), e::getMessage);
        // Undefined-length sequence that never ends.
        Bytes open = new Bytes(false).sq(REFERENCED_IMAGE_SQ, 0xFFFFFFFFL).item(Tags.ITEM, 0);
        e = assertThrows(DicomException.class,
                () -> DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, open.bytes()), "open"));
        assertTrue(e.getMessage().contains("no Sequence Delimitation"), e::getMessage);
        // Something other than an item inside a sequence.
        Bytes wrong = new Bytes(false).sq(REFERENCED_IMAGE_SQ, 8).tag(Tags.ROWS).num(0, 4);
        e = assertThrows(DicomException.class,
                () -> DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, wrong.bytes()), "wrong"));
        assertTrue(e.getMessage().contains("expected an Item (FFFE,E000)"), e::getMessage);
        // Nesting deeper than the bound, each level an undefined-length sequence and item.
        Bytes deep = new Bytes(false);
        for (int i = 0; i < DatasetParser.MAX_DEPTH + 2; i++) {
            deep.sq(REFERENCED_IMAGE_SQ, 0xFFFFFFFFL).item(Tags.ITEM, 0xFFFFFFFFL);
        }
        e = assertThrows(DicomException.class,
                () -> DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, deep.bytes()), "deep"));
        assertTrue(e.getMessage().contains("nested deeper"), e::getMessage);
    }

    @Test
    void valuesAreDecodedOnAccess() {
        Bytes b = new Bytes(false).text(Tags.NUMBER_OF_FRAMES, "IS", "1A").text(Tags.RESCALE_SLOPE, "DS", "0x1p3 ")
                .text(Tags.RESCALE_INTERCEPT, "DS", " -1.5E2\\7");
        DicomFile f = DicomFile.parse(fileWith(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.bytes()), "values");
        DicomDataset ds = f.dataset();
        assertEquals(-150.0, ds.getDouble(Tags.RESCALE_INTERCEPT));
        assertEquals(List.of("-1.5E2", "7"), ds.getStrings(Tags.RESCALE_INTERCEPT));
        assertThrows(DicomException.class, () -> ds.getDouble(Tags.RESCALE_SLOPE)); // Java syntax, not DS
        DicomException e = assertThrows(DicomException.class, () -> ds.getInt(Tags.NUMBER_OF_FRAMES));
        assertTrue(e.getMessage().startsWith("values: invalid IS value '1A' in (0028,0008) Number of Frames"));
        assertNull(ds.getInt(Tags.WINDOW_CENTER));
        assertThrows(DicomException.class, f::pixels);
    }
}
