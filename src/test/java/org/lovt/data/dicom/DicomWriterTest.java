package org.lovt.data.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DicomWriter} round trips: every decodable reference array, written in every transfer syntax, reads back. */
class DicomWriterTest {
    private static final List<TransferSyntax> WRITABLE = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.RLE_LOSSLESS);

    static Stream<ReferenceSet.Entry> writable() {
        return DicomReferenceFilesTest.decodable()
                .filter(e -> !e.json().get("photometric_interpretation").asText().equals("YBR_FULL_422"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writable")
    void referenceArraysRoundTripInEveryTransferSyntax(ReferenceSet.Entry e) {
        PixelArray original = DicomFile.read(e.path()).pixels();
        for (TransferSyntax ts : WRITABLE) {
            if (ts == TransferSyntax.RLE_LOSSLESS && original.module().bitsAllocated() == 1) {
                assertThrows(DicomException.class, () -> DicomWriter.create().transferSyntax(ts).toBytes(original));
                continue;
            }
            for (int planar : original.samples() > 1 && ts.codec() == TransferSyntax.Codec.NATIVE
                    ? new int[] {0, 1} : new int[] {0}) {
                byte[] bytes = DicomWriter.create().transferSyntax(ts).planarConfiguration(planar)
                        .string(Tags.PATIENT_ID, "LO", "round trip").toBytes(original);
                DicomFile back = DicomFile.parse(bytes, e.file() + " as " + ts.name());
                assertEquals(ts, back.transferSyntax());
                assertEquals("round trip", back.dataset().getString(Tags.PATIENT_ID));
                PixelArray px = back.pixels();
                String what = e.file() + " " + ts.name() + " planar " + planar;
                assertEquals(original.sha256(), px.sha256(), what);
                assertArrayEquals(original.shape(), px.shape(), what);
                assertEquals(original.dtype(), px.dtype(), what);
                PixelModule a = original.module();
                PixelModule b = px.module();
                assertEquals(a.photometricInterpretation(), b.photometricInterpretation(), what);
                assertEquals(a.bitsStored(), b.bitsStored(), what);
                assertEquals(a.highBit(), b.highBit(), what);
                assertEquals(a.rescaleSlope(), b.rescaleSlope(), what);
                assertEquals(a.rescaleIntercept(), b.rescaleIntercept(), what);
                assertEquals(List.of(), px.warnings(), what);
            }
        }
    }

    @Test
    void writesAtomicallyToAFileThatReadsBack(@TempDir Path dir) {
        PixelModule m = PixelModule.of(3, 5, 1, 16, 1, "MONOCHROME2").withFrames(2).withRescale(2.5, -100.0)
                .withBitsStored(12, 11);
        byte[] le = new byte[2 * 3 * 5 * 2];
        for (int i = 0; i < le.length / 2; i++) {
            short v = (short) (i * 137 - 2000);
            le[2 * i] = (byte) v;
            le[2 * i + 1] = (byte) (v >> 8);
        }
        PixelArray px = new PixelArray(m, le);
        Path file = dir.resolve("x.dcm");
        DicomWriter.create().write(file, px);
        DicomFile back = DicomFile.read(file);
        PixelArray got = back.pixels();
        assertArrayEquals(new int[] {2, 3, 5}, got.shape());
        assertEquals(px.sha256(), got.sha256());
        assertEquals(12, got.module().bitsStored());
        assertEquals(-2000 * 2.5 - 100, got.toFloatGray(0)[0], 0);
        assertEquals(List.of("x.dcm"), List.of(dir.toFile().list()));
    }

    @Test
    void monochrome1IsInvertedOverTheStoredRange() {
        PixelModule m = PixelModule.of(1, 4, 1, 8, 0, "MONOCHROME1");
        PixelArray px = new PixelArray(m, new byte[] {0, 10, (byte) 200, (byte) 255});
        PixelArray back = DicomFile.parse(DicomWriter.create().toBytes(px), "m1").pixels();
        assertArrayEquals(new float[] {255, 245, 55, 0}, back.toFloatGray(0));
        // pixel_array itself is never inverted.
        assertEquals(200, back.get(2));
        PixelModule signed = PixelModule.of(1, 2, 1, 16, 1, "MONOCHROME1").withBitsStored(12, 11)
                .withRescale(1.0, 1000.0);
        PixelArray s = new PixelArray(signed, new byte[] {0, (byte) 0xF8, (byte) 0xFF, 0x07}); // -2048, 2047
        assertArrayEquals(new float[] {2047 + 1000, -2048 + 1000}, s.toFloatGray(0));
    }

    @Test
    void smallSignedAndOddSizedArraysRoundTrip() {
        for (Dtype d : Dtype.values()) {
            int bits = d.itemSize() * 8;
            PixelModule m = PixelModule.of(3, 3, 1, bits, d.signed() ? 1 : 0, "MONOCHROME2");
            byte[] le = new byte[9 * d.itemSize()];
            for (int i = 0; i < le.length; i++) {
                le[i] = (byte) (i * 71 + 128);
            }
            PixelArray px = new PixelArray(m, le);
            for (TransferSyntax ts : WRITABLE) {
                PixelArray back = DicomFile.parse(DicomWriter.create().transferSyntax(ts).toBytes(px), d + " "
                        + ts.name()).pixels();
                assertEquals(px.sha256(), back.sha256(), d + " " + ts.name());
                assertEquals(d, back.dtype());
                for (int i = 0; i < 9; i++) {
                    assertEquals(px.get(i), back.get(i));
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotWrite() {
        PixelArray ybr422 = DicomFile.read(ReferenceSet.entry("SC_ybr_full_422_uncompressed.dcm").path()).pixels();
        DicomException e = assertThrows(DicomException.class, () -> DicomWriter.create().toBytes(ybr422));
        assertTrue(e.getMessage().contains("YBR_FULL_422"));
        assertThrows(DicomException.class,
                () -> DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE).toBytes(ybr422));
        assertThrows(DicomException.class, () -> DicomWriter.create().transferSyntax(TransferSyntax.of("1.2.3")));
        assertThrows(DicomException.class, () -> DicomWriter.create().string(Tags.ROWS, "US", "1"));
        assertThrows(DicomException.class, () -> new PixelArray(PixelModule.of(2, 2, 1, 8, 0, "MONOCHROME2"),
                new byte[3]));
        assertThrows(DicomException.class, () -> PixelModule.of(2, 2, 3, 8, 0, "MONOCHROME2"));
    }
}
