package org.lovt.data.datasets.downstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.SplitName;

/** Synthetic folders of all five data sets read back through {@link PreparedDownstream} like real ones. */
class SyntheticDownstreamTest {
    static final int SIZE = 96;
    static final List<String> DATASETS = List.of("rsna", "covid", "siim", "object-cxr", "nih");

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void write() {
        for (String ds : DATASETS) {
            SyntheticDownstream.write(shared.resolve(ds), ds, 10, 3, 3, SIZE, 11,
                    new SyntheticDownstream.Options(2, false, false, null, false));
        }
    }

    static SyntheticDownstream.Options threads(int n) {
        return new SyntheticDownstream.Options(n, false, false, null, false);
    }

    static boolean any(byte[] mask) {
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /** The CSV boxes of a split, parsed independently of the reader: id -> boxes (class from the CSV). */
    static Map<String, List<Box>> csvBoxes(Path csv) {
        Map<String, List<Box>> m = new TreeMap<>();
        for (String line : Fixtures.lines(csv).subList(1, Fixtures.lines(csv).size())) {
            String[] f = line.split(",", -1);
            List<Box> l = new ArrayList<>();
            if (!f[1].isEmpty()) {
                String[] boxes = f[1].split("\\|");
                String[] classes = f[2].split("\\|");
                for (int k = 0; k < boxes.length; k++) {
                    String[] v = boxes[k].split(";");
                    l.add(new Box(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]),
                            Double.parseDouble(v[3]), Integer.parseInt(classes[k]), false));
                }
            }
            m.put(f[0], l);
        }
        return m;
    }

    @Test
    void allFiveReadBackLikePreparedFolders() {
        for (String ds : DATASETS) {
            Path dir = shared.resolve(ds);
            PreparedDownstream p = PreparedDownstream.open(dir);
            DownstreamFormat f = DownstreamFormat.of(ds);
            assertEquals(ds, p.dataset());
            assertTrue(p.synthetic(), ds);
            assertEquals(f.targets(), p.targets());
            assertEquals(ds.equals("rsna") || ds.equals("object-cxr") || ds.equals("nih"), p.hasBoxes());
            JsonNode prep = Fixtures.json(dir.resolve("preparation.json"));
            assertEquals(11, prep.at("/synthetic/seed").asLong());
            assertEquals(SIZE, prep.at("/synthetic/image_size").asInt());
            assertEquals(10, prep.at("/split_sizes/train").asInt());
            int positive = 0;
            int negative = 0;
            for (SplitName s : SplitName.values()) {
                DownstreamSplit split = p.split(s, null, 64);
                assertEquals(s == SplitName.TRAIN ? 10 : 3, split.size());
                for (int i = 0; i < split.size(); i++) {
                    DownstreamSample x = split.get(i);
                    assertEquals(64 * 64, x.image().length);
                    assertEquals(f.targets().size(), x.masks().size());
                    boolean pos = x.masks().stream().anyMatch(SyntheticDownstreamTest::any);
                    if (p.hasBoxes()) {
                        assertEquals(pos, x.numBoxes() > 0, ds + " " + x.id());
                    }
                    if (pos) {
                        positive++;
                    } else {
                        negative++;
                    }
                }
            }
            assertTrue(positive >= 6 && negative >= 1, ds + ": " + positive + " positive, " + negative + " negative");
        }
    }

    @Test
    void boxMasksAreTheCsvBoxes() throws IOException {
        for (String ds : List.of("rsna", "nih")) {
            Path dir = shared.resolve(ds);
            DownstreamFormat f = DownstreamFormat.of(ds);
            PreparedDownstream p = PreparedDownstream.open(dir);
            Map<String, List<Box>> boxes = csvBoxes(dir.resolve("train.csv"));
            DownstreamSplit train = p.split(SplitName.TRAIN, null, SIZE);
            for (int i = 0; i < train.size(); i++) {
                String id = train.id(i);
                DownstreamSample s = train.get(i);
                for (int t = 0; t < f.targets().size(); t++) {
                    int cls = ds.equals("rsna") ? 1 : t;
                    Gray8 expected = Box.mask(boxes.get(id).stream().filter(b -> b.cls() == cls).toList(), SIZE,
                            SIZE);
                    assertArrayEquals(expected.pixels(), MaskGif.read(f.maskFile(dir, t, id)).pixels(), id);
                    // Square images at their own size: the transform leaves masks and boxes as they are.
                    assertArrayEquals(expected.pixels(), s.masks().get(t), id);
                }
                float[] flat = new float[4 * boxes.get(id).size()];
                for (int k = 0; k < boxes.get(id).size(); k++) {
                    Box b = boxes.get(id).get(k);
                    flat[4 * k] = (float) b.x();
                    flat[4 * k + 1] = (float) b.y();
                    flat[4 * k + 2] = (float) b.w();
                    flat[4 * k + 3] = (float) b.h();
                }
                assertArrayEquals(flat, s.boxes(), id);
            }
        }
        // COVID's masks are 0/1 PNGs, as its source masks.
        Path covid = shared.resolve("covid");
        try (Stream<Path> masks = Files.list(covid.resolve("pngs_masks"))) {
            for (Path m : masks.toList()) {
                byte[] px = ImageCodec.read(m).toPilLuminance().pixels();
                for (byte b : px) {
                    assertTrue(b == 0 || b == 1, m.toString());
                }
            }
        }
    }

    @Test
    void objectCxrBoxesAndMasksGoThroughObjectCxrsOwnCode() {
        Path fixed = tmp.resolve("fixed");
        SyntheticDownstream.write(fixed, "object-cxr", 10, 3, 3, SIZE, 11,
                new SyntheticDownstream.Options(2, true, false, null, false));
        Path quirk = shared.resolve("object-cxr");
        assertTrue(PreparedDownstream.open(fixed).quirksFixed());
        assertFalse(PreparedDownstream.open(quirk).quirksFixed());
        Map<String, List<Box>> right = csvBoxes(fixed.resolve("train.csv"));
        Map<String, List<Box>> swapped = csvBoxes(quirk.resolve("train.csv"));
        assertEquals(right.keySet(), swapped.keySet());
        int boxes = 0;
        for (String id : right.keySet()) {
            List<Box> r = right.get(id);
            List<Box> q = swapped.get(id);
            assertEquals(r.size(), q.size());
            for (int k = 0; k < r.size(); k++) {
                // The original's bug: (x1, y1, y2 - y1, x2 - x1).
                assertEquals(List.of(r.get(k).x(), r.get(k).y(), r.get(k).h(), r.get(k).w()),
                        List.of(q.get(k).x(), q.get(k).y(), q.get(k).w(), q.get(k).h()));
                assertEquals(1, r.get(k).cls());
            }
            boxes += r.size();
            // With the bugs fixed, each box holds part of the mask, and the mask lies in the boxes (cv2.fillPoly
            // also fills a polygon's right and bottom edge, one pixel past x2 - x1 and y2 - y1).
            byte[] m = MaskGif.read(DownstreamFormat.OBJECT_CXR.maskFile(fixed, 0, id)).pixels();
            byte[] in = new byte[m.length];
            for (Box b : r) {
                Box.fillRect(in, SIZE, SIZE, b.x(), b.y(), b.x() + b.w() + 1, b.y() + b.h() + 1);
                byte[] own = new byte[m.length];
                Box.fillRect(own, SIZE, SIZE, b.x(), b.y(), b.x() + b.w(), b.y() + b.h());
                boolean hit = false;
                for (int i = 0; i < m.length; i++) {
                    hit |= own[i] != 0 && m[i] != 0;
                }
                assertTrue(hit, id + " " + b);
            }
            for (int i = 0; i < m.length; i++) {
                assertTrue(m[i] == 0 || in[i] != 0, id + " pixel " + i);
            }
        }
        assertTrue(boxes >= 7, "boxes: " + boxes);
        // Only the targets differ: the images are the same bytes.
        assertArrayEquals(bytes(fixed.resolve("images_processed")).values().toArray(new byte[0][]),
                bytes(quirk.resolve("images_processed")).values().toArray(new byte[0][]));
    }

    @Test
    void statisticsAreTheTrainSplits() {
        // RSNA stores the raw 8-bit images: its statistics are recomputed exactly from the PNGs.
        Path rsna = shared.resolve("rsna");
        List<double[]> train = new ArrayList<>();
        List<double[]> other = new ArrayList<>();
        for (SplitName s : SplitName.values()) {
            for (String line : Fixtures.lines(rsna.resolve(s.csvName())).stream().skip(1).toList()) {
                String id = line.split(",", -1)[0];
                byte[] px = ImageCodec.read(DownstreamFormat.RSNA.imageFile(rsna, id)).toPilLuminance().pixels();
                (s == SplitName.TRAIN ? train : other).add(Fixtures.meanVar(px));
            }
        }
        PreparedDownstream p = PreparedDownstream.open(rsna);
        double[] ms = Fixtures.splitStats(train);
        assertEquals(ms[0], p.pixelMean(), 1e-12);
        assertEquals(ms[1], p.pixelStd(), 1e-12);
        assertNotEquals(Fixtures.splitStats(other)[0], p.pixelMean(), 1e-6);

        // SIIM and NIH store the equalised image cut to 8 bits, the statistics are of the float image before the
        // cut: the stored pixels are at most 1/255 below, and so are mean and std.
        for (String ds : List.of("siim", "nih")) {
            Path dir = shared.resolve(ds);
            List<double[]> imgs = new ArrayList<>();
            for (String line : Fixtures.lines(dir.resolve("train.csv")).stream().skip(1).toList()) {
                String id = line.split(",", -1)[0];
                imgs.add(Fixtures.meanVar(ImageCodec.read(DownstreamFormat.of(ds).imageFile(dir, id))
                        .toPilLuminance().pixels()));
            }
            double[] st = Fixtures.splitStats(imgs);
            PreparedDownstream q = PreparedDownstream.open(dir);
            assertTrue(q.pixelMean() - st[0] >= 0 && q.pixelMean() - st[0] < 1 / 255.0, ds + " " + q.pixelMean()
                    + " " + st[0]);
            assertEquals(st[1], q.pixelStd(), 1 / 255.0, ds);
            JsonNode stats = Fixtures.json(dir.resolve("dataset_statistics.json"));
            assertEquals(10, stats.at("/train/num_samples").asInt());
        }
        JsonNode covid = Fixtures.json(shared.resolve("covid/dataset_statistics.json"));
        assertTrue(covid.at("/train/segmentation_pos_weights/opacity").asDouble() > 0.9);
        assertEquals(10, covid.at("/train/patient_ids").size());
        assertEquals(10, Fixtures.json(shared.resolve("nih/dataset_statistics.json")).at("/train/patient_ids")
                .size());
    }

    /** Every file of a folder but preparation.json (which records timings), by relative path. */
    static Map<String, byte[]> bytes(Path dir) {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("preparation.json")) {
                    m.put(dir.relativize(f).toString(), Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    @Test
    void sameSeedGivesTheSameBytesOnAnyThreadCountAndAnotherSeedOtherImages() {
        for (String ds : List.of("object-cxr", "nih")) {
            Path again = tmp.resolve(ds + "-again");
            SyntheticDownstream.write(again, ds, 10, 3, 3, SIZE, 11, threads(1));
            Map<String, byte[]> a = bytes(shared.resolve(ds));
            Map<String, byte[]> b = bytes(again);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k), b.get(k), ds + "/" + k);
            }
        }
        Path other = tmp.resolve("rsna-other");
        SyntheticDownstream.write(other, "rsna", 10, 3, 3, SIZE, 12, threads(2));
        Map<String, byte[]> a = bytes(shared.resolve("rsna"));
        Map<String, byte[]> b = bytes(other);
        assertEquals(a.keySet(), b.keySet()); // same ids
        int differ = 0;
        for (String k : a.keySet()) {
            if (k.endsWith(".png") && !java.util.Arrays.equals(a.get(k), b.get(k))) {
                differ++;
            }
        }
        assertEquals(16, differ);
    }

    @Test
    void badArgumentsAreRefusedWithoutLeavingAFolder() {
        assertTrue(assertThrows(LovtException.class, () -> SyntheticDownstream.write(tmp.resolve("x"), "chexpert",
                1, 1, 1, 64, 0)).getMessage().contains("unknown downstream data set 'chexpert' (known: rsna, covid,"
                + " siim, object-cxr, nih)"));
        assertThrows(LovtException.class, () -> SyntheticDownstream.write(tmp.resolve("x"), "rsna", 0, 1, 1, 64, 0));
        assertThrows(LovtException.class, () -> SyntheticDownstream.write(tmp.resolve("x"), "rsna", 1, -1, 1, 64, 0));
        assertThrows(LovtException.class, () -> SyntheticDownstream.write(tmp.resolve("x"), "rsna", 1, 1, 1, 32, 0));
        assertFalse(Files.exists(tmp.resolve("x")));
        LovtException e = assertThrows(LovtException.class, () -> SyntheticDownstream.write(shared.resolve("rsna"),
                "rsna", 1, 0, 0, 64, 0));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }
}
