package org.lovt.data.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

class OpenCvCodecTest {
    static byte[] ramp(int w, int h) {
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7 % 256);
        }
        return px;
    }

    @Test
    void pngRoundTripsLosslesslyAt8And16Bits() {
        byte[] px = ramp(13, 5);
        byte[] png = OpenCvCodec.encodeGrayPng(px, 13, 5, 9);
        assertEquals((byte) 0x89, png[0]);
        OpenCvCodec.Pixels d = OpenCvCodec.decode8(png, IMREAD_UNCHANGED, "ramp.png");
        assertEquals(13, d.width());
        assertEquals(5, d.height());
        assertEquals(1, d.channels());
        assertArrayEquals(px, d.data());
        // Compression changes the file, not the pixels.
        assertArrayEquals(px, OpenCvCodec.decode8(OpenCvCodec.encodeGrayPng(px, 13, 5), IMREAD_UNCHANGED, "x")
                .data());

        short[] deep = new short[13 * 5];
        for (int i = 0; i < deep.length; i++) {
            deep[i] = (short) (i * 1000);
        }
        OpenCvCodec.Gray16 g = OpenCvCodec.decodeGray16(OpenCvCodec.encodeGray16Png(deep, 13, 5), "deep.png");
        assertArrayEquals(deep, g.data());
        // An 8-bit file read as 16-bit keeps its 0..255 values.
        short[] widened = new short[px.length];
        for (int i = 0; i < px.length; i++) {
            widened[i] = (short) (px[i] & 0xFF);
        }
        assertArrayEquals(widened, OpenCvCodec.decodeGray16(png, "ramp.png").data());
        // ... and a 16-bit file is refused where 8 bits are expected, naming it.
        LovtException e = assertThrows(LovtException.class, () -> OpenCvCodec.decode8(
                OpenCvCodec.encodeGray16Png(deep, 13, 5), IMREAD_UNCHANGED, "deep.png"));
        assertTrue(e.getMessage().startsWith("deep.png: a 16-bit image"), e.getMessage());
    }

    @Test
    void jpegHonoursTheQualityParameter() {
        byte[] px = ramp(64, 64);
        byte[] low = OpenCvCodec.encodeGrayJpeg(px, 64, 64, 10);
        byte[] high = OpenCvCodec.encodeGrayJpeg(px, 64, 64, 95);
        assertEquals((byte) 0xFF, low[0]);
        assertEquals((byte) 0xD8, low[1]);
        assertTrue(high.length > low.length, high.length + " vs " + low.length);
        byte[] back = OpenCvCodec.decode8(high, IMREAD_UNCHANGED, "q95.jpg").data();
        int maxErr = 0;
        for (int i = 0; i < px.length; i++) {
            maxErr = Math.max(maxErr, Math.abs((px[i] & 0xFF) - (back[i] & 0xFF)));
        }
        assertTrue(maxErr < 128, "decoded close to the original: " + maxErr);
    }

    @Test
    void undecodableBytesGiveNullOrAnErrorNamingTheFile() {
        byte[] garbage = "definitely not an image".getBytes();
        assertNull(OpenCvCodec.decode8(garbage, IMREAD_UNCHANGED, "g.bin"));
        byte[] png = OpenCvCodec.encodeGrayPng(ramp(8, 8), 8, 8);
        // A PNG cut inside a chunk is refused before OpenCV sees it (a chunk length past the end can make its
        // decoder spin); a JPEG cut short still decodes to what OpenCV can read, or to null.
        LovtException cut = assertThrows(LovtException.class,
                () -> OpenCvCodec.decode8(Arrays.copyOf(png, png.length / 2), IMREAD_UNCHANGED, "cut.png"));
        assertTrue(cut.getMessage().startsWith("cut.png: corrupt or truncated PNG: chunk 'IDAT'"), cut.getMessage());
        LovtException e = assertThrows(LovtException.class, () -> OpenCvCodec.decodeGray16(garbage, "g.bin"));
        assertTrue(e.getMessage().startsWith("g.bin: cannot decode image"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenCvCodec.encodeGrayPng(new byte[5], 2, 2));
    }

    @Test
    void everyNativeObjectIsReleased() {
        byte[] px = ramp(32, 32);
        byte[] png = OpenCvCodec.encodeGrayPng(px, 32, 32);
        long before = Pointer.totalCount();
        for (int i = 0; i < 20; i++) {
            OpenCvCodec.encodeGrayPng(px, 32, 32, 3);
            OpenCvCodec.encodeGrayJpeg(px, 32, 32, 75);
            OpenCvCodec.decode8(png, IMREAD_UNCHANGED, "a.png");
            OpenCvCodec.decodeGray16(png, "a.png");
            OpenCvCodec.decode8(new byte[] {1, 2, 3}, IMREAD_UNCHANGED, "bad");
            assertThrows(RuntimeException.class, () -> OpenCvCodec.decode(png, IMREAD_UNCHANGED, "a.png", m -> {
                throw new IllegalStateException("the callback fails");
            }));
        }
        // Released at once, not left to the garbage collector (which could only lower the count).
        assertTrue(Pointer.totalCount() <= before, Pointer.totalCount() + " native objects, " + before + " before");
    }
}
