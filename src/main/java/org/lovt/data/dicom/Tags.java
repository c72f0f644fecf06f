package org.lovt.data.dicom;

import java.util.Map;

/**
 * The (group, element) tags this reader knows by name, as {@code int}s {@code 0xGGGGEEEE}, and their VRs.
 *
 * <p>The VR table exists for Implicit VR files, which do not store VRs: it lists the tags whose value the reader
 * interprets (file meta, pixel module, identification) and the common sequences, so that those parse as numbers or
 * nested items. Any other tag in an Implicit VR file is kept as raw bytes with VR {@code UN}, as pydicom does for
 * tags missing from its dictionary.
 */
final class Tags {
    private Tags() {}

    public static final int FILE_META_GROUP_LENGTH = 0x00020000;
    public static final int FILE_META_VERSION = 0x00020001;
    public static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    public static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    public static final int IMPLEMENTATION_CLASS_UID = 0x00020012;
    public static final int IMPLEMENTATION_VERSION_NAME = 0x00020013;

    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int IMAGE_TYPE = 0x00080008;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int MODALITY = 0x00080060;
    public static final int PATIENT_ID = 0x00100020;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int VIEW_POSITION = 0x00185101;

    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int PLANAR_CONFIGURATION = 0x00280006;
    public static final int NUMBER_OF_FRAMES = 0x00280008;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int PIXEL_SPACING = 0x00280030;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102;
    public static final int PIXEL_REPRESENTATION = 0x00280103;
    public static final int WINDOW_CENTER = 0x00281050;
    public static final int WINDOW_WIDTH = 0x00281051;
    public static final int RESCALE_INTERCEPT = 0x00281052;
    public static final int RESCALE_SLOPE = 0x00281053;
    public static final int RESCALE_TYPE = 0x00281054;

    public static final int EXTENDED_OFFSET_TABLE = 0x7FE00001;
    public static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    public static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    public static final int PIXEL_DATA = 0x7FE00010;

    /** Item, item delimitation and sequence delimitation: the only tags without a VR in every transfer syntax. */
    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private record Entry(String vr, String name) {}

