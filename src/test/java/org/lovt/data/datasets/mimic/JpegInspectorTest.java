package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image size and exact pixel statistics of decoded files; truncated and undecodable files. */
class JpegInspectorTest {
    @TempDir
    Path tmp;

    /** Writes known pixels losslessly (PNG bytes; the decoder goes by content, not by name). */
    private Path png(byte[] pixels, int rows, int cols, int channels) throws IOException {
        try (var mat = new org.bytedeco.opencv.opencv_core.Mat(rows, cols, opencv_core.CV_8UC(channels));
             BytePointer encoded = new BytePointer()) {
            mat.data().put(pixels);
            assertTrue(opencv_imgcodecs.imencode(".png", mat, encoded));
            byte[] bytes = new byte[(int) encoded.limit()];
            encoded.get(bytes);
            Path f = tmp.resolve("img" + channels + ".jpg");
            Files.write(f, bytes);
            return f;
        }
    }

    @Test
    void statisticsAreExactOverAllChannels() throws IOException {
        Random r = new Random(5);
        for (int channels : new int[] {1, 3}) {
            byte[] pixels = new byte[37 * 53 * channels];
            r.nextBytes(pixels);
            var result = JpegInspector.inspect(png(pixels, 37, 53, channels));
            JpegInspector.Ok ok = assertInstanceOf(JpegInspector.Ok.class, result);
            assertEquals(53, ok.width());
            assertEquals(37, ok.height());
            assertFalse(ok.truncated()); // not a JPEG at all, so not a truncated one
            PixelStats.MeanVar expected = PixelStats.ofUint8(pixels);
            assertEquals(expected.mean(), ok.stats().mean(), 0.0);
            assertEquals(expected.variance(), ok.stats().variance(), 0.0);
        }
    }

    @Test
    void undecodableAndEmptyFilesFail() throws IOException {
        Path junk = Files.write(tmp.resolve("junk.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        assertInstanceOf(JpegInspector.Failed.class, JpegInspector.inspect(junk));
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        assertEquals("empty file", ((JpegInspector.Failed) JpegInspector.inspect(empty)).reason());
        assertInstanceOf(JpegInspector.Failed.class, JpegInspector.inspect(tmp.resolve("missing.jpg")));
    }

    @Test
    void endOfImageMarkerIgnoresZeroPadding() {
        assertTrue(JpegInspector.endsWithEoi(new byte[] {1, (byte) 0xFF, (byte) 0xD9}));
        assertTrue(JpegInspector.endsWithEoi(new byte[] {1, (byte) 0xFF, (byte) 0xD9, 0, 0}));
        assertFalse(JpegInspector.endsWithEoi(new byte[] {1, (byte) 0xFF, (byte) 0xD8}));
        assertFalse(JpegInspector.endsWithEoi(new byte[] {(byte) 0xD9}));
    }
}
