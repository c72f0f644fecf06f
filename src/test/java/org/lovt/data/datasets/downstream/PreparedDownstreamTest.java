package org.lovt.data.datasets.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.SplitName;

/** Opening and refusing prepared folders, subsets, and files that turn out bad when read. */
class PreparedDownstreamTest {
    @TempDir
    static Path shared;
    static Path rsna;

    @TempDir
    Path tmp;

    @BeforeAll
    static void folder() {
        rsna = shared.resolve("rsna");
        SyntheticDownstream.write(rsna, "rsna", 7, 3, 2, 64, 5);
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    static void delete(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opening fails with a one-line message that names {@code file}. */
    static void refused(Path dir, String file) {
        LovtException e = assertThrows(LovtException.class, () -> PreparedDownstream.open(dir));
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void opensAPreparedFolder() {
        PreparedDownstream p = PreparedDownstream.open(rsna);
        assertEquals("rsna", p.dataset());
        assertTrue(p.synthetic());
        assertTrue(p.hasBoxes());
        assertFalse(p.quirksFixed());
        assertEquals(List.of("opacity"), p.targets());
        var stats = Fixtures.json(rsna.resolve("dataset_statistics.json"));
        assertEquals(stats.at("/train/scan/pixel_mean").asDouble(), p.pixelMean());
        assertEquals(stats.at("/train/scan/pixel_std").asDouble(), p.pixelStd());
        assertEquals(7, p.size(SplitName.TRAIN));
        assertEquals(3, p.size(SplitName.VALIDATION));
        assertEquals(2, p.size(SplitName.TEST));
        DownstreamSplit test = p.split(SplitName.TEST, null, 32);
        assertEquals(2, test.size());
        assertEquals(rsna.resolve("stage_2_train_images_processed/" + test.id(1) + ".png"), test.imageFile(1));
        DownstreamSample s = test.get(1);
        assertEquals(test.id(1), s.id());
        assertEquals(32 * 32, s.image().length);
        assertEquals(1, s.masks().size());
        assertEquals(32 * 32, s.masks().get(0).length);
    }

    @Test
    void eachMissingFileOrFolderIsNamed() {
        for (String f : List.of("preparation.json", "dataset_statistics.json", "train.csv", "validation.csv",
                "test.csv", "stage_2_train_images_processed", "stage_2_train_masks")) {
            Path dir = copy(rsna, tmp.resolve("missing-" + f));
            delete(dir.resolve(f));
            refused(dir, f);
        }
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path notJson = copy(rsna, tmp.resolve("not-json"));
        Files.writeString(notJson.resolve("preparation.json"), "{\"dataset\": ");
        refused(notJson, "preparation.json: not valid JSON");

        Path mimic = copy(rsna, tmp.resolve("mimic"));
        Files.writeString(mimic.resolve("preparation.json"), "{\"dataset\": \"mimic-cxr\"}");
        refused(mimic, "preparation.json: dataset 'mimic-cxr' is not a downstream data set");

        Path noStd = copy(rsna, tmp.resolve("no-std"));
        Files.writeString(noStd.resolve("dataset_statistics.json"),
                "{\"train\": {\"num_samples\": 7, \"scan\": {\"pixel_mean\": 0.5}}}");
        refused(noStd, "dataset_statistics.json: train.scan.pixel_std is missing");

        Path zeroStd = copy(rsna, tmp.resolve("zero-std"));
        Files.writeString(zeroStd.resolve("dataset_statistics.json"),
                "{\"train\": {\"scan\": {\"pixel_mean\": 0.5, \"pixel_std\": 0.0}}}");
        refused(zeroStd, "dataset_statistics.json: train.scan.pixel_std is 0.0");

        Path badBox = copy(rsna, tmp.resolve("bad-box"));
        List<String> lines = Files.readAllLines(badBox.resolve("train.csv"));
        String[] first = lines.get(1).split(",", -1);
        lines.set(2, first[0] + "x,1.0;2.0;3.0,1");
        Files.write(badBox.resolve("train.csv"), lines, StandardCharsets.UTF_8);
        refused(badBox, "train.csv:3: box '1.0;2.0;3.0' is not x;y;w;h");

        Path classes = copy(rsna, tmp.resolve("classes"));
        lines.set(2, first[0] + "x,1.0;2.0;3.0;4.0,1|1");
        Files.write(classes.resolve("train.csv"), lines, StandardCharsets.UTF_8);
        refused(classes, "train.csv:3: 1 boxes but 2 classes");

        Path count = copy(rsna, tmp.resolve("count"));
        List<String> val = Files.readAllLines(count.resolve("validation.csv"));
        Files.write(count.resolve("validation.csv"), val.subList(0, val.size() - 1), StandardCharsets.UTF_8);
        refused(count, "validation.csv: 2 samples, but dataset_statistics.json says num_samples 3");

        Path escape = copy(rsna, tmp.resolve("escape"));
        lines.set(2, "../../x,,");
        Files.write(escape.resolve("train.csv"), lines, StandardCharsets.UTF_8);
        refused(escape, "train.csv:3: ID '../../x' contains a path separator ('/')");

        Path column = copy(rsna, tmp.resolve("column"));
        Files.writeString(column.resolve("test.csv"), "ID,boxes\na,\nb,\n");
        refused(column, "test.csv: missing column 'classes'");
    }

    @Test
    void aFolderNotWrittenByLovtPrepareIsRefused() throws IOException {
        // The original's scripts leave the same CSVs and statistics, but no preparation.json.
        Path python = copy(rsna, tmp.resolve("python"));
        Files.delete(python.resolve("preparation.json"));
        refused(python, "preparation.json: missing; " + python + " was not written by `lovt prepare");

        Path random = tmp.resolve("random");
        Fixtures.text(random.resolve("notes.txt"), "hello");
        Fixtures.text(random.resolve("train.csv"), "ID", "a");
        refused(random, "preparation.json");

        refused(random.resolve("notes.txt"), "notes.txt: not a folder");
        refused(tmp.resolve("nowhere"), "nowhere: not a folder");
    }

    @Test
    void aCorruptOrMissingImageOrMaskIsNamedWhenRead() throws IOException {
        Path dir = copy(rsna, tmp.resolve("corrupt"));
        PreparedDownstream p = PreparedDownstream.open(dir);
        DownstreamSplit train = p.split(SplitName.TRAIN, null, 32);
        Files.write(train.imageFile(2), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        LovtException e = assertThrows(LovtException.class, () -> train.get(2));
        assertTrue(e.getMessage().contains(train.imageFile(2).toString()), e.getMessage());
        train.get(1); // the others still read

        Files.delete(train.imageFile(3));
        e = assertThrows(LovtException.class, () -> train.get(3));
        assertTrue(e.getMessage().contains(train.imageFile(3).toString()), e.getMessage());

        Files.delete(train.maskFile(4, 0));
        e = assertThrows(LovtException.class, () -> train.get(4));
        assertTrue(e.getMessage().contains(train.maskFile(4, 0) + ": mask file missing"), e.getMessage());

        Files.write(train.maskFile(5, 0), new byte[] {'G', 'I', 'F', '8', '9', 'a', 0});
        e = assertThrows(LovtException.class, () -> train.get(5));
        assertTrue(e.getMessage().contains(train.maskFile(5, 0) + ": not a readable GIF mask"), e.getMessage());
    }

    @Test
    void subsetsArePrefixesOfRoundedSizePythonStyle() {
        // The paper's subsets: 1 % and 10 % of RSNA's 16,010 train images, 10 % of its 5,337 validation images.
        assertEquals(160, PreparedDownstream.subsetSize(16010, 0.01));
        assertEquals(1601, PreparedDownstream.subsetSize(16010, 0.1));
        assertEquals(534, PreparedDownstream.subsetSize(5337, 0.1));
        assertEquals(5337, PreparedDownstream.subsetSize(5337, null));
        assertEquals(5337, PreparedDownstream.subsetSize(5337, 1.0));
        // round() is half-even: 2.5 -> 2, 3.5 -> 4, 6.5 -> 6, 1.5 -> 2.
        assertEquals(2, PreparedDownstream.subsetSize(5, 0.5));
        assertEquals(4, PreparedDownstream.subsetSize(7, 0.5));
        assertEquals(6, PreparedDownstream.subsetSize(13, 0.5));
        assertEquals(2, PreparedDownstream.subsetSize(3, 0.5));
        for (Double bad : new Double[] {0.0, -0.1, 1.5, Double.NaN}) {
            assertThrows(LovtException.class, () -> PreparedDownstream.subsetSize(10, bad));
        }

        PreparedDownstream p = PreparedDownstream.open(rsna);
        List<String> ids = Fixtures.lines(rsna.resolve("train.csv")).stream().skip(1)
                .map(l -> l.split(",", -1)[0]).toList();
        DownstreamSplit half = p.split(SplitName.TRAIN, 0.5, 16); // round(3.5) = 4
        assertEquals(4, half.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(ids.get(i), half.id(i));
        }
        assertEquals(1, p.split(SplitName.TRAIN, 0.1, 16).size()); // round(0.7) = 1
        assertEquals(0, p.split(SplitName.TEST, 0.2, 16).size()); // round(0.4) = 0
        assertThrows(LovtException.class, () -> p.split(SplitName.TRAIN, 0.0, 16));
        assertThrows(LovtException.class, () -> p.split(SplitName.TRAIN, null, 0));
        // A subset normalises with the full train split's statistics.
        float[] a = p.split(SplitName.TRAIN, null, 16).get(0).image();
        float[] b = half.get(0).image();
        assertTrue(java.util.Arrays.equals(a, b));
    }
}
