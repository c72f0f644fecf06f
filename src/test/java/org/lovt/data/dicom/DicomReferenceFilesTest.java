package org.lovt.data.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the pydicom 2.3.1 reference set, driven by {@code manifest.csv} and the per-file JSON: the decoded
 * array must be pydicom's {@code pixel_array} (bit for bit for lossless files, within the README's tolerance for
 * lossy JPEG), and every malformed file must fail with a {@link DicomException} that says what is wrong.
 */
class DicomReferenceFilesTest {
    /** README: lossy JPEG may differ from Pillow/libjpeg-turbo by a few levels: max |diff| <= 3, mean |diff| < 1. */
    private static final int LOSSY_MAX_ABS_DIFF = 3;
    private static final double LOSSY_MEAN_ABS_DIFF = 1.0;

    static Stream<ReferenceSet.Entry> decodable() {
        return ReferenceSet.entries().stream().filter(e -> e.pixelsExpected() && !e.optionalDecoder());
    }

    static Stream<ReferenceSet.Entry> optional() {
        return ReferenceSet.entries().stream().filter(e -> e.pixelsExpected() && e.optionalDecoder());
    }

    static Stream<ReferenceSet.Entry> malformed() {
        return ReferenceSet.entries().stream().filter(ReferenceSet.Entry::malformed);
    }

