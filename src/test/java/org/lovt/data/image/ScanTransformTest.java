package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanAugmentationConfig.ValResizeMode;
import org.lovt.torch.HostTensor;

/** Behaviour of {@link ScanTransform} and its steps on synthetic images with hand-checkable properties. */
class ScanTransformTest {
    private static final double MEAN = 0.47;
    private static final double STD = 0.29;
    private static final GrayImage SRC = SyntheticImage.of(613, 457);

    private static ScanTransform train(ScanAugmentationConfig c) {
        return ScanTransform.train(c, 224, MEAN, STD);
    }

    @Test
    void sameSeedSameBytesDifferentSeedsDiffer() {
        ScanTransform t = train(TransformFixtures.defaults());
        ScanImage img = ScanImage.of(SRC);
        HostTensor a = t.applyTensor(img, new SplittableRandom(42));
        HostTensor b = t.applyTensor(img, new SplittableRandom(42));
        HostTensor c = t.applyTensor(img, new SplittableRandom(43));
        assertTrue(a.contentEquals(b));
        assertFalse(a.contentEquals(c));
        assertArrayEquals(new long[] {3, 224, 224}, a.shape());
    }

    @Test
    void outputIsThreeIdenticalNormalisedChannels() {
        ScanTransform t = train(TransformFixtures.defaults());
        float[] x = t.apply(ScanImage.of(SRC), new SplittableRandom(7));
        int n = 224 * 224;
        assertEquals(3 * n, x.length);
        assertArrayEquals(Arrays.copyOfRange(x, 0, n), Arrays.copyOfRange(x, n, 2 * n));
        assertArrayEquals(Arrays.copyOfRange(x, 0, n), Arrays.copyOfRange(x, 2 * n, 3 * n));
        float lo = (float) ((0 - MEAN) / STD);
        float hi = (float) ((1 - MEAN) / STD);
        for (float v : x) {
            assertTrue(v >= lo - 1e-6 && v <= hi + 1e-6, "value " + v);
        }
    }

    @Test
    void normalisationIsXOver255MinusMeanOverStd() {
        ScanTransform t = ScanTransform.validation(TransformFixtures.defaults(), 4, MEAN, STD);
        byte[] px = {0, 1, (byte) 128, (byte) 255};
        float[] out = t.normalize(new GrayImage(2, 2, px));
        for (int i = 0; i < 4; i++) {
            float expected = ((px[i] & 0xFF) / 255f - (float) MEAN) / (float) STD;
            assertEquals(expected, out[i], 0f);
            assertEquals(expected, out[4 + i], 0f);
        }
        assertEquals((0 - MEAN) / STD, out[0], 1e-6);
        assertEquals((1 - MEAN) / STD, out[3], 1e-6);
    }

    @Test
    void blurKernelIs23For224() {
        assertEquals(23, train(TransformFixtures.defaults()).blurKernelSize());
        assertEquals(11, ScanTransform.train(TransformFixtures.defaults(), 112, 0.5, 0.5).blurKernelSize());
        float[] k = TorchGaussianBlur.kernel1d(23, 1.5);
        assertEquals(23, k.length);
        double sum = 0;
        for (int i = 0; i < 23; i++) {
            sum += k[i];
            assertEquals(k[i], k[22 - i], 0f, "symmetric");
        }
        assertEquals(1.0, sum, 1e-6);
        assertTrue(k[11] > k[10] && k[10] > k[0]);
    }

    @Test
    void cropAreaFractionAndAspectRatioStayInRange() {
        ScanTransform t = train(TransformFixtures.defaults());
        SplittableRandom rnd = new SplittableRandom(1);
        int[][] sizes = {{2544, 3056}, {3056, 2544}, {613, 457}, {1024, 1024}};
        double minSeen = 1;
        double maxSeen = 0;
        for (int[] s : sizes) {
            for (int k = 0; k < 2000; k++) {
                AugmentationParams.Crop c = t.sampleCrop(s[0], s[1], rnd);
                assertTrue(c.left() >= 0 && c.top() >= 0 && c.left() + c.width() <= s[0]
                        && c.top() + c.height() <= s[1], c.toString());
                double f = c.areaFraction(s[0], s[1]);
                // w and h are rounded to integers, so the area may undershoot 0.6 by about 1/w + 1/h.
                double slack = 0.6 * (1.0 / c.width() + 1.0 / c.height());
                assertTrue(f >= 0.6 - slack && f <= 1.0, "area fraction " + f);
                double r = (double) c.width() / c.height();
                assertTrue(r >= 0.75 * (1 - 2.0 / c.height()) && r <= 4.0 / 3 * (1 + 2.0 / c.height()), "ratio " + r);
                minSeen = Math.min(minSeen, f);
                maxSeen = Math.max(maxSeen, f);
            }
        }
        assertTrue(minSeen < 0.62 && maxSeen > 0.95, "area fractions cover [0.6, 1]: " + minSeen + " .. " + maxSeen);
    }

