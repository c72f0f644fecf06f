package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;

/** The on-disk cache: hits, keys, atomic entries, and how much it changes the transform's outputs. */
class ImageCacheTest {

    @Test
    void secondLoadIsAHitWithTheSamePixels(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("scan.png");
        Files.write(src, new byte[] {1}); // content is irrelevant: the counting decoder below makes the image
        AtomicInteger decodes = new AtomicInteger();
        ScanImageSource decoder = p -> {
            decodes.incrementAndGet();
            return ScanImage.of(SyntheticImage.of(900, 700));
        };
        ImageCache cache = new ImageCache(tmp.resolve("cache"), 300, decoder);
        ScanImage a = cache.load(src);
        ScanImage b = cache.load(src);
        assertEquals(1, decodes.get());
        assertEquals(a.pixels(), b.pixels());
        assertEquals(900, b.fullWidth());
        assertEquals(700, b.fullHeight());
        assertEquals(386, b.pixels().width()); // round(900 * 300 / 700)
        assertEquals(300, b.pixels().height());
        assertEquals(PilResize.resize(SyntheticImage.of(900, 700), 386, 300), b.pixels());
        // only the entry is left behind: no temporary files
        try (Stream<Path> files = Files.walk(cache.dir())) {
            List<Path> all = files.filter(Files::isRegularFile).collect(Collectors.toList());
            assertEquals(List.of(cache.entryFor(src)), all);
        }
        // a new cache object over the same folder hits too
        new ImageCache(tmp.resolve("cache"), 300, decoder).load(src);
        assertEquals(1, decodes.get());
    }

