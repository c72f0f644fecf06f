package org.lovt.data.datasets.rsna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.cli.Main;
import org.lovt.data.datasets.Fixtures;
import org.lovt.data.datasets.prepare.DownstreamPreparer;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.ImageCodec;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.PrepareResult;
import picocli.CommandLine;

class RsnaPreparerTest {
    static final int W = 8;
    static final int H = 6;

    @TempDir
    Path tmp;
    Path src;

    /**
     * Ten patients in the Kaggle layout: p1 with two boxes, p2 with a box reaching outside the 8 x 6 image, p3 with a
     * truncated DICOM, p4 without a DICOM, p6 with an unreadable coordinate, the rest negative or with one box.
     */
    @BeforeEach
    void source() throws Exception {
        src = tmp.resolve("rsna");
        Fixtures.text(src.resolve("stage_2_train_labels.csv"),
                "patientId,x,y,width,height,Target",
                "p0,,,,,0",
                "p1,1.0,1.0,2.0,3.0,1",
                "p1,5.0,0.0,2.0,2.0,1",
                "p2,6.0,4.0,4.0,4.0,1",
                "p3,,,,,0",
                "p4,,,,,0",
                "p5,1,1,1,1,1",
                "p6,1.0,x,1.0,1.0,1",
                "p7,,,,,0",
                "p8,,,,,0",
                "p9,,,,,0");
        Path images = src.resolve("stage_2_train_images");
        for (int k = 0; k < 10; k++) {
            if (k != 4) {
                Fixtures.dicom8(images.resolve("p" + k + ".dcm"), W, H, Fixtures.pattern(W, H, k));
            }
        }
        byte[] dcm = Files.readAllBytes(images.resolve("p3.dcm"));
        Files.write(images.resolve("p3.dcm"), java.util.Arrays.copyOf(dcm, dcm.length - 20));
    }

