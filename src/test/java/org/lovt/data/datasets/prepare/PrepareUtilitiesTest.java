package org.lovt.data.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.util.Csv;

/** Hand-checkable numbers and Python/numpy/skimage reference values for the shared preparation pieces. */
class PrepareUtilitiesTest {
    @TempDir
    Path tmp;

    @Test
    void pyFloatIsPythonRepr() {
        // Reference strings from CPython 3: repr(x).
        assertEquals("162.0", PyFloat.repr(162.0));
        assertEquals("614.4", PyFloat.repr(614.4));
        assertEquals("808.364021164021", PyFloat.repr(808.364021164021));
        assertEquals("0.30000000000000004", PyFloat.repr(0.1 + 0.2));
        assertEquals("1e-05", PyFloat.repr(1e-5));
        assertEquals("0.0001", PyFloat.repr(1e-4));
        assertEquals("1e+16", PyFloat.repr(1e16));
        assertEquals("1234567890123456.0", PyFloat.repr(1234567890123456.0));
        assertEquals("1.2345678901234568e+17", PyFloat.repr(123456789012345678.0));
        assertEquals("327.50465563430885", PyFloat.repr(327.50465563430885));
        assertEquals("-0.5", PyFloat.repr(-0.5));
        assertEquals("5e-324", PyFloat.repr(Double.MIN_VALUE));
        assertEquals("0.942548394203186", PyFloat.repr((float) 0.942548394203186));
    }