    @Test
    void manifestCoversTheWholeSet() {
        List<ReferenceSet.Entry> all = ReferenceSet.entries();
        assertEquals(27, all.size());
        assertEquals(21, decodable().count());
        assertEquals(1, optional().count());
        assertEquals(5, malformed().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodable")
    void decodesLikePydicom(ReferenceSet.Entry e) throws Exception {
        JsonNode j = e.json();
        DicomFile f = DicomFile.read(e.path());
        assertEquals(j.get("transfer_syntax_uid").asText(), f.transferSyntax().uid());
        assertEquals(j.get("transfer_syntax_name").asText(), f.transferSyntax().name());
        assertEquals(j.get("is_implicit_vr").asBoolean(), f.implicitVr());
        assertEquals(j.get("is_little_endian").asBoolean(), f.transferSyntax().littleEndian());

        PixelModule m = f.pixelModule();
        assertEquals(j.get("rows").asInt(), m.rows());
        assertEquals(j.get("columns").asInt(), m.columns());
        assertEquals(j.get("samples_per_pixel").asInt(), m.samplesPerPixel());
        assertEquals(j.get("bits_allocated").asInt(), m.bitsAllocated());
        assertEquals(j.get("bits_stored").asInt(), m.bitsStored());
        assertEquals(j.get("high_bit").asInt(), m.highBit());
        assertEquals(j.get("pixel_representation").asInt(), m.pixelRepresentation());
        assertEquals(j.get("photometric_interpretation").asText(), m.photometricInterpretation());
        assertEquals(j.get("planar_configuration").isNull() ? null : j.get("planar_configuration").asInt(),
                m.planarConfiguration());
        assertEquals(j.get("number_of_frames").asInt(), m.numberOfFrames());
        assertEquals(j.get("number_of_frames_element_present").asBoolean(), m.numberOfFramesPresent());
        assertEquals(nullableDouble(j.get("rescale_slope")), m.rescaleSlope());
        assertEquals(nullableDouble(j.get("rescale_intercept")), m.rescaleIntercept());

        PixelArray px = f.pixels();
        assertArrayEquals(ints(j.get("shape")), px.shape());
        assertEquals(j.get("dtype").asText(), px.dtype().numpyName());
        assertEquals(j.get("byte_length").asInt(), px.byteLength());
        byte[] expected = e.expectedPixels();
        assertEquals(j.get("sha256").asText(), sha256(expected), "the reference .pixels.bin itself");
        if (j.get("exact_match_expected").asBoolean()) {
            assertEquals(j.get("sha256").asText(), px.sha256());
            assertEquals(j.get("min").asLong(), px.min());
            assertEquals(j.get("max").asLong(), px.max());
            assertEquals(j.get("mean").asDouble(), px.mean(), 1e-5);
        } else {
            assertTrue(j.get("lossy").asBoolean());
            assertWithinLossyTolerance(expected, px.bytes(), e.file());
            assertEquals(j.get("mean").asDouble(), px.mean(), LOSSY_MEAN_ABS_DIFF);
        }
        // pydicom's pixel warnings (e.g. excess padding) are reported with the same wording.
        for (JsonNode w : j.get("pydicom_pixel_warnings")) {
            String text = w.asText().replaceFirst("^UserWarning: ", "");
            assertTrue(px.warnings().contains(text), () -> "missing warning '" + text + "' in " + px.warnings());
        }
        if (j.get("pydicom_pixel_warnings").isEmpty()) {
            assertEquals(List.of(), px.warnings());
        }

        JsonNode rgb = j.get("rgb_pixels");
        if (rgb != null && !rgb.isNull()) {
            byte[] expectedRgb = ReferenceSet.read(ReferenceSet.dir().resolve(rgb.get("file").asText()));
            assertEquals(rgb.get("sha256").asText(), sha256(expectedRgb));
            byte[] ours = px.toRgb8(0);
            if (j.get("exact_match_expected").asBoolean()) {
                assertArrayEquals(expectedRgb, ours, "pydicom's convert_color_space, bit for bit");
            } else {
                assertWithinLossyTolerance(expectedRgb, ours, e.file() + " as RGB");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optional")
    void optionalDecodersAreRefusedClearly(ReferenceSet.Entry e) {
        DicomFile f = DicomFile.read(e.path());
        String uid = e.json().get("transfer_syntax_uid").asText();
        DicomException ex = assertThrows(DicomException.class, f::pixels);
        assertEquals(e.path() + ": unsupported transfer syntax " + uid + " ("
                + e.json().get("transfer_syntax_name").asText() + ")", ex.getMessage());
        // The header is still readable and inspectable.
        List<String> lines = DicomInspect.describe(e.path());
        assertTrue(lines.get(lines.size() - 1).startsWith("pixels: not decoded: "), lines::toString);
    }

    /** What each malformed file's message must mention: the facts its JSON states. */
    private static final Map<String, List<String>> MALFORMED_MESSAGE = Map.of(
            "MR_truncated.dcm", List.of("(7FE0,0010)", "8192", "8130"),
            "rtplan_truncated.dcm", List.of("(300A,00B0)", "offset 1410", "976", "2394"),
            "badVR.dcm", List.of("'1A'", "(0028,0008)", "Number of Frames"),
            "no_meta.dcm", List.of("not a DICOM Part 10 file", "DICM"),
            "meta_missing_tsyntax.dcm", List.of("Transfer Syntax UID", "(0002,0010)"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFilesFailWithAMeaningfulMessage(ReferenceSet.Entry e) {
        assertFalse(e.pixelsExpected());
        DicomException ex = assertThrows(DicomException.class, () -> DicomFile.read(e.path()).pixels());
        String msg = ex.getMessage();
        assertTrue(msg.startsWith(e.path().toString() + ": "), msg);
        List<String> facts = MALFORMED_MESSAGE.get(e.file());
        assertTrue(facts != null, "no expectation for " + e.file());
        for (String fact : facts) {
            assertTrue(msg.contains(fact), () -> "'" + fact + "' not in: " + msg);
        }
    }

    /** Where pydicom reads the dataset of a malformed file, this reader reads the same number of elements. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedHeadersReadLikePydicomOrFailWherePydicomIsLenient(ReferenceSet.Entry e) {
        JsonNode read = e.json().get("pydicom_2_3_1").get("dcmread()");
        if (!read.get("read_ok").asBoolean()) {
            assertThrows(DicomException.class, () -> DicomFile.read(e.path()));
            return;
        }
        String why = e.json().get("expected_reader_behaviour").asText();
        if (why.startsWith("fail cleanly (declared length runs past end of file)")
                || why.startsWith("read the header, then fail cleanly (error) when the pixel data are requested")) {
            // pydicom does not check declared lengths against the file; this reader does, at read time.
            DicomException ex = assertThrows(DicomException.class, () -> DicomFile.read(e.path()));
            assertTrue(ex.getMessage().contains("remain in the file"), ex::getMessage);
            return;
        }
        DicomFile f = DicomFile.read(e.path());
        assertEquals(read.get("top_level_elements").asInt(), f.dataset().size());
    }

    @Test
    void readmeEqualities() {
        // README "Equalities a test can use".
        String mr = sha("MR_small.dcm");
        for (String f : List.of("MR_small_padded.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm",
                "MR_small_RLE.dcm")) {
            assertEquals(mr, sha(f), f);
        }
        assertEquals(sha("rtdose.dcm"), sha("rtdose_expb.dcm"));
        PixelArray dose = DicomFile.read(ReferenceSet.entry("rtdose.dcm").path()).pixels();
        PixelArray one = DicomFile.read(ReferenceSet.entry("rtdose_rle_1frame.dcm").path()).pixels();
        byte[] frame0 = new byte[one.byteLength()];
        dose.buffer().get(frame0);
        assertArrayEquals(frame0, one.bytes());
        // The JPEG and the uncompressed YBR_FULL_422 copy decode to the same YCbCr array (pydicom: same sha256).
        byte[] jpeg = DicomFile.read(ReferenceSet.entry("SC_rgb_jpeg_dcmtk.dcm").path()).pixels().bytes();
        byte[] ybr = DicomFile.read(ReferenceSet.entry("SC_ybr_full_422_uncompressed.dcm").path()).pixels().bytes();
        assertWithinLossyTolerance(ybr, jpeg, "SC_rgb_jpeg_dcmtk vs SC_ybr_full_422_uncompressed");
    }

    @Test
    void jpegColourFollowsPydicom() {
        // YBR photometric: the array is YCbCr (luma in sample 0), so it differs a lot from the RGB conversion.
        PixelArray ybr = DicomFile.read(ReferenceSet.entry("SC_rgb_jpeg_dcmtk.dcm").path()).pixels();
        assertEquals("YBR_FULL", ybr.module().photometricInterpretation());
        assertTrue(meanAbsDiff(ybr.bytes(), ybr.toRgb8(0)) > 20, "YCbCr must not have been converted to RGB");
        // RGB photometric with Adobe transform 0: the components are R, G, B as stored, equal to the RGB file.
        PixelArray rgb = DicomFile.read(ReferenceSet.entry("SC_rgb_dcmtk_+eb+cr.dcm").path()).pixels();
        byte[] fromYbr = ybr.toRgb8(0);
        assertTrue(meanAbsDiff(fromYbr, rgb.bytes()) < 3, "both encode the same RGB picture");
    }

    @Test
    void ctRescaleGivesHounsfieldUnits() {
        PixelArray px = DicomFile.read(ReferenceSet.entry("CT_small.dcm").path()).pixels();
        float[] hu = px.toFloatGray(0);
        assertEquals(128 * 128, hu.length);
        for (int i = 0; i < hu.length; i += 97) {
            assertEquals(px.get(i) - 1024.0, hu[i], 0.0);
        }
    }

    @Test
    void inspectPrintsThePixelModuleAndTheArray() {
        List<String> lines = DicomInspect.describe(ReferenceSet.entry("CT_small.dcm").path());
        String all = String.join("\n", lines);
        for (String s : List.of("transfer syntax: 1.2.840.10008.1.2.1 (Explicit VR Little Endian)",
                "rows (0028,0010): 128", "columns (0028,0011): 128", "samples per pixel (0028,0002): 1",
                "bits allocated (0028,0100): 16", "bits stored (0028,0101): 16", "high bit (0028,0102): 15",
                "pixel representation (0028,0103): 1", "photometric interpretation (0028,0004): MONOCHROME2",
                "planar configuration (0028,0006): (absent)", "number of frames (0028,0008): (absent)",
                "rescale slope (0028,1053): 1", "rescale intercept (0028,1052): -1024", "shape: [128, 128]",
                "dtype: int16", "min: 128", "max: 2191",
                "sha256: 7a481f6ffff833aef4d8bd54819bd8f472aaa7232090208e056c90eacf079926")) {
            assertTrue(all.contains(s), () -> "'" + s + "' not in\n" + all);
        }
        List<String> padded = DicomInspect.describe(ReferenceSet.entry("MR_small_padded.dcm").path());
        assertTrue(padded.get(padded.size() - 1).startsWith("warning: The length of the pixel data"));
    }

    @Test
    void fileWithoutTransferSyntaxReadsAsImplicitLikePydicom() {
        DicomFile f = DicomFile.read(ReferenceSet.entry("meta_missing_tsyntax.dcm").path());
        assertNull(f.transferSyntax());
        assertTrue(f.implicitVr());
        DicomElement sq = f.dataset().get(0x00010001);
        assertTrue(sq.isSequence());
        assertEquals(1, sq.items().size());
        DicomDataset inner = sq.items().get(0).getSequence(0x00010001).get(0);
        assertEquals("Double Nested SQ", inner.getString(0x00010001));
        assertEquals(2, f.dataset().get(Tags.PIXEL_DATA).length());
    }

    private static String sha(String file) {
        return DicomFile.read(ReferenceSet.entry(file).path()).pixels().sha256();
    }

    private static void assertWithinLossyTolerance(byte[] expected, byte[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / expected.length;
        assertTrue(max <= LOSSY_MAX_ABS_DIFF, what + ": max |diff| " + max);
        assertTrue(mean < LOSSY_MEAN_ABS_DIFF, what + ": mean |diff| " + mean);
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }

    private static Double nullableDouble(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }

    private static int[] ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