    /**
     * An id from the labels table becomes a file name: one that climbs out of the folders ({@code ../../escape}, with a
     * DICOM placed where it points) is skipped and reported, and nothing is read or written outside the source and
     * output folders.
     */
    @Test
    void anIdThatIsNotAPlainFileNameIsSkippedAndNothingIsWrittenOutsideTheOutput() throws Exception {
        Path labels = src.resolve("stage_2_train_labels.csv");
        Files.writeString(labels, Files.readString(labels) + "../../escape,1,1,1,1,1\n/tmp/abs,,,,,0\n");
        Fixtures.dicom8(tmp.resolve("escape.dcm"), W, H, Fixtures.pattern(W, H, 3));
        Path out = tmp.resolve("work/out");
        PrepareResult r = new RsnaPreparer().prepare(src, PrepareOptions.to(out).withThreads(1)
                .withLog(new PrintWriter(new StringWriter()), false));
        for (String id : List.of("../../escape", "/tmp/abs")) {
            PrepareReport.Entry e = r.skipped().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(
                    () -> new AssertionError(id + " not reported as skipped: " + r.skipped()));
            assertTrue(e.message().contains("plain file name"), e.message());
            for (String split : List.of("train.csv", "validation.csv", "test.csv")) {
                assertFalse(Files.readString(out.resolve(split)).contains(id), id + " in " + split);
            }
        }
        try (var files = Files.walk(tmp)) {
            List<Path> outside = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(src)
                    && !f.startsWith(out) && !f.equals(tmp.resolve("escape.dcm"))).toList();
            assertEquals(List.of(), outside, "files written outside the output folder");
        }
        assertFalse(Files.exists(Path.of("/tmp/abs.png")));
    }

    @Test
    void preparesImagesMasksSplitsAndStatistics() throws Exception {
        Path out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        PrepareResult r = new RsnaPreparer().prepare(src, PrepareOptions.to(out).withThreads(2)
                .withLog(new PrintWriter(log), false));

        // Seed 0: permutation(10) = [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]: test p2, p8; validation p4, p9; train the rest,
        // in that order; p3, p4 and p6 are then dropped from their splits.
        assertEquals(List.of("ID,boxes,classes", "p1,1.0;1.0;2.0;3.0|5.0;0.0;2.0;2.0,1|1", "p7,,", "p0,,",
                "p5,1.0;1.0;1.0;1.0,1"), Fixtures.lines(out.resolve("train.csv")));
        assertEquals(List.of("ID,boxes,classes", "p9,,"), Fixtures.lines(out.resolve("validation.csv")));
        assertEquals(List.of("ID,boxes,classes", "p2,6.0;4.0;2.0;2.0,1", "p8,,"),
                Fixtures.lines(out.resolve("test.csv")));

        // Images unchanged; masks are the boxes (p1: rows 1-3 x cols 1-2, rows 0-1 x cols 5-6).
        Gray8 png = ImageCodec.read(out.resolve("stage_2_train_images_processed/p1.png")).toPilLuminance();
        assertArrayEquals(Fixtures.pattern(W, H, 1), png.pixels());
        byte[] expected = new byte[W * H];
        for (int y = 1; y < 4; y++) {
            for (int x = 1; x < 3; x++) {
                expected[y * W + x] = 1;
            }
        }
        for (int y = 0; y < 2; y++) {
            for (int x = 5; x < 7; x++) {
                expected[y * W + x] = 1;
            }
        }
        assertArrayEquals(expected, MaskGif.read(out.resolve("stage_2_train_masks/p1.gif")).pixels());
        byte[] clipped = new byte[W * H];
        for (int y = 4; y < 6; y++) {
            for (int x = 6; x < 8; x++) {
                clipped[y * W + x] = 1;
            }
        }
        assertArrayEquals(clipped, MaskGif.read(out.resolve("stage_2_train_masks/p2.gif")).pixels());
        assertArrayEquals(new byte[W * H], MaskGif.read(out.resolve("stage_2_train_masks/p0.gif")).pixels());
        assertFalse(Files.exists(out.resolve("stage_2_train_images_processed/p3.png")));

        // Statistics on raw / 255, every image counting equally.
        JsonNode stats = Fixtures.json(out.resolve("dataset_statistics.json"));
        List<double[]> train = new ArrayList<>();
        for (int k : new int[] {1, 7, 0, 5}) {
            train.add(Fixtures.meanVar(Fixtures.pattern(W, H, k)));
        }
        double[] ms = Fixtures.splitStats(train);
        assertEquals(4, stats.at("/train/num_samples").asInt());
        assertEquals(ms[0], stats.at("/train/scan/pixel_mean").asDouble(), 1e-12);
        assertEquals(ms[1], stats.at("/train/scan/pixel_std").asDouble(), 1e-12);
        assertEquals("[\"p1\",\"p7\",\"p0\",\"p5\"]", stats.at("/train/patient_ids").toString());
        double[] val = Fixtures.meanVar(Fixtures.pattern(W, H, 9));
        assertEquals(val[0], stats.at("/validation/scan/pixel_mean").asDouble(), 1e-12);
        assertEquals(Math.sqrt(val[1]), stats.at("/validation/scan/pixel_std").asDouble(), 1e-12);

        // Every bad input is named with its file and reason, and the good ones are all there.
        List<PrepareReport.Entry> skipped = r.skipped();
        assertEquals(List.of("p3", "p4", "p6"), skipped.stream().map(PrepareReport.Entry::id).toList());
        assertTrue(skipped.get(0).file().endsWith("p3.dcm"), skipped.get(0).toString());
        assertTrue(skipped.get(1).message().contains("p4.dcm"), skipped.get(1).toString());
        assertTrue(skipped.get(2).message().contains("y is not a number: 'x'"), skipped.get(2).toString());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).message().contains("clipped to 6.0;4.0;2.0;2.0"));
        JsonNode report = Fixtures.json(out.resolve("preparation.json"));
        assertEquals(3, report.get("skipped").size());
        assertEquals(4, report.at("/subset_sizes/train/1.0").asInt());
        assertTrue(log.toString().contains("rsna: prepared 7 images"), log.toString());
        assertTrue(log.toString().contains("rsna: skipped: 3"), log.toString());
        assertTrue(log.toString().contains("p4 ("), log.toString());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("out", "rsna"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no staging folder is left behind");
        }
    }

    @Test
    void splitsAreDeterministicAndSeeded() {
        PrepareResult a = new RsnaPreparer().prepare(src, PrepareOptions.to(tmp.resolve("a")).withThreads(1));
        new RsnaPreparer().prepare(src, PrepareOptions.to(tmp.resolve("b")).withThreads(2));
        new RsnaPreparer().prepare(src, PrepareOptions.to(tmp.resolve("c")).withSeed(42));
        for (String f : new String[] {"train.csv", "validation.csv", "test.csv", "dataset_statistics.json"}) {
            assertEquals(Fixtures.lines(tmp.resolve("a").resolve(f)), Fixtures.lines(tmp.resolve("b").resolve(f)), f);
        }
        // Seed 42: permutation(10) = [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]: test p8, p1; validation p5, p0.
        assertEquals(List.of("ID,boxes,classes", "p5,1.0;1.0;1.0;1.0,1", "p0,,"),
                Fixtures.lines(tmp.resolve("c/validation.csv")));
        assertEquals(7, a.splitSizes().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void reproducesSplitFiles() {
        Path splits = tmp.resolve("splits");
        Fixtures.text(splits.resolve("train.csv"), "ID,boxes,classes", "p9,,", "p1,ignored,1", "p0,,");
        Fixtures.text(splits.resolve("validation.csv"), "ID,boxes,classes", "p5,,", "ghost,,");
        Fixtures.text(splits.resolve("test.csv"), "ID,boxes,classes", "p2,,");
        Path out = tmp.resolve("out");
        PrepareResult r = new RsnaPreparer().prepare(src, PrepareOptions.to(out).withSplitsFrom(splits));
        assertEquals(List.of("ID,boxes,classes", "p9,,", "p1,1.0;1.0;2.0;3.0|5.0;0.0;2.0;2.0,1|1", "p0,,"),
                Fixtures.lines(out.resolve("train.csv")));
        assertEquals(List.of("ID,boxes,classes", "p5,1.0;1.0;1.0;1.0,1"), Fixtures.lines(out.resolve("validation.csv")));
        assertTrue(r.skipped().stream().anyMatch(e -> e.id().equals("ghost") && e.message().contains("validation.csv")));
        // Patients no split file lists are left out, with a warning each.
        assertEquals(5, r.warnings().stream().filter(e -> e.message().contains("none of the split files")).count());

        Fixtures.text(splits.resolve("test.csv"), "ID,boxes,classes", "p2,,", "p9,,");
        LovtException dup = assertThrows(LovtException.class,
                () -> new RsnaPreparer().prepare(src, PrepareOptions.to(tmp.resolve("o2")).withSplitsFrom(splits)));
        assertTrue(dup.getMessage().contains("p9 is listed twice"), dup.getMessage());
    }

    @Test
    void unusableInputIsAClearErrorAndLeavesNothing() throws Exception {
        Fixtures.text(src.resolve("stage_2_train_labels.csv"), "patientId,x,y,w,height,Target", "p0,,,,,0");
        LovtException e = assertThrows(LovtException.class,
                () -> new RsnaPreparer().prepare(src, PrepareOptions.to(tmp.resolve("out"))));
        assertTrue(e.getMessage().contains("stage_2_train_labels.csv: missing column 'width'"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void existingOutputIsKeptUnlessOverwrite() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("mine.txt"), "keep");
        assertThrows(LovtException.class, () -> new RsnaPreparer().prepare(src, PrepareOptions.to(out)));
        assertTrue(Files.exists(out.resolve("mine.txt")));
        new RsnaPreparer().prepare(src, PrepareOptions.to(out).withOverwrite(true));
        assertFalse(Files.exists(out.resolve("mine.txt")));
        assertTrue(Files.exists(out.resolve(DownstreamPreparer.STATISTICS_FILE)));
    }

    @Test
    void commandLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        Path out = tmp.resolve("cli-out");
        assertEquals(0, cl.execute("prepare", "rsna", src.toString(), "--out", out.toString(), "--threads", "2"),
                err.toString());
        assertTrue(Files.exists(out.resolve("train.csv")));
        assertTrue(err.toString().contains("rsna: 7/10 images") || err.toString().contains("rsna: 10/10 images"),
                err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cl2 = Main.commandLine();
        cl2.setErr(new PrintWriter(err2, true));
        assertEquals(Main.EXIT_BAD_INPUT, cl2.execute("prepare", "rsna", tmp.resolve("nowhere").toString()));
        assertEquals(1, err2.toString().strip().lines().count(), err2.toString());
        assertTrue(err2.toString().startsWith("lovt: ") && err2.toString().contains("nowhere"), err2.toString());
    }
}