    private static final Map<Integer, Entry> DICTIONARY = Map.ofEntries(
            Map.entry(FILE_META_GROUP_LENGTH, new Entry("UL", "File Meta Information Group Length")),
            Map.entry(FILE_META_VERSION, new Entry("OB", "File Meta Information Version")),
            Map.entry(MEDIA_STORAGE_SOP_CLASS_UID, new Entry("UI", "Media Storage SOP Class UID")),
            Map.entry(MEDIA_STORAGE_SOP_INSTANCE_UID, new Entry("UI", "Media Storage SOP Instance UID")),
            Map.entry(TRANSFER_SYNTAX_UID, new Entry("UI", "Transfer Syntax UID")),
            Map.entry(IMPLEMENTATION_CLASS_UID, new Entry("UI", "Implementation Class UID")),
            Map.entry(IMPLEMENTATION_VERSION_NAME, new Entry("SH", "Implementation Version Name")),
            Map.entry(SPECIFIC_CHARACTER_SET, new Entry("CS", "Specific Character Set")),
            Map.entry(IMAGE_TYPE, new Entry("CS", "Image Type")),
            Map.entry(SOP_CLASS_UID, new Entry("UI", "SOP Class UID")),
            Map.entry(SOP_INSTANCE_UID, new Entry("UI", "SOP Instance UID")),
            Map.entry(MODALITY, new Entry("CS", "Modality")),
            Map.entry(PATIENT_ID, new Entry("LO", "Patient ID")),
            Map.entry(STUDY_INSTANCE_UID, new Entry("UI", "Study Instance UID")),
            Map.entry(SERIES_INSTANCE_UID, new Entry("UI", "Series Instance UID")),
            Map.entry(VIEW_POSITION, new Entry("CS", "View Position")),
            Map.entry(SAMPLES_PER_PIXEL, new Entry("US", "Samples per Pixel")),
            Map.entry(PHOTOMETRIC_INTERPRETATION, new Entry("CS", "Photometric Interpretation")),
            Map.entry(PLANAR_CONFIGURATION, new Entry("US", "Planar Configuration")),
            Map.entry(NUMBER_OF_FRAMES, new Entry("IS", "Number of Frames")),
            Map.entry(ROWS, new Entry("US", "Rows")),
            Map.entry(COLUMNS, new Entry("US", "Columns")),
            Map.entry(PIXEL_SPACING, new Entry("DS", "Pixel Spacing")),
            Map.entry(BITS_ALLOCATED, new Entry("US", "Bits Allocated")),
            Map.entry(BITS_STORED, new Entry("US", "Bits Stored")),
            Map.entry(HIGH_BIT, new Entry("US", "High Bit")),
            Map.entry(PIXEL_REPRESENTATION, new Entry("US", "Pixel Representation")),
            Map.entry(WINDOW_CENTER, new Entry("DS", "Window Center")),
            Map.entry(WINDOW_WIDTH, new Entry("DS", "Window Width")),
            Map.entry(RESCALE_INTERCEPT, new Entry("DS", "Rescale Intercept")),
            Map.entry(RESCALE_SLOPE, new Entry("DS", "Rescale Slope")),
            Map.entry(RESCALE_TYPE, new Entry("LO", "Rescale Type")),
            Map.entry(EXTENDED_OFFSET_TABLE, new Entry("OV", "Extended Offset Table")),
            Map.entry(FLOAT_PIXEL_DATA, new Entry("OF", "Float Pixel Data")),
            Map.entry(DOUBLE_FLOAT_PIXEL_DATA, new Entry("OD", "Double Float Pixel Data")),
            Map.entry(PIXEL_DATA, new Entry("OW", "Pixel Data")),
            // Sequences, so that Implicit VR files nest them instead of keeping them as bytes.
            Map.entry(0x00081115, new Entry("SQ", "Referenced Series Sequence")),
            Map.entry(0x00081140, new Entry("SQ", "Referenced Image Sequence")),
            Map.entry(0x00082112, new Entry("SQ", "Source Image Sequence")),
            Map.entry(0x00082218, new Entry("SQ", "Anatomic Region Sequence")),
            Map.entry(0x00400260, new Entry("SQ", "Performed Protocol Code Sequence")),
            Map.entry(0x00283000, new Entry("SQ", "Modality LUT Sequence")),
            Map.entry(0x00283010, new Entry("SQ", "VOI LUT Sequence")),
            Map.entry(0x300A00B0, new Entry("SQ", "Beam Sequence")),
            Map.entry(0x30060010, new Entry("SQ", "Referenced Frame of Reference Sequence")),
            Map.entry(0x300C0002, new Entry("SQ", "Referenced RT Plan Sequence")),
            Map.entry(0x52009229, new Entry("SQ", "Shared Functional Groups Sequence")),
            Map.entry(0x52009230, new Entry("SQ", "Per-frame Functional Groups Sequence")));

    /** The VR of {@code tag} for Implicit VR decoding, or null when this reader does not know it. */
    static String vrOf(int tag) {
        if ((tag & 0xFFFF) == 0) {
            return "UL"; // every group length element
        }
        Entry e = DICTIONARY.get(tag);
        return e == null ? null : e.vr();
    }

    /** The attribute's name, or "" when unknown. */
    public static String nameOf(int tag) {
        Entry e = DICTIONARY.get(tag);
        return e == null ? "" : e.name();
    }

    /** {@code (GGGG,EEEE)} in upper-case hex, as DICOM writes tags. */
    public static String format(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** {@code (GGGG,EEEE) Name}, or just the tag when the name is unknown. */
    public static String describe(int tag) {
        String name = nameOf(tag);
        return name.isEmpty() ? format(tag) : format(tag) + " " + name;
    }
}
