package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of the sample with damaged files (JPEGs, reports, CSV rows) and reports at the edge of the filters: the
 * preparation finishes, skips what it must, counts and names it.
 */
class MimicCxrDamagedInputTest {
    @TempDir
    static Path tmp;
    static Path src;
    static PrepareSummary summary;
    /** The train studies with a single (frontal) image, by study id, as subject/study/dicom. */
    static List<String[]> single;

    @BeforeAll
    static void damageAndPrepare() throws IOException {
        src = MimicSample.copyTo(tmp.resolve("src"));
        for (String name : List.of("split", "metadata", "chexpert")) {
            Files.delete(src.resolve("mimic-cxr-2.0.0-" + name + ".csv.gz")); // read the plain CSVs we edit
        }
        Map<String, List<String[]>> byStudy = new LinkedHashMap<>();
        for (String line : lines("mimic-cxr-2.0.0-split.csv").subList(1, 25)) { // header + 24 images
            String[] f = line.split(",");
            if (f[3].equals("train")) {
                byStudy.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new String[] {f[2], f[1], f[0]});
            }
        }
        single = byStudy.values().stream().filter(l -> l.size() == 1).map(l -> l.get(0))
                .sorted((a, b) -> a[1].compareTo(b[1])).collect(Collectors.toList());

        // 0: JPEG replaced by garbage; 1: JPEG truncated; 2: report deleted; 3: report not UTF-8;
        // 4: metadata row cut short; 5: CheXpert row with a non-value; 6: JPEG deleted;
        // 7: report of 2 tokens; 8: report of 3 tokens (kept); 9: report without section headers.
        byte[] garbage = new byte[5000];
        new Random(3).nextBytes(garbage);
        Files.write(jpg(0), garbage);
        byte[] good = Files.readAllBytes(jpg(1));
        Files.write(jpg(1), Arrays.copyOf(good, good.length * 6 / 10));
        Files.delete(report(2));
        byte[] text = Files.readAllBytes(report(3));
        text[text.length / 2] = (byte) 0xFF;
        Files.write(report(3), text);
        replaceLine("mimic-cxr-2.0.0-metadata.csv", single.get(4)[2], l -> l.substring(0, l.indexOf(',', 50)));
        replaceLine("mimic-cxr-2.0.0-chexpert.csv", single.get(5)[1], l -> l.replaceFirst(",,", ",maybe,"));
        Files.delete(jpg(6));
        Files.writeString(report(7), "                                 FINAL REPORT\n EXAMINATION:  CHEST\n \n"
                + " FINDINGS:\n \n Normal.\n");
        Files.writeString(report(8), "                                 FINAL REPORT\n EXAMINATION:  CHEST\n \n"
                + " IMPRESSION:\n \n No change.\n");
        // An empty ViewCodeSequence_CodeMeaning is NaN to pandas and "nan" after str().
        replaceLine("mimic-cxr-2.0.0-metadata.csv", single.get(8)[2], l -> {
            String[] f = l.split(",", -1);
            f[10] = "";
            return String.join(",", f);
        });
        Files.writeString(report(9), "                                 FINAL REPORT\n Normal chest radiograph.\n");
        // Two bad rows at the end of the split CSV: an unknown split and an unterminated quote.
        Files.writeString(src.resolve("mimic-cxr-2.0.0-split.csv"),
                "aaaa,50000001,10000001,holdout\n\"bbbb,50000002,10000002,train\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        summary = MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(src, tmp.resolve("out")).withThreads(2));
    }

    static Path jpg(int i) {
        String[] s = single.get(i);
        return src.resolve("files/p" + s[0].substring(0, 2) + "/p" + s[0] + "/s" + s[1] + "/" + s[2] + ".jpg");
    }

    static Path report(int i) {
        String[] s = single.get(i);
        return src.resolve("files/p" + s[0].substring(0, 2) + "/p" + s[0] + "/s" + s[1] + ".txt");
    }

    static List<String> lines(String csv) throws IOException {
        return Files.readAllLines(src.resolve(csv));
    }

