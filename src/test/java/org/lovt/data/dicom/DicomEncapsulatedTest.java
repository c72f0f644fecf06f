package org.lovt.data.dicom;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Encapsulated Pixel Data beyond the reference set: grayscale JPEG Baseline (the reference set has none, and chest
 * X-rays are grayscale), multi-frame JPEG and RLE with and without a Basic Offset Table, frames split over several
 * fragments, and JFIF JPEGs labelled RGB.
 */
class DicomEncapsulatedTest {
    private static final int ROWS = 40;
    private static final int COLS = 56;

    /** A grey test card: gradients plus a checker, so every frame differs and JPEG has edges to keep. */
    private static byte[] card(int seed, int channels) {
        byte[] px = new byte[ROWS * COLS * channels];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                for (int k = 0; k < channels; k++) {
                    int v = (r * 3 + c * 2 + seed * 40 + k * 60 + (((r / 8 + c / 8) % 2) * 50)) & 0xFF;
                    px[(r * COLS + c) * channels + k] = (byte) v;
                }
            }
        }
        return px;
    }

    /** OpenCV's JPEG encoding of {@code px} (grey, or BGR order for 3 channels). */
    private static byte[] encodeJpeg(byte[] px, int channels) {
        try (Mat m = new Mat(ROWS, COLS, channels == 1 ? CV_8UC1 : CV_8UC3);
             BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 92)) {
            m.data().put(px, 0, px.length);
            assertTrue(opencv_imgcodecs.imencode(".jpg", m, out, params));
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    /** OpenCV's own decode, for comparison (BGR for colour). */
    private static byte[] decodeJpeg(byte[] jpeg, int flags) {
        try (BytePointer p = new BytePointer(jpeg); Mat buf = new Mat(p); Mat img = opencv_imgcodecs.imdecode(buf,
                flags)) {
            byte[] b = new byte[(int) (img.total() * img.channels())];
            img.data().get(b);
            return b;
        }
    }

    private static PixelModule grey(int frames) {
        return PixelModule.of(ROWS, COLS, 1, 8, 0, "MONOCHROME2").withFrames(frames);
    }

    @Test
    void greyscaleJpegBaselineDecodesAsLibjpegDoes() {
        byte[] original = card(0, 1);
        byte[] jpeg = encodeJpeg(original, 1);
        byte[] dcm = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(grey(1), List.of(jpeg));
        PixelArray px = DicomFile.parse(dcm, "grey jpeg").pixels();
        assertArrayEquals(new int[] {ROWS, COLS}, px.shape());
        assertEquals(Dtype.UINT8, px.dtype());
        assertArrayEquals(decodeJpeg(jpeg, IMREAD_GRAYSCALE), px.bytes());
        assertTrue(meanAbsDiff(original, px.bytes()) < 3, "quality 92 keeps the picture");
        float[] f = px.toFloatGray(0);
        assertEquals(px.get(123), f[123], 0);
    }

    @Test
    void multiFrameJpegWithAndWithoutOffsetTableAndFragments() {
        List<byte[]> frames = new ArrayList<>();
        ByteArrayConcat expected = new ByteArrayConcat();
        for (int i = 0; i < 3; i++) {
            byte[] jpeg = encodeJpeg(card(i, 1), 1);
            frames.add(jpeg);
            expected.add(decodeJpeg(jpeg, IMREAD_GRAYSCALE));
        }
        for (boolean bot : new boolean[] {false, true}) {
            for (int fragment : new int[] {Integer.MAX_VALUE, 64, 100}) {
                DicomWriter w = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE).basicOffsetTable(bot);
                if (fragment != Integer.MAX_VALUE) {
                    w.maxFragmentBytes(fragment);
                }
                String what = "bot " + bot + " fragment " + fragment;
                PixelArray px = DicomFile.parse(w.toBytes(grey(3), frames), what).pixels();
                assertArrayEquals(new int[] {3, ROWS, COLS}, px.shape(), what);
                assertArrayEquals(expected.bytes(), px.bytes(), what);
            }
        }
    }

    @Test
    void multiFrameRleWithOffsetTableAndSplitFragments() {
        PixelModule m = PixelModule.of(ROWS, COLS, 3, 16, 0, "RGB").withFrames(2);
        byte[] le = new byte[2 * ROWS * COLS * 3 * 2];
        for (int i = 0; i < le.length; i++) {
            le[i] = (byte) (i * 31 / 7 + (i % 13 == 0 ? 5 : 0));
        }
        PixelArray original = new PixelArray(m, le);
        int frameBytes = ROWS * COLS * 3 * 2;
        List<byte[]> frames = List.of(RleCodec.encodeFrame(le, 0, ROWS * COLS, 3, 2),
                RleCodec.encodeFrame(le, frameBytes, ROWS * COLS, 3, 2));
        byte[] dcm = DicomWriter.create().transferSyntax(TransferSyntax.RLE_LOSSLESS).basicOffsetTable(true)
                .maxFragmentBytes(128).toBytes(m, frames);
        assertEquals(original.sha256(), DicomFile.parse(dcm, "rle bot").pixels().sha256());
        // Without the table, split fragments cannot be assigned to RLE frames.
        byte[] noTable = DicomWriter.create().transferSyntax(TransferSyntax.RLE_LOSSLESS).maxFragmentBytes(128)
                .toBytes(m, frames);
        DicomException e = assertThrows(DicomException.class, () -> DicomFile.parse(noTable, "rle").pixels());
        assertTrue(e.getMessage().contains("no Basic Offset Table"), e::getMessage);
    }

    @Test
    void jfifJpegIsReturnedAsStoredWhateverThePhotometricLabel() {
        byte[] bgr = card(1, 3);
        byte[] jpeg = encodeJpeg(bgr, 3); // JFIF, YCbCr 4:2:0
        PixelArray ybr = decodeAs(jpeg, "YBR_FULL_422");
        // pydicom 2.3.1 also skips the colour transform for "RGB" without an Adobe marker (Pillow draft YCbCr).
        PixelArray rgbLabel = decodeAs(jpeg, "RGB");
        assertArrayEquals(ybr.bytes(), rgbLabel.bytes());
        // Converting the YCbCr with pydicom's formula lands within rounding of libjpeg's own RGB conversion.
        byte[] libjpegBgr = decodeJpeg(jpeg, IMREAD_COLOR);
        byte[] libjpegRgb = new byte[libjpegBgr.length];
        for (int i = 0; i < libjpegBgr.length; i += 3) {
            libjpegRgb[i] = libjpegBgr[i + 2];
            libjpegRgb[i + 1] = libjpegBgr[i + 1];
            libjpegRgb[i + 2] = libjpegBgr[i];
        }
        assertTrue(maxAbsDiff(libjpegRgb, ybr.toRgb8(0)) <= 2);
        assertTrue(meanAbsDiff(libjpegRgb, ybr.bytes()) > 10, "the array is YCbCr, not RGB");
    }

    @Test
    void inconsistentFramesFailClearly() {
        byte[] jpeg = encodeJpeg(card(0, 1), 1);
        // Two fragments for three frames, without an offset table.
        byte[] dcm = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(grey(2), List.of(jpeg, jpeg));
        byte[] lying = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(grey(1), List.of(jpeg));
        DicomFile three = DicomFile.parse(withFrames(dcm, "3"), "three");
        DicomException e = assertThrows(DicomException.class, three::pixels);
        assertTrue(e.getMessage().contains("2 fragments for 3 frames"), e::getMessage);
        // JPEG size that differs from Rows/Columns.
        PixelModule wrong = PixelModule.of(ROWS + 1, COLS, 1, 8, 0, "MONOCHROME2");
        byte[] mismatch = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(wrong, List.of(jpeg));
        e = assertThrows(DicomException.class, () -> DicomFile.parse(mismatch, "size").pixels());
        assertTrue(e.getMessage().contains("but the pixel module says"), e::getMessage);
        // Not a JPEG at all.
        byte[] junk = DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(grey(1), List.of(new byte[] {1, 2, 3, 4}));
        e = assertThrows(DicomException.class, () -> DicomFile.parse(junk, "junk").pixels());
        assertTrue(e.getMessage().contains("SOI"), e::getMessage);
        assertEquals(ROWS * COLS, DicomFile.parse(lying, "ok").pixels().size());
    }

    private static PixelArray decodeAs(byte[] jpeg, String photometric) {
        PixelModule m = PixelModule.of(ROWS, COLS, 3, 8, 0, photometric);
        return DicomFile.parse(DicomWriter.create().transferSyntax(TransferSyntax.JPEG_BASELINE)
                .toBytes(m, List.of(jpeg)), photometric).pixels();
    }

    /** The file with its Number of Frames value (written as "2") replaced by {@code frames} (same length). */
    private static byte[] withFrames(byte[] dcm, String frames) {
        DicomFile f = DicomFile.parse(dcm, "x");
        DicomElement e = f.dataset().get(Tags.NUMBER_OF_FRAMES);
        byte[] copy = dcm.clone();
        byte[] v = Arrays.copyOf(frames.getBytes(), e.length());
        for (int i = frames.length(); i < v.length; i++) {
            v[i] = ' ';
        }
        System.arraycopy(v, 0, copy, e.valueOffset(), v.length);
        return copy;
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }

    private static int maxAbsDiff(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    private static final class ByteArrayConcat {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(byte[] b) {
            out.writeBytes(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