    @Test
    void cropFallsBackToCentreCropForExtremeAspectRatios() {
        // A 1000 x 100 strip: no crop of ratio <= 4/3 with >= 60 % of the area exists, so all 10 tries fail.
        AugmentationParams.Crop c = ScanTransform.sampleCrop(1000, 100, 0.6, 1.0, new SplittableRandom(3));
        assertEquals(new AugmentationParams.Crop(0, (1000 - 133) / 2, 100, 133), c);
    }

    @Test
    void flipMirrorsColumns() {
        ScanTransform t = train(TransformFixtures.only("flip"));
        GrayImage plain = t.augment(ScanImage.of(SRC), new AugmentationParams(null, false, null, null, null));
        GrayImage flipped = t.augment(ScanImage.of(SRC), new AugmentationParams(null, true, null, null, null));
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                assertEquals(plain.get(x, y), flipped.get(223 - x, y));
            }
        }
        int flips = 0;
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 4000; i++) {
            flips += t.sample(613, 457, rnd).flip() ? 1 : 0;
        }
        assertEquals(0.5, flips / 4000.0, 0.03);
    }

    @Test
    void affineWithNearestKeepsTheValueSetAndFillsBlack() {
        GrayImage img = new GrayImage(64, 64, new byte[64 * 64]);
        for (int i = 0; i < img.size(); i++) {
            img.pixels()[i] = (byte) (40 + 50 * (i % 4)); // values {40, 90, 140, 190}
        }
        GrayImage out = PilAffine.affine(img, 17.3, 5, -4, 1.04);
        BitSet values = new BitSet();
        for (byte b : out.pixels()) {
            values.set(b & 0xFF);
        }
        BitSet allowed = new BitSet();
        for (int v : new int[] {0, 40, 90, 140, 190}) {
            allowed.set(v);
        }
        values.andNot(allowed);
        assertTrue(values.isEmpty(), "new values " + values);
        assertEquals(0, out.get(0, 0), "rotated-out corner is filled with 0");
        // identity parameters give the identity
        assertEquals(img, PilAffine.affine(img, 0.0, 0, 0, 1.0));
        // a pure integer shift moves pixels by exactly (tx, ty)
        GrayImage shifted = PilAffine.affine(SyntheticImage.of(50, 40), 0.0, 3, 2, 1.0);
        GrayImage s = SyntheticImage.of(50, 40);
        assertEquals(s.get(10, 10), shifted.get(13, 12));
        assertEquals(0, shifted.get(1, 1));
    }

    @Test
    void affineParametersStayInRange() {
        ScanTransform t = train(TransformFixtures.only("affine"));
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            AugmentationParams.Affine a = t.sample(613, 457, rnd).affine();
            assertTrue(a.angle() >= -20 && a.angle() <= 20);
            assertTrue(Math.abs(a.tx()) <= 22 && Math.abs(a.ty()) <= 22, a.toString()); // round(0.1 * 224 = 22.4)
            assertTrue(a.scale() >= 0.95 && a.scale() <= 1.05);
        }
    }

    @Test
    void jitterScalesBrightnessAndContrastWithinTheRange() {
        GrayImage flat = SyntheticImage.constant(20, 10, 100);
        assertEquals(140, PilEnhance.brightness(flat, 1.4).get(3, 3));
        assertEquals(60, PilEnhance.brightness(flat, 0.6).get(3, 3));
        assertEquals(255, PilEnhance.brightness(SyntheticImage.constant(4, 4, 200), 1.4).get(0, 0), "clipped");
        // Truncation, not rounding: 0.63 * 101 = 63.63 -> 63.
        assertEquals(63, PilEnhance.brightness(SyntheticImage.constant(4, 4, 101), 0.63).get(0, 0));
        // contrast pulls values towards the rounded mean (here 150) and away from it for factors > 1
        GrayImage two = new GrayImage(2, 1, new byte[] {100, (byte) 200});
        GrayImage low = PilEnhance.contrast(two, 0.6);
        assertEquals(120, low.get(0, 0));
        assertEquals(180, low.get(1, 0));
        GrayImage high = PilEnhance.contrast(two, 1.4);
        assertEquals(80, high.get(0, 0));
        assertEquals(220, high.get(1, 0));
        ScanTransform t = train(TransformFixtures.only("jitter"));
        SplittableRandom rnd = new SplittableRandom(11);
        int brightnessFirst = 0;
        for (int i = 0; i < 2000; i++) {
            AugmentationParams.Jitter j = t.sample(613, 457, rnd).jitter();
            assertNotNull(j, "jitter_prob 1.0 always applies");
            assertTrue(j.brightness() >= 0.6 && j.brightness() <= 1.4);
            assertTrue(j.contrast() >= 0.6 && j.contrast() <= 1.4);
            brightnessFirst += j.brightnessFirst() ? 1 : 0;
        }
        assertEquals(0.5, brightnessFirst / 2000.0, 0.04);
    }

    @Test
    void blurSmoothsAndKeepsConstants() {
        GrayImage flat = SyntheticImage.constant(60, 50, 77);
        assertEquals(flat, TorchGaussianBlur.blur(flat, 23, 2.5));
        GrayImage step = new GrayImage(60, 50, new byte[60 * 50]);
        for (int y = 0; y < 50; y++) {
            for (int x = 30; x < 60; x++) {
                step.pixels()[y * 60 + x] = (byte) 200;
            }
        }
        GrayImage b = TorchGaussianBlur.blur(step, 23, 3.0);
        assertTrue(b.get(29, 25) > 0 && b.get(29, 25) < 200 && b.get(30, 25) < 200, "edge is smoothed");
        assertEquals(0, b.get(5, 25));
        assertEquals(200, b.get(55, 25));
        ScanTransform t = train(TransformFixtures.only("blur"));
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 1000; i++) {
            double s = t.sample(613, 457, rnd).blurSigma();
            assertTrue(s >= 0.1 && s <= 3.0);
        }
        assertNull(train(TransformFixtures.only()).sample(613, 457, rnd).blurSigma());
    }

    @Test
    void validationPadsToSquareThenResizes() {
        // A 300 x 200 white image: 50 black rows top and bottom, then 300 -> 224: rows 0..37 black, 37..187 white.
        GrayImage white = SyntheticImage.constant(300, 200, 255);
        ScanTransform v = ScanTransform.validation(TransformFixtures.defaults(), 224, MEAN, STD);
        GrayImage out = v.augment(ScanImage.of(white), v.sample(300, 200, new SplittableRandom(0)));
        assertEquals(224, out.width());
        assertEquals(224, out.height());
        for (int x = 0; x < 224; x++) {
            assertEquals(0, out.get(x, 10));
            assertEquals(0, out.get(x, 35));
            assertEquals(255, out.get(x, 112));
            assertEquals(255, out.get(x, 185));
            assertEquals(0, out.get(x, 213));
        }
        // left/right are not padded: the full width is white
        assertEquals(255, out.get(0, 112));
        assertEquals(255, out.get(223, 112));
        // an odd difference (301 x 200): int(101/2) = 50 rows each side, so the padded image is 301 x 300
        GrayImage odd = SyntheticImage.constant(301, 200, 255).pad(0, 50, 0, 50);
        assertEquals(PilResize.resize(odd, 224, 224),
                v.augment(ScanImage.of(SyntheticImage.constant(301, 200, 255)), AugmentationParams.NONE));
        // validation draws nothing
        SplittableRandom rnd = new SplittableRandom(4);
        long before = new SplittableRandom(4).nextLong();
        assertEquals(AugmentationParams.NONE, v.sample(300, 200, rnd));
        assertEquals(before, rnd.nextLong());
    }

    @Test
    void otherValidationModes() {
        ScanTransform resize = ScanTransform.validation(TransformFixtures.withValMode(ValResizeMode.RESIZE), 224,
                MEAN, STD);
        assertEquals(PilResize.resize(SRC, 224, 224), resize.augment(ScanImage.of(SRC), AugmentationParams.NONE));
        ScanTransform cc = ScanTransform.validation(TransformFixtures.withValMode(ValResizeMode.CENTER_CROP), 224,
                MEAN, STD);
        GrayImage shorter = PilResize.resize(SRC, (int) (246L * 613 / 457), 246);
        int left = (int) Math.rint((shorter.width() - 224) / 2.0);
        int top = (int) Math.rint((246 - 224) / 2.0);
        assertEquals(shorter.crop(left, top, 224, 224), cc.augment(ScanImage.of(SRC), AugmentationParams.NONE));
    }

    @Test
    void augmentFalseTrainsWithTheValidationTransform() {
        ScanAugmentationConfig d = TransformFixtures.defaults();
        ScanAugmentationConfig off = new ScanAugmentationConfig(false, true, d.cropScaleRange(), true, 0.5, true,
                d.rotationAngleRange(), 0.1, 0.1, d.scalingRange(), true, 1.0, d.brightnessJitterRatioRange(),
                d.contrastJitterRatioRange(), true, d.gaussianBlurSigmaRange(), ValResizeMode.PAD);
        ScanTransform t = train(off);
        assertFalse(t.augments());
        assertArrayEquals(ScanTransform.validation(d, 224, MEAN, STD).apply(ScanImage.of(SRC), new SplittableRandom(1)),
                t.apply(ScanImage.of(SRC), new SplittableRandom(2)));
    }

    @Test
    void disabledCropUsesTheValidationResizeAndDrawsNoCrop() {
        ScanTransform t = train(TransformFixtures.only("flip"));
        AugmentationParams p = t.sample(613, 457, new SplittableRandom(3));
        assertNull(p.crop());
        assertNull(p.affine());
        assertNull(p.jitter());
        assertNull(p.blurSigma());
    }
}