    static void replaceLine(String csv, String key, java.util.function.UnaryOperator<String> change)
            throws IOException {
        List<String> lines = new ArrayList<>(lines(csv));
        int hits = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(key)) {
                lines.set(i, change.apply(lines.get(i)));
                hits++;
            }
        }
        assertEquals(1, hits, key);
        Files.write(src.resolve(csv), lines);
    }

    private static Issue only(Issue.Reason reason) {
        List<Issue> l = summary.issues(reason);
        assertEquals(1, l.size(), reason + ": " + l);
        return l.get(0);
    }

    private static String study(int i) {
        return single.get(i)[1];
    }

    @Test
    void finishesAndKeepsEverythingElse() {
        // 10 damaged train studies; the truncated JPEG and the 3-token report are kept.
        assertEquals(new PrepareSummary.SplitCounts(13, 5, 5), summary.splits().get("train"));
        assertEquals(new PrepareSummary.SplitCounts(4, 4, 4), summary.splits().get("validation"));
        assertEquals(new PrepareSummary.SplitCounts(4, 3, 3), summary.splits().get("test"));
        assertEquals(5, MimicCxrDataset.open(tmp.resolve("out"), "train").size());
    }

    @Test
    void damagedImagesAreNamed() {
        Issue unreadable = only(Issue.Reason.IMAGE_UNREADABLE);
        assertEquals(study(0), unreadable.studyId());
        assertTrue(unreadable.file().endsWith(single.get(0)[2] + ".jpg"), unreadable.file());
        Issue truncated = only(Issue.Reason.IMAGE_TRUNCATED);
        assertEquals(study(1), truncated.studyId());
        assertEquals(Issue.Outcome.IMAGE_KEPT, truncated.reason().outcome());
        Issue missing = only(Issue.Reason.IMAGE_MISSING);
        assertEquals(study(6), missing.studyId());
        List<String> noImage = summary.issues(Issue.Reason.NO_READABLE_IMAGE).stream().map(Issue::studyId).toList();
        assertEquals(List.of(study(0), study(6)), noImage.stream().sorted().toList());
    }

    @Test
    void truncatedJpegKeepsItsSize() throws IOException {
        var kept = MimicCxrSampleTest.lines(tmp.resolve("out/train/samples.jsonl")).stream()
                .filter(n -> n.get("study_id").asText().equals(study(1))).findFirst().orElseThrow();
        Path original = MimicSample.root().resolve(src.relativize(jpg(1)).toString());
        try (var img = org.bytedeco.opencv.global.opencv_imgcodecs.imread(original.toString(),
                org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED)) {
            assertEquals(img.cols(), kept.get("scan").get("width").get(0).asInt());
            assertEquals(img.rows(), kept.get("scan").get("height").get(0).asInt());
        }
    }

    @Test
    void damagedReportsAreNamed() {
        Issue missing = only(Issue.Reason.REPORT_MISSING);
        assertEquals(study(2), missing.studyId());
        assertTrue(missing.file().endsWith("s" + study(2) + ".txt"), missing.file());
        Issue utf8 = only(Issue.Reason.REPORT_UNREADABLE);
        assertEquals(study(3), utf8.studyId());
        assertEquals("not valid UTF-8", utf8.detail());
        assertEquals(study(9), only(Issue.Reason.NO_SECTIONS).studyId());
    }

    @Test
    void threeTokenFilter() throws IOException {
        Issue few = only(Issue.Reason.TOO_FEW_TOKENS);
        assertEquals(study(7), few.studyId());
        assertEquals("2 tokens", few.detail());
        var kept = MimicCxrSampleTest.lines(tmp.resolve("out/train/samples.jsonl")).stream()
                .filter(n -> n.get("study_id").asText().equals(study(8))).findFirst().orElseThrow();
        assertEquals(3, kept.get("report").get("num_tokens").asInt());
        assertEquals(0, kept.get("report").get("num_findings_tokens").asInt());
        assertEquals(List.of("No change."), MimicCxrSampleTest.texts(kept.get("report").get("sentences")));
        assertEquals("nan", kept.get("scan").get("view_name").get(0).asText());
    }

    @Test
    void damagedCsvRowsAreNamedWithTheirLine() {
        List<Issue> malformed = summary.issues(Issue.Reason.MALFORMED_ROW);
        assertEquals(3, malformed.size(), malformed.toString());
        assertTrue(malformed.stream().anyMatch(i -> i.file().contains("mimic-cxr-2.0.0-metadata.csv:")
                && i.detail().contains("fields, the header has 12")), malformed.toString());
        assertTrue(malformed.stream().anyMatch(i -> i.file().contains("mimic-cxr-2.0.0-chexpert.csv:")
                && i.detail().contains("maybe")), malformed.toString());
        assertTrue(malformed.stream().anyMatch(i -> i.file().endsWith("mimic-cxr-2.0.0-split.csv:27")
                && i.detail().equals("unterminated quoted field")), malformed.toString());
        Issue split = only(Issue.Reason.UNKNOWN_SPLIT);
        assertTrue(split.file().endsWith("mimic-cxr-2.0.0-split.csv:26"), split.file());
        // The image whose metadata row is broken has no view, so its study has no AP/PA image.
        assertEquals(study(4), only(Issue.Reason.NO_METADATA_ROW).studyId());
        assertTrue(summary.issues(Issue.Reason.NO_FRONTAL_VIEW).stream().anyMatch(i -> i.studyId().equals(study(4))));
        assertEquals(study(5), only(Issue.Reason.NO_CHEXPERT_ROW).studyId());
    }

    @Test
    void summaryAndIssuesFileNameEverySkippedFile() throws IOException {
        String text = summary.format(20);
        String csv = Files.readString(tmp.resolve("out/issues.csv"));
        for (Issue i : summary.issues()) {
            if (!i.file().isEmpty()) {
                assertTrue(text.contains(i.file()), i.file());
                assertTrue(csv.contains(i.file()), i.file());
            }
        }
        assertEquals(summary.issues().size() + 1, csv.split("\n").length);
    }
}
