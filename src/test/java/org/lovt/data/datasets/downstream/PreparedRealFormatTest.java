package org.lovt.data.datasets.downstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.covid.CovidRuralPreparer;
import org.lovt.data.datasets.nih.NihCxrPreparer;
import org.lovt.data.datasets.objectcxr.ObjectCxrPreparer;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.SplitName;
import org.lovt.data.datasets.rsna.RsnaPreparer;
import org.lovt.data.datasets.siim.SiimPreparer;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanImage;
import org.lovt.data.image.ScanTransform;

/**
 * Tiny sources in each data set's published format, prepared by the real preparers and read back: the reader finds
 * every file the preparers write, and boxes, masks and statistics come out as the original reads them.
 */
class PreparedRealFormatTest {
    @TempDir
    Path tmp;

    static void splits(Path dir, List<String> train, List<String> validation, List<String> test) {
        Fixtures.text(dir.resolve("train.csv"), cat("ID", train));
        Fixtures.text(dir.resolve("validation.csv"), cat("ID", validation));
        Fixtures.text(dir.resolve("test.csv"), cat("ID", test));
    }

    private static String[] cat(String head, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(head));
        l.addAll(rest);
        return l.toArray(String[]::new);
    }

    /** The first channel of the Pillow-exact validation transform of the stored image. */
    static float[] expectedImage(byte[] px, int w, int h, int size, PreparedDownstream p) {
        float[] three = ScanTransform.validation(ScanAugmentationConfig.forValidation(
                        ScanAugmentationConfig.ValResizeMode.PAD), size, p.pixelMean(), p.pixelStd())
                .apply(ScanImage.of(new GrayImage(w, h, px)), new java.util.SplittableRandom(0));
        return java.util.Arrays.copyOf(three, size * size);
    }

    static byte[] block(int size, int y0, int y1, int x0, int x1) {
        byte[] m = new byte[size * size];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * size + x] = 1;
            }
        }
        return m;
    }

    @Test
    void rsna() {
        int w = 20;
        int h = 12;
        Path src = tmp.resolve("rsna-src");
        Fixtures.text(src.resolve("stage_2_train_labels.csv"), "patientId,x,y,width,height,Target",
                "p1,2.0,3.0,6.0,4.0,1", "p2,,,,,0", "p3,1.0,1.0,2.0,2.0,1", "p3,10.0,5.0,4.0,4.0,1", "p4,,,,,0",
                "p5,,,,,0");
        for (int k = 1; k <= 5; k++) {
            Fixtures.dicom8(src.resolve("stage_2_train_images/p" + k + ".dcm"), w, h, Fixtures.pattern(w, h, k));
        }
        Path sp = tmp.resolve("rsna-splits");
        splits(sp, List.of("p1", "p2", "p3"), List.of("p4"), List.of("p5"));
        Path out = tmp.resolve("rsna");
        new RsnaPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(sp).withThreads(1));

        PreparedDownstream p = PreparedDownstream.open(out);
        assertEquals("rsna", p.dataset());
        assertFalse(p.synthetic());
        assertTrue(p.hasBoxes());
        // Statistics of the train split only (raw / 255, no equalisation), each image counting equally.
        List<double[]> train = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            train.add(Fixtures.meanVar(Fixtures.pattern(w, h, k)));
        }
        double[] ms = Fixtures.splitStats(train);
        assertEquals(ms[0], p.pixelMean(), 1e-12);
        assertEquals(ms[1], p.pixelStd(), 1e-12);

        DownstreamSplit s = p.split(SplitName.TRAIN, null, 10);
        DownstreamSample a = s.get(0);
        assertEquals("p1", a.id());
        // 20 x 12: 4 rows of padding top and bottom (20 x 20), then x 0.5: (2, 3 + 4, 6, 4) * 0.5.
        assertArrayEquals(new float[] {1f, 3.5f, 3f, 2f}, a.boxes());
        assertArrayEquals(new int[] {0}, a.classes()); // the original's quirk: every class is 0 ...
        assertArrayEquals(new int[] {1}, s.storedClasses(0)); // ... while the CSV says 1
        // Mask rows 3..6, columns 2..7 -> padded rows 7..10; NEAREST 20 -> 10 reads rows and columns 1, 3, 5, ...:
        // rows 7 and 9 (y = 3, 4), columns 3, 5, 7 (x = 1, 2, 3).
        assertArrayEquals(block(10, 3, 5, 1, 4), a.masks().get(0));
        assertArrayEquals(expectedImage(Fixtures.pattern(w, h, 1), w, h, 10, p), a.image());
        assertEquals(0, s.get(1).numBoxes());
        assertArrayEquals(new float[] {0.5f, 2.5f, 1f, 1f, 5f, 4.5f, 2f, 2f}, s.get(2).boxes());
    }

    @Test
    void objectCxrBoxesAreReadAsTheOriginalReadsThem() {
        Path src = tmp.resolve("object-src");
        Fixtures.text(src.resolve("input/train.csv"), "image_name,annotation", "t1.jpg,0 2 3 6 11", "t2.jpg,");
        Fixtures.text(src.resolve("input/dev.csv"), "image_name,annotation", "d1.jpg,1 1 1 3 3");
        for (String id : new String[] {"t1", "t2"}) {
            Fixtures.image(src.resolve("input/train/" + id + ".jpg"), 20, 16, 1, Fixtures.pattern(20, 16, id.charAt(1)));
        }
        Fixtures.image(src.resolve("input/dev/d1.jpg"), 20, 16, 1, Fixtures.pattern(20, 16, 7));
        Path sp = tmp.resolve("object-splits");
        splits(sp, List.of("t1"), List.of("t2"), List.of("d1"));

        // The rectangle x1 2, y1 3, x2 6, y2 11 is stored as 2;3;8;4 (w and h swapped) and read as it is: 20 x 16
        // gets 2 rows of padding top and bottom (20 x 20), so at 20 px the box is (2, 5, 8, 4), while the mask (rows
        // 3..10, columns 2..5 -> rows 5..12) is 4 wide and 8 high.
        Path quirk = tmp.resolve("object-cxr");
        new ObjectCxrPreparer().prepare(src, PrepareOptions.to(quirk).withSplitsFrom(sp).withThreads(1));
        PreparedDownstream q = PreparedDownstream.open(quirk);
        assertEquals("object-cxr", q.dataset());
        assertFalse(q.quirksFixed());
        assertEquals(List.of("foreign_object"), q.targets());
        DownstreamSample a = q.split(SplitName.TRAIN, null, 20).get(0);
        assertArrayEquals(new float[] {2f, 5f, 8f, 4f}, a.boxes());
        byte[] mask = block(20, 5, 13, 2, 6);
        assertArrayEquals(mask, a.masks().get(0));

        Path fixed = tmp.resolve("object-cxr-fixed");
        new ObjectCxrPreparer().prepare(src, PrepareOptions.to(fixed).withSplitsFrom(sp).withThreads(1)
                .withFixQuirks(true));
        PreparedDownstream f = PreparedDownstream.open(fixed);
        assertTrue(f.quirksFixed());
        DownstreamSample b = f.split(SplitName.TRAIN, null, 20).get(0);
        assertArrayEquals(new float[] {2f, 5f, 4f, 8f}, b.boxes());
        assertArrayEquals(mask, b.masks().get(0));
        assertEquals(0, f.split(SplitName.VALIDATION, null, 20).get(0).numBoxes());
    }

    @Test
    void covidMasksAreTheSourcePngs() {
        int w = 12;
        int h = 10;
        Path src = tmp.resolve("covid-src");
        List<String> ids = List.of("COVID-19-AR-1_a-XR", "COVID-19-AR-2_a-XR", "COVID-19-AR-3_a-XR");
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < ids.size(); k++) {
            byte[] bgr = new byte[w * h * 3];
            for (int i = 0; i < bgr.length; i++) {
                bgr[i] = (byte) ((i * 7 + k * 31) % 256);
            }
            Fixtures.image(src.resolve("jpgs/" + ids.get(k) + ".jpg"), w, h, 3, bgr);
            byte[] m = new byte[w * h];
            for (int i = 14 + k; i < 40 + 3 * k; i++) {
                m[i] = 1;
            }
            masks.add(m);
            Fixtures.grayPng(src.resolve("pngs_masks/" + ids.get(k) + ".png"), new Gray8(w, h, m));
        }
        Path sp = tmp.resolve("covid-splits");
        splits(sp, List.of(ids.get(1), ids.get(0)), List.of(ids.get(2)), List.of());
        Path out = tmp.resolve("covid");
        new CovidRuralPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(sp).withThreads(1));

        PreparedDownstream p = PreparedDownstream.open(out);
        assertEquals("covid", p.dataset());
        assertFalse(p.hasBoxes());
        DownstreamSplit train = p.split(SplitName.TRAIN, null, 12);
        DownstreamSample s = train.get(0);
        assertEquals(ids.get(1), s.id());
        assertEquals(0, s.boxes().length);
        assertEquals(0, s.classes().length);
        // 12 x 10 gets one row on top and bottom: the mask moves down one row.
        byte[] expected = new byte[12 * 12];
        System.arraycopy(masks.get(1), 0, expected, 12, w * h);
        assertArrayEquals(expected, s.masks().get(0));
        assertEquals(0, p.split(SplitName.TEST, null, 12).size());
    }

    @Test
    void nihHasEightClassMasksAndItsClassesInTheCsv() {
        int s = 16;
        Path src = tmp.resolve("nih-src");
        Fixtures.text(src.resolve("BBox_List_2017.csv"), "Image Index,Finding Label,Bbox [x,y,w,h],,,",
                "00000001_000.png,Atelectasis,1.5,2.25,4,3,,,", "00000001_000.png,Nodule,10,10,2.5,2.5,,,",
                "00000002_000.png,Pneumothorax,0,0,8,4,,,");
        for (String id : new String[] {"00000001_000", "00000002_000", "00000005_000"}) {
            Fixtures.image(src.resolve("images/images_01/images/" + id + ".png"), s, s, 1,
                    Fixtures.pattern(s, s, id.charAt(7)));
        }
        Path sp = tmp.resolve("nih-splits");
        splits(sp, List.of("00000001_000", "00000005_000"), List.of("00000002_000"), List.of());
        Path out = tmp.resolve("nih");
        new NihCxrPreparer(0).prepare(src, PrepareOptions.to(out).withSplitsFrom(sp).withThreads(1));

        PreparedDownstream p = PreparedDownstream.open(out);
        assertEquals(List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltrate", "Mass", "Nodule", "Pneumonia",
                "Pneumothorax"), p.targets());
        DownstreamSplit train = p.split(SplitName.TRAIN, null, s);
        DownstreamSample a = train.get(0);
        assertArrayEquals(new float[] {1.5f, 2.25f, 4f, 3f, 10f, 10f, 2.5f, 2.5f}, a.boxes());
        assertArrayEquals(new int[] {0, 0}, a.classes());
        assertArrayEquals(new int[] {0, 5}, train.storedClasses(0));
        assertEquals(8, a.masks().size());
        // Atelectasis rows round(2.25) = 2 to round(5.25) = 5, columns round(1.5) = 2 to round(5.5) = 6; Nodule
        // round(10) = 10 to round(12.5) = 12 (half-even); ends exclusive.
        assertArrayEquals(block(s, 2, 5, 2, 6), a.masks().get(0));
        assertArrayEquals(block(s, 10, 12, 10, 12), a.masks().get(5));
        for (int c : new int[] {1, 2, 3, 4, 6, 7}) {
            assertArrayEquals(new byte[s * s], a.masks().get(c), "class " + c);
        }
        DownstreamSample none = train.get(1);
        assertEquals("00000005_000", none.id());
        assertEquals(0, none.numBoxes());
        assertArrayEquals(block(s, 0, 4, 0, 8), p.split(SplitName.VALIDATION, null, s).get(0).masks().get(7));
    }

    @Test
    void siimMasksComeFromTheRle() {
        int s = 1024;
        Path src = tmp.resolve("siim-src");
        // A block of rows 100..299, columns 200..399 in the relative, column-major RLE.
        StringBuilder rle = new StringBuilder();
        int pos = 0;
        for (int c = 200; c < 400; c++) {
            int start = c * s + 100;
            rle.append(rle.length() == 0 ? "" : " ").append(start - pos).append(" 200");
            pos = start + 200;
        }
        Fixtures.text(src.resolve("train-rle.csv"), "ImageId, EncodedPixels", "A, " + rle, "B, -1", "C, -1");
        for (String id : new String[] {"A", "B", "C"}) {
            Fixtures.dicom8(src.resolve("dicom-images-train/s" + id + "/t/" + id + ".dcm"), s, s,
                    Fixtures.pattern(s, s, id.charAt(0)));
        }
        Path sp = tmp.resolve("siim-splits");
        splits(sp, List.of("A", "B"), List.of("C"), List.of());
        Path out = tmp.resolve("siim");
        new SiimPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(sp).withThreads(1));

        PreparedDownstream p = PreparedDownstream.open(out);
        assertEquals(List.of("pneumothorax"), p.targets());
        DownstreamSample a = p.split(SplitName.TRAIN, null, 32).get(0);
        // NEAREST 1024 -> 32 reads rows and columns 16 + 32 k: rows 112..272 (k = 3..8), columns 208..368 (6..11).
        assertArrayEquals(block(32, 3, 9, 6, 12), a.masks().get(0));
        assertArrayEquals(new byte[32 * 32], p.split(SplitName.TRAIN, null, 32).get(1).masks().get(0));
    }
}
