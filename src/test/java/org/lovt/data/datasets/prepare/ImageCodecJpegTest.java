package org.lovt.data.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prepared COVID and Object-CXR images are JPEGs of quality 75, which the original wrote with Pillow. Our encoder
 * must give Pillow's bytes, not only similar pixels. The hashes come from {@code tools/pillow_jpeg_reference.py}
 * (Pillow 9.4.0, libjpeg-turbo), which builds the same integer images.
 */
class ImageCodecJpegTest {
    /** A smooth pattern plus a 32-bit LCG's noise; integer-only so that Python builds the same pixels. */
    static byte[] image(int w, int h, long seed) {
        byte[] out = new byte[w * h];
        long state = seed & 0xFFFFFFFFL;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                state = (state * 1664525L + 1013904223L) & 0xFFFFFFFFL;
                long v = (x * 3L + y * 5L + ((long) x * y) % 61) % 200 + (state >>> 27);
                out[y * w + x] = (byte) Math.min(255, v);
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "257, 301, 1, e17e1f6f4b854f3c4982ad9b0c19a83f7d75c4e942f8812d50ed476c7a78131e",
            "64, 64, 2, 36464a4bd9db6b05ea545b4d315537fe84161b38d51d6fc0f62abd871e510ff2",
            "1, 1, 3, 917553a834c22c9272b3e3cf04c10db8078fc00d5e88b7cb2eb30a2d61ff5f51",
            "1000, 3, 4, 799c98143197c74b9297042c6b28e27e9f2a1c1c40e8b02eb4662f6664426aad",
            "17, 9, 5, 3f9967fe1de4687004828b9eb5e416bc12ae24a78ae104f71725b45491829644"})
    void quality75JpegIsPillowsBytes(int w, int h, long seed, String pillowSha256) throws Exception {
        byte[] jpeg = ImageCodec.encodeJpeg(new Gray8(w, h, image(w, h, seed)), ImageCodec.JPEG_QUALITY);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg));
        assertEquals(pillowSha256, sha, w + "x" + h + " seed " + seed);
    }
}
