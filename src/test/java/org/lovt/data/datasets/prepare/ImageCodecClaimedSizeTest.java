package org.lovt.data.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

/** A header claiming a huge (or empty) image is refused before the decoder allocates what it claims. */
class ImageCodecClaimedSizeTest {
    private static final Gray8 IMG = new Gray8(16, 12, new byte[16 * 12]);

    @Test
    void pngAndJpegHeadersClaimingTooManyPixelsAreRefusedBeforeDecoding() {
        byte[] png = ImageCodec.encodePng(IMG);
        assertEquals(16, ImageCodec.decode(png, "ok.png").width());
        byte[] huge = png.clone();
        put32(huge, 16, 100_000);
        put32(huge, 20, 100_000);
        LovtException e = assertThrows(LovtException.class, () -> ImageCodec.decode(huge, "huge.png"));
        assertEquals("huge.png: the header claims a 100000 x 100000 image; at most 268435456 pixels are accepted",
                e.getMessage());
        byte[] empty = png.clone();
        put32(empty, 16, 0);
        assertTrue(assertThrows(LovtException.class, () -> ImageCodec.decode(empty, "empty.png")).getMessage()
                .contains("claims a 0 x 12 image"));

        byte[] jpeg = ImageCodec.encodeJpeg(IMG, 90);
        assertEquals(12, ImageCodec.decode(jpeg, "ok.jpg").height());
        int sof = sof(jpeg);
        byte[] wide = jpeg.clone();
        wide[sof + 5] = (byte) 0xFF; // height 65535
        wide[sof + 6] = (byte) 0xFF;
        wide[sof + 7] = (byte) 0xFF; // width 65535
        wide[sof + 8] = (byte) 0xFF;
        assertTrue(assertThrows(LovtException.class, () -> ImageCodec.decode(wide, "wide.jpg")).getMessage()
                .startsWith("wide.jpg: the header claims a 65535 x 65535 image"));
    }

    @Test
    void aPngChunkReachingPastTheEndIsRefusedBeforeDecoding() {
        byte[] png = ImageCodec.encodePng(IMG);
        byte[] cut = java.util.Arrays.copyOf(png, png.length - 20); // inside the last IDAT or IEND
        LovtException e = assertThrows(LovtException.class, () -> ImageCodec.decode(cut, "cut.png"));
        assertTrue(e.getMessage().startsWith("cut.png: corrupt or truncated PNG: chunk '"), e.getMessage());
        byte[] iend = png.clone();
        put32(iend, iend.length - 12, 0xFFFFDF00); // IEND claiming 4 GB (the fuzzing finding)
        e = assertThrows(LovtException.class, () -> ImageCodec.decode(iend, "iend.png"));
        assertTrue(e.getMessage().contains("chunk 'IEND' at byte " + (png.length - 12) + " claims 4294958848 bytes"),
                e.getMessage());
    }

    private static int sof(byte[] b) {
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                return i;
            }
        }
        throw new AssertionError("no SOF0");
    }

    private static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