    @Test
    void numpyPermutationsMatchNumpy() {
        // np.random.seed(s); np.random.permutation(n) with numpy 1.24 / 2.4 (legacy RandomState).
        assertArrayEquals(new int[] {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, new NumpyRandom(0).permutation(10));
        assertArrayEquals(new int[] {27, 15, 23, 17, 8, 9, 28, 24, 12, 0, 4, 16, 5, 13, 11, 22, 1, 2, 25, 3, 21, 26,
                18, 29, 20, 7, 10, 14, 19, 6}, new NumpyRandom(42).permutation(30));
        assertArrayEquals(new int[] {1, 5, 0, 6, 4, 2, 3}, new NumpyRandom(4294967295L).permutation(7));
        int[] big = new NumpyRandom(123).permutation(100000);
        assertArrayEquals(new int[] {42083, 71825, 99535, 47879, 36734}, java.util.Arrays.copyOf(big, 5));
        assertArrayEquals(new int[] {63206, 61404, 17730, 28030, 15725},
                java.util.Arrays.copyOfRange(big, 99995, 100000));
        // np.random.seed(1); np.random.choice(50, 5, replace=False); np.random.permutation(6)
        NumpyRandom r = new NumpyRandom(1);
        assertArrayEquals(new int[] {27, 35, 40, 38, 2}, r.choiceWithoutReplacement(50, 5));
        assertArrayEquals(new int[] {5, 2, 0, 4, 1, 3}, r.permutation(6));
    }

    @Test
    void equalisationByHand() {
        // [[0, 0], [255, 255]] / 255: two bins hold 2 pixels each; cdf is 0.5 up to bin 254, then 1. 0 lies below
        // the first bin centre (cdf[0] = 0.5 -> 127.5 -> 127), 1 above the last (1.0 -> 255).
        LevelImage img = LevelImage.ofUint8(new Gray8(2, 2, new byte[] {0, 0, (byte) 255, (byte) 255}));
        LevelImage.Result r = img.equalized();
        assertArrayEquals(new byte[] {127, 127, (byte) 255, (byte) 255}, r.image().pixels());
        assertEquals(0.75, r.stats().mean(), 1e-15);
        assertEquals(0.0625, r.stats().variance(), 1e-15);
        // A flat image gets 0.5 everywhere (numpy widens the range by +-0.5), as skimage does.
        LevelImage.Result flat = LevelImage.ofUint8(new Gray8(2, 1, new byte[] {77, 77})).equalized();
        assertArrayEquals(new byte[] {127, 127}, flat.image().pixels());
        assertEquals(0.0, flat.stats().variance());
        // skimage 0.19.3: [[10,10,10,20],[20,30,30,30]]/255 -> [[.375]*3 + [.5], [.5, 1, 1, 1]]
        LevelImage.Result three = LevelImage.ofUint8(new Gray8(4, 2,
                new byte[] {10, 10, 10, 20, 20, 30, 30, 30})).equalized();
        assertArrayEquals(new byte[] {95, 95, 95, 127, 127, (byte) 255, (byte) 255, (byte) 255},
                three.image().pixels());
    }

    @Test
    void equalisationMatchesSkimage() {
        // A 16 x 16 image and (255 * skimage.exposure.equalize_hist(img / 255.)).astype(uint8), skimage 0.19.3.
        byte[] in = HexFormat.of().parseHex("00070e151c232a31383f464d545b6269030b131b23262e363e4649515961696c0c151e222b"
                + "2f3841454e525b646871751b252a34393e484d575c616b707a7f84303b41474d535e646a707681878d93994b525960676e"
                + "757c838a91989fa6adb46c747c848c8f979fa7afb2bac2020a0d939ca5a9b2b6bf00040d111a23273034c0020711161b25"
                + "2a34393e484d575c612b363c42484e595f656b717c82888e94646b727980878e959ca3aab1b8bfc605a3abb3bbc3c6060e"
                + "161e212931394144202932363f434c555962666f787c85899da7acb6bbc0cacfd9dee3edf234393eeef9373d4349545a60"
                + "666c777d83898f7d848b9299a0a7aeb5bcc3cad1d8dfe6");
        byte[] expected = HexFormat.of().parseHex("010910161c242c35414d58626b75808a040b131c2427303d4c585c66727e8a900c"
                + "161e232f314151566468758389969a1c252c3a444c5a626e777e8c94a0a7af33455158626978838b949ca9b2bac0c65e68"
                + "727c87929aa4acb6bdc5ccd1d9df9099a4afb8bcc3ccd4dbdde4ed030a0ec0c8d0d5dde2e901050e12192428333aeb0309"
                + "12171c252c3a444c5a626e777e2f3d46525a647279858c96a4aab3bbc1838c989fa8b2bbc2c8cfd6dce3e9f106cfd7dee6"
                + "eff10710171e212a35445155202a363d4d545f6c728086939ea4b0b5cad4d8e2e6ebf3f4f6f7f9fcfe3a444cfdff3e4854"
                + "5c6b737c86909da6acb5bca6afb7bec6cdd4dae0e7eff3f5f5f8fa");
        LevelImage.Result r = LevelImage.ofUint8(new Gray8(16, 16, in)).equalized();
        assertArrayEquals(expected, r.image().pixels());
        assertEquals(0.5033333406869667, r.stats().mean(), 1e-15);
        assertEquals(0.0830968515301667, r.stats().variance(), 1e-15);
    }

    @Test
    void splitStatisticsCombineImages() {
        // Means 0.2 and 0.4, variances 0.01 and 0.03: mean 0.3, var = 0.02 + var(0.2, 0.4) = 0.02 + 0.01.
        double[] ms = ImageStats.combine(List.of(new ImageStats(0.2, 0.01), new ImageStats(0.4, 0.03)));
        assertEquals(0.3, ms[0], 1e-15);
        assertEquals(Math.sqrt(0.03), ms[1], 1e-15);
        // Every image counts equally whatever its size; one image: its own numbers.
        assertArrayEquals(new double[] {0.5, 0.5}, ImageStats.combine(List.of(new ImageStats(0.5, 0.25))), 1e-15);
        assertArrayEquals(new double[] {0, 0}, ImageStats.combine(List.of()));
        ImageStats s = ImageStats.ofLevels(new double[] {0.0, 1.0}, new long[] {3, 1});
        assertEquals(0.25, s.mean(), 1e-15);
        assertEquals(0.1875, s.variance(), 1e-15);
    }

    @Test
    void csvReadsLikePandasAndWritesLikePython() throws Exception {
        Path f = tmp.resolve("a.csv");
        Files.writeString(f, "\uFEFFID,boxes,classes\r\n\"x,1\",\"a \"\"q\"\"\",3\r\n\r\nshort\n", StandardCharsets.UTF_8);
        Csv.Table t = Csv.read(f);
        assertEquals(List.of("ID", "boxes", "classes"), t.header());
        assertEquals(List.of("x,1", "a \"q\"", "3"), t.rows().get(0));
        assertEquals(List.of("short", "", ""), t.rows().get(1));
        assertEquals(f + ":4", t.where(1));
        LovtException e = assertThrows(LovtException.class, () -> t.column("Target"));
        assertTrue(e.getMessage().contains("missing column 'Target'") && e.getMessage().contains(f.toString()));
        assertEquals("\"x,1\",\"a \"\"q\"\"\",1;2|3", Csv.line(List.of("x,1", "a \"q\"", "1;2|3")));
        assertEquals("\"\"", Csv.line(List.of("")));
        Files.writeString(f, "a,b\n1,2,3\n");
        assertTrue(assertThrows(LovtException.class, () -> Csv.read(f)).getMessage().contains(":2: 3 fields"));
    }

    @Test
    void boxesRasteriseWithHalfEvenRoundingAndClip() {
        // x 0.5 w 1: columns round(0.5)=0 .. round(1.5)=2; x 1.5 w 1: round(1.5)=2 .. round(2.5)=2 -> nothing.
        Gray8 m = Box.mask(List.of(new Box(0.5, 0, 1, 1, 1, false), new Box(1.5, 1, 1, 1, 1, false)), 4, 2);
        assertArrayEquals(new byte[] {1, 1, 0, 0, 0, 0, 0, 0}, m.pixels());
        assertEquals("162.0;228.0;322.0;613.0", new Box(162, 228, 322, 613, 1, false).csv());
        assertEquals("506;1577;660;699", new Box(506, 1577, 660, 699, 1, true).csv());
        Box inside = new Box(1, 1, 2, 2, 1, false);
        assertSame(inside, inside.fit(4, 4, msg -> { throw new AssertionError(msg); }));
        List<String> clipped = new ArrayList<>();
        Box c = new Box(-5, 2, 10, 10, 1, true).fit(8, 6, clipped::add);
        assertEquals("0;2;5;4", c.csv());
        assertEquals(1, clipped.size());
        assertTrue(clipped.get(0).contains("-5;2;10;10") && clipped.get(0).contains("clipped to 0;2;5;4"));
        assertThrows(LovtException.class, () -> new Box(10, 10, 5, 5, 1, false).fit(8, 8, clipped::add));
        assertThrows(LovtException.class, () -> new Box(1, 1, 0, 5, 1, false).fit(8, 8, clipped::add));
        assertThrows(LovtException.class, () -> new Box(1, Double.NaN, 3, 5, 1, false).fit(8, 8, clipped::add));
    }

    @Test
    void randomSplitsFollowTheOriginalHelpers() {
        List<String> s = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        // seed 0: permutation [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]; round(0.2 * 10) = 2 test, 2 validation.
        Splits<String> sp = Splits.byIndices(s, 0.2, 0.2, new NumpyRandom(0));
        assertEquals(List.of("c", "i"), sp.get(SplitName.TEST));
        assertEquals(List.of("e", "j"), sp.get(SplitName.VALIDATION));
        assertEquals(List.of("b", "g", "h", "d", "a", "f"), sp.get(SplitName.TRAIN));
        // sklearn train_test_split(test_size=0.2): validation = first ceil(2.0) of the permutation.
        Splits<String> tv = Splits.trainValidation(s, 0.2, new NumpyRandom(0));
        assertEquals(List.of("c", "i"), tv.get(SplitName.VALIDATION));
        assertEquals(List.of("e", "j", "b", "g", "h", "d", "a", "f"), tv.get(SplitName.TRAIN));
        // Patients p0..p4 with 1, 3, 1, 2, 3 images; seed 0: permutation(5) = [2, 0, 1, 3, 4].
        assertArrayEquals(new int[] {2, 0, 1, 3, 4}, new NumpyRandom(0).permutation(5));
        List<String> img = List.of("p0_1", "p1_1", "p1_2", "p1_3", "p2_1", "p3_1", "p3_2", "p4_1", "p4_2", "p4_3");
        Splits<String> bp = Splits.byPatients(img, x -> x.split("_")[0], 0.2, 0.2, new NumpyRandom(0));
        // test needs >= 2 images: p2 (1), then p0 (1) -> 2. validation needs >= 2: p1 (3). Train: p3, p4.
        assertEquals(List.of("p2_1", "p0_1"), bp.get(SplitName.TEST));
        assertEquals(List.of("p1_1", "p1_2", "p1_3"), bp.get(SplitName.VALIDATION));
        assertEquals(List.of("p3_1", "p3_2", "p4_1", "p4_2", "p4_3"), bp.get(SplitName.TRAIN));
        assertEquals(sp.all(), Splits.byIndices(s, 0.2, 0.2, new NumpyRandom(0)).all(), "deterministic");
    }

    @Test
    void subsetsArePrefixesWithHalfEvenRounding() {
        assertEquals(160, Subsets.size(16010, 0.01));
        assertEquals(1601, Subsets.size(16010, 0.1));
        assertEquals(16010, Subsets.size(16010, 1.0));
        assertEquals(534, Subsets.size(5337, 0.1));
        assertEquals(2, Subsets.size(250, 0.01)); // 2.5 -> 2 (Python round)
        assertEquals(4, Subsets.size(350, 0.01)); // 3.5 -> 4
        assertEquals(List.of("a", "b"), Subsets.prefix(List.of("a", "b", "c", "d", "e"), 0.5)); // 2.5 -> 2
        assertEquals(5, Subsets.size(5, null));
    }

    @Test
    void maskGifHoldsIndicesZeroAndOne() throws Exception {
        Gray8 m = new Gray8(5, 3, new byte[] {0, 1, 0, 0, 0, 0, (byte) 255, 1, 0, 0, 0, 0, 0, 0, 1});
        Path f = tmp.resolve("m.gif");
        MaskGif.write(f, m);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals("GIF89a", new String(bytes, 0, 6, StandardCharsets.US_ASCII));
        Gray8 back = MaskGif.read(f);
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1}, back.pixels());
        // What OpenCV (a colour reader) sees: black and white.
        DecodedImage viaOpenCv = decodeGifWithImageIo(bytes);
        assertEquals(5, viaOpenCv.width());
    }

    private static DecodedImage decodeGifWithImageIo(byte[] gif) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(gif));
        assertEquals(0xFFFFFFFF, img.getRGB(1, 0));
        assertEquals(0xFF000000, img.getRGB(0, 0));
        return new DecodedImage(img.getWidth(), img.getHeight(), 1, new byte[img.getWidth() * img.getHeight()]);
    }

    @Test
    void imageCodecRefusesTruncatedAndForeignFiles() {
        Gray8 g = new Gray8(16, 8, new byte[128]);
        byte[] jpg = ImageCodec.encodeJpeg(g, 75);
        assertEquals(1, ImageCodec.decode(jpg, "ok.jpg").channels());
        byte[] cut = java.util.Arrays.copyOf(jpg, jpg.length - 10);
        assertTrue(assertThrows(LovtException.class, () -> ImageCodec.decode(cut, "cut.jpg")).getMessage()
                .contains("cut.jpg: truncated JPEG"));
        byte[] png = ImageCodec.encodePng(g);
        byte[] cutPng = java.util.Arrays.copyOf(png, png.length / 2);
        assertTrue(assertThrows(LovtException.class, () -> ImageCodec.decode(cutPng, "cut.png")).getMessage()
                .contains("cut.png"));
        assertTrue(assertThrows(LovtException.class, () -> ImageCodec.decode("hello".getBytes(), "x.png"))
                .getMessage().contains("neither a PNG nor a JPEG"));
        // Pillow's RGB -> L: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16, from BGR data.
        DecodedImage bgr = new DecodedImage(2, 1, 3, new byte[] {(byte) 175, (byte) 175, (byte) 177, 0, 0, (byte) 255});
        assertArrayEquals(new byte[] {(byte) 176, 76}, bgr.toPilLuminance().pixels());
    }
}
