package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;

/** OpenCV decoding against Pillow's pixels on the real sample JPEGs ({@code golden/imgpipe/decode_hashes.json}). */
class ImageDecoderTest {
    private static final String SAMPLE = "data/mimic-cxr-sample";

    private static JsonNode hashes() throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/golden/imgpipe/decode_hashes.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void sampleJpegsDecodeToPillowsPixels() throws IOException {
        Path root = TestData.require(SAMPLE);
        JsonNode images = hashes().get("images");
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = images.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            GrayImage img = ImageDecoder.decodeGray(root.resolve(e.getKey()));
            JsonNode v = e.getValue();
            if (img.width() != v.get(0).asInt() || img.height() != v.get(1).asInt()
                    || !sha256(img.pixels()).equals(v.get(2).asText())) {
                mismatches.add(e.getKey());
            }
            n++;
        }
        assertEquals(24, n);
        assertEquals(List.of(), mismatches, "JPEGs whose OpenCV pixels differ from Pillow's");
    }

    @Test
    void truncatedJpegDecodesLikePillow(@TempDir Path tmp) throws IOException {
        JsonNode t = hashes().get("truncated");
        byte[] all = Files.readAllBytes(TestData.require(SAMPLE).resolve(t.get("file").asText()));
        byte[] cut = java.util.Arrays.copyOf(all, (int) (all.length * t.get("keep_fraction").asDouble()));
        GrayImage img = ImageDecoder.decodeGray(cut, "truncated");
        assertEquals(t.get("size").get(0).asInt(), img.width());
        assertEquals(t.get("size").get(1).asInt(), img.height());
        assertEquals(t.get("sha256").asText(), sha256(img.pixels()));
    }

    @Test
    void unreadableFilesNameThePath(@TempDir Path tmp) throws IOException {
        Path garbage = tmp.resolve("broken.jpg");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        LovtException e = assertThrows(LovtException.class, () -> ImageDecoder.decodeGray(garbage));
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
        Path missing = tmp.resolve("missing.jpg");
        e = assertThrows(LovtException.class, () -> ImageDecoder.decodeGray(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
