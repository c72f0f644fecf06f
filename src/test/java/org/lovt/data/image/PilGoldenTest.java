package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each image op against Pillow 9.4 / torchvision reference outputs ({@code golden/imgpipe/generate.py}) on a
 * synthetic image: resizes, crop+resize, padding, affine and enhancement are bit-exact; the blur may differ by one
 * gray level on a few pixels (float32 2-D conv vs separable double accumulation).
 */
class PilGoldenTest {
    private static final String DIR = "/golden/imgpipe/";

    @TestFactory
    List<DynamicTest> goldens() throws IOException {
        JsonNode root;
        try (InputStream in = PilGoldenTest.class.getResourceAsStream(DIR + "cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        GrayImage src = SyntheticImage.of(root.get("synthetic").get(0).asInt(), root.get("synthetic").get(1).asInt());
        GrayImage base = PilResize.resize(src, 131, 97);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                GrayImage expected = new GrayImage(c.get("width").asInt(), c.get("height").asInt(), read(name));
                GrayImage actual = compute(c, src, base);
                assertEquals(expected.width(), actual.width(), name + " width");
                assertEquals(expected.height(), actual.height(), name + " height");
                int differing = 0;
                int maxDiff = 0;
                for (int i = 0; i < expected.size(); i++) {
                    int d = Math.abs((expected.pixels()[i] & 0xFF) - (actual.pixels()[i] & 0xFF));
                    if (d != 0) {
                        differing++;
                        maxDiff = Math.max(maxDiff, d);
                    }
                }
                String op = c.get("op").asText();
                if (op.equals("blur") || op.equals("chain")) {
                    // float32 conv2d vs separable double: off by one at near-half-integer values only.
                    assertTrue(maxDiff <= 1, name + ": max difference " + maxDiff);
                    assertTrue(differing <= expected.size() / 500,
                            name + ": " + differing + " of " + expected.size() + " pixels differ");
                    if (differing > 0) {
                        System.out.println(name + ": " + differing + " of " + expected.size() + " pixels differ by 1");
                    }
                } else {
                    assertEquals(0, differing, name + ": " + differing + " pixels differ, max " + maxDiff);
                }
            }));
        }
        return tests;
    }

    private static GrayImage compute(JsonNode c, GrayImage src, GrayImage base) {
        switch (c.get("op").asText()) {
            case "resize":
                return PilResize.resize(src, c.get("out").get(1).asInt(), c.get("out").get(0).asInt());
            case "resized_crop": {
                JsonNode k = c.get("crop");
                return resizedCrop(src, k.get(0).asInt(), k.get(1).asInt(), k.get(2).asInt(), k.get(3).asInt(),
                        c.get("out").get(1).asInt(), c.get("out").get(0).asInt());
            }
            case "pad_resize": {
                GrayImage in = c.has("input") ? SyntheticImage.of(c.get("input").get(0).asInt(),
                        c.get("input").get(1).asInt()) : src;
                return padTransform().validationResize(ScanImage.of(in));
            }
            case "center_crop":
                return ScanTransform.validation(config(org.lovt.data.image.ScanAugmentationConfig.ValResizeMode.CENTER_CROP),
                        224, 0.5, 0.5).validationResize(ScanImage.of(src));
            case "affine":
                return PilAffine.affine(base, c.get("angle").asDouble(), c.get("tx").asInt(), c.get("ty").asInt(),
                        c.get("scale").asDouble());
            case "brightness":
                return PilEnhance.brightness(base, c.get("factor").asDouble());
            case "contrast":
                return PilEnhance.contrast(base, c.get("factor").asDouble());
            case "blur":
                return TorchGaussianBlur.blur(base, c.get("kernel").asInt(), c.get("sigma").asDouble());
            case "chain": {
                JsonNode k = c.get("crop");
                AugmentationParams p = new AugmentationParams(
                        new AugmentationParams.Crop(k.get(0).asInt(), k.get(1).asInt(), k.get(2).asInt(),
                                k.get(3).asInt()),
                        c.get("flip").asBoolean(),
                        new AugmentationParams.Affine(c.get("angle").asDouble(), c.get("tx").asInt(),
                                c.get("ty").asInt(), c.get("scale").asDouble()),
                        new AugmentationParams.Jitter(c.get("brightness").asDouble(), c.get("contrast").asDouble(),
                                c.get("brightness_first").asBoolean()),
                        c.get("sigma").asDouble());
                return ScanTransform.train(TransformFixtures.defaults(), 224, 0.5, 0.5).augment(ScanImage.of(src), p);
            }
            default:
                throw new IllegalArgumentException(c.get("op").asText());
        }
    }

    private static GrayImage resizedCrop(GrayImage src, int i, int j, int h, int w, int outW, int outH) {
        return PilResize.resize(src, j, i, w, h, 0f, 0f, w, h, outW, outH);
    }

    private static ScanTransform padTransform() {
        return ScanTransform.validation(TransformFixtures.defaults(), 224, 0.5, 0.5);
    }

    private static org.lovt.data.image.ScanAugmentationConfig config(
            org.lovt.data.image.ScanAugmentationConfig.ValResizeMode mode) {
        return TransformFixtures.withValMode(mode);
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(PilGoldenTest.class.getResourceAsStream(DIR + name + ".u8.gz"))) {
            return in.readAllBytes();
        }
    }
}