    @Test
    void keyFollowsModificationTimeSizeAndTarget(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("scan.jpg");
        Files.write(src, new byte[] {1, 2, 3});
        ImageCache cache = new ImageCache(tmp.resolve("c"), 448);
        Path k1 = cache.entryFor(src);
        assertEquals(k1, cache.entryFor(tmp.resolve(".").resolve("scan.jpg")));
        assertNotEquals(k1, new ImageCache(tmp.resolve("c"), 512).entryFor(src));
        Files.setLastModifiedTime(src, FileTime.fromMillis(Files.getLastModifiedTime(src).toMillis() + 5000));
        Path k2 = cache.entryFor(src);
        assertNotEquals(k1, k2);
        Files.write(src, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(src, FileTime.fromMillis(Files.getLastModifiedTime(src).toMillis()));
        assertNotEquals(k2, cache.entryFor(src));
    }

    @Test
    void damagedEntriesAreRebuilt(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("scan.png");
        Files.write(src, new byte[] {1});
        ImageCache cache = new ImageCache(tmp.resolve("cache"), 100, p -> ScanImage.of(SyntheticImage.of(150, 120)));
        ScanImage a = cache.load(src);
        Path entry = cache.entryFor(src);
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(a.pixels(), cache.load(src).pixels());
        assertArrayEquals(bytes, Files.readAllBytes(entry));
    }

    @Test
    void entriesOfEitherStorageAreReadWhateverTheCacheWrites(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        Files.write(a, new byte[] {1});
        Files.write(b, new byte[] {2});
        AtomicInteger decodes = new AtomicInteger();
        ScanImageSource decoder = p -> {
            decodes.incrementAndGet();
            return ScanImage.of(SyntheticImage.of(p.equals(a) ? 640 : 500, 480));
        };
        ImageCache raw = new ImageCache(tmp.resolve("cache"), 240, decoder);
        ImageCache deflate = new ImageCache(tmp.resolve("cache"), 240, decoder).withStorage(ImageCache.Storage.DEFLATE);
        assertEquals(ImageCache.Storage.RAW, raw.storage());
        ScanImage ra = raw.load(a);
        ScanImage db = deflate.load(b);
        assertEquals(2, decodes.get());
        // raw: header + exactly the pixels; deflated: smaller than that
        assertEquals(24 + ra.pixels().size(), Files.size(raw.entryFor(a)));
        assertTrue(Files.size(deflate.entryFor(b)) < 24 + db.pixels().size());
        // each reads the other's entry: same folder, same keys, no decode
        assertEquals(ra.pixels(), deflate.load(a).pixels());
        assertEquals(db.pixels(), raw.load(b).pixels());
        assertEquals(640, deflate.load(a).fullWidth());
        assertEquals(500, raw.load(b).fullWidth());
        assertEquals(2, decodes.get());
    }

    @Test
    void damagedHeadersAreMissesNotHugeAllocations(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("scan.png");
        Files.write(src, new byte[] {1});
        for (ImageCache.Storage storage : ImageCache.Storage.values()) {
            ImageCache cache = new ImageCache(tmp.resolve("cache-" + storage), 100,
                    p -> ScanImage.of(SyntheticImage.of(150, 120))).withStorage(storage);
            ScanImage good = cache.load(src);
            Path entry = cache.entryFor(src);
            byte[] bytes = Files.readAllBytes(entry);
            byte[] damaged = bytes.clone();
            java.nio.ByteBuffer.wrap(damaged).putInt(16, 40_000).putInt(20, 40_000); // claims 1.6 G pixels
            Files.write(entry, damaged);
            assertEquals(good.pixels(), cache.load(src).pixels(), storage.toString());
            assertArrayEquals(bytes, Files.readAllBytes(entry), storage + ": rewritten");
            java.nio.ByteBuffer.wrap(damaged).putInt(4, 7); // unknown format
            Files.write(entry, damaged);
            assertEquals(good.pixels(), cache.load(src).pixels(), storage.toString());
        }
    }

    @Test
    void reductionFactorKeepsTheShorterSide() {
        assertEquals(4, ImageDecoder.reductionFactor(2544, 3056, 448));
        assertEquals(2, ImageDecoder.reductionFactor(1000, 900, 448));
        assertEquals(1, ImageDecoder.reductionFactor(3000, 895, 448));
        assertEquals(8, ImageDecoder.reductionFactor(4000, 3584, 448));
        assertEquals(8, ImageDecoder.reductionFactor(20000, 20000, 448));
        assertEquals(1, ImageDecoder.reductionFactor(100, 100, 448));
    }

    /**
     * The reduced-resolution JPEG fill: same stored size and full size as the exact path, keys of its own, pixels
     * close to the exact ones but not equal (the option changes pixels, as documented); a PNG is decoded exactly.
     */
    @Test
    void reducedJpegDecodeIsCloseToTheExactPathWithKeysOfItsOwn(@TempDir Path tmp) throws IOException {
        Path root = TestData.require("data/mimic-cxr-sample/files");
        Path sample;
        try (Stream<Path> s = Files.walk(root)) {
            sample = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        GrayImage big = PilResize.resize(ImageDecoder.decodeGray(sample), 1000, 1203);
        Path jpeg = tmp.resolve("big.jpg");
        Files.write(jpeg, OpenCvCodec.encodeGrayJpeg(big.pixels(), big.width(), big.height(), 95));
        Path png = tmp.resolve("big.png");
        Files.write(png, OpenCvCodec.encodeGrayPng(big.pixels(), big.width(), big.height()));

        ScanImage reducedDecode = ImageDecoder.decodeReduced(jpeg, 250);
        assertEquals(250, reducedDecode.pixels().width()); // 1/4: ceil(1000 / 4) x ceil(1203 / 4)
        assertEquals(301, reducedDecode.pixels().height());
        assertEquals(1000, reducedDecode.fullWidth());
        assertEquals(1203, reducedDecode.fullHeight());

        ImageCache exact = new ImageCache(tmp.resolve("cache"), 250);
        ImageCache fast = exact.withReducedJpegDecode(true);
        assertNotEquals(exact.entryFor(jpeg), fast.entryFor(jpeg));
        ScanImage e = exact.load(jpeg);
        ScanImage f = fast.load(jpeg);
        assertEquals(e.fullWidth(), f.fullWidth());
        assertEquals(e.fullHeight(), f.fullHeight());
        assertEquals(e.pixels().width(), f.pixels().width());
        assertEquals(e.pixels().height(), f.pixels().height());
        double mean = meanAbsDiff(e.pixels(), f.pixels());
        assertTrue(mean > 0.01 && mean < 1.5, "mean |d| of the stored copies " + mean);
        assertEquals(f.pixels(), fast.load(jpeg).pixels()); // a hit
        assertEquals(exact.load(png).pixels(), fast.load(png).pixels()); // not a JPEG: the exact path
    }

    private static double meanAbsDiff(GrayImage a, GrayImage b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return s / a.size();
    }

    @Test
    void smallImagesAreStoredAtFullResolution() {
        ScanImage s = ImageCache.reduce(SyntheticImage.of(300, 200), 448);
        assertTrue(s.isFullResolution());
    }

    /**
     * The numbers quoted in {@link ImageCache}: outputs with and without the cache (shorter side 448) on the real
     * sample images, same seeds, so the same crop regions.
     */
    @Test
    void cacheChangesOutputsOnlyByResampling() throws IOException {
        Path root = TestData.require("data/mimic-cxr-sample/files");
        List<Path> jpegs;
        try (Stream<Path> s = Files.walk(root)) {
            jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
        }
        ScanTransform val = ScanTransform.validation(TransformFixtures.defaults(), 224, 0.5, 0.25);
        ScanTransform train = ScanTransform.train(TransformFixtures.defaults(), 224, 0.5, 0.25);
        double[] valSum = new double[3];
        double[] trainSum = new double[3];
        int reduced = 0;
        for (int i = 0; i < jpegs.size(); i++) {
            ScanImage full = ScanImageSource.decoding().load(jpegs.get(i));
            ScanImage small = ImageCache.reduce(full.pixels(), 448); // what the cache stores (round trip tested above)
            reduced += small.isFullResolution() ? 0 : 1;
            accumulate(valSum, val.augment(full, AugmentationParams.NONE), val.augment(small, AugmentationParams.NONE));
            AugmentationParams p = train.sample(full.fullWidth(), full.fullHeight(), new SplittableRandom(i));
            assertEquals(p, train.sample(small.fullWidth(), small.fullHeight(), new SplittableRandom(i)));
            accumulate(trainSum, train.augment(full, p), train.augment(small, p));
        }
        double valMean = valSum[0] / jpegs.size();
        double trainMean = trainSum[0] / jpegs.size();
        System.out.printf("cache 448 vs full resolution over %d images (%d reduced): validation mean |d| %.3f"
                        + " (worst image %.3f, worst pixel %d), training mean |d| %.3f (worst image %.3f, worst pixel"
                        + " %d) gray levels%n", jpegs.size(), reduced, valMean, valSum[1], (int) valSum[2], trainMean,
                trainSum[1], (int) trainSum[2]);
        assertEquals(24, jpegs.size());
        assertEquals(20, reduced, "most sample images are larger than 448 px");
        assertTrue(valMean < 0.5, "validation mean |d| " + valMean);
        assertTrue(trainMean < 1.0, "training mean |d| " + trainMean);
    }

    private static void accumulate(double[] acc, GrayImage a, GrayImage b) {
        double[] d = ResizeComparisonTest.diff(a, b);
        acc[0] += d[0];
        acc[1] = Math.max(acc[1], d[0]);
        acc[2] = Math.max(acc[2], d[1]);
    }
}
