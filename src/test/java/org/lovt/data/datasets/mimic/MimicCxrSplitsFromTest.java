package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

/** {@code --splits-from}: reproducing earlier splits from study lists or from another split CSV. */
class MimicCxrSplitsFromTest {
    @TempDir
    static Path tmp;
    static Path first;

    @BeforeAll
    static void prepareOnce() {
        first = tmp.resolve("first");
        MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(MimicSample.root(), first).withThreads(2));
    }

    private static PrepareSummary prepare(Path src, String name, Path splitsFrom) {
        return MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(src, tmp.resolve(name)).withThreads(2)
                .withSplitsFrom(splitsFrom));
    }

    @Test
    void aPreparedFolderReproducesItselfByteForByte() throws IOException {
        PrepareSummary again = prepare(MimicSample.root(), "again", first);
        Path second = tmp.resolve("again");
        for (String split : MimicCxrDataset.SPLITS) {
            for (String file : List.of("samples.jsonl", "image_list.csv", "dataset_info.json")) {
                assertArrayEquals(Files.readAllBytes(first.resolve(split).resolve(file)),
                        Files.readAllBytes(second.resolve(split).resolve(file)), split + "/" + file);
            }
        }
        assertArrayEquals(Files.readAllBytes(first.resolve("dataset_statistics.json")),
                Files.readAllBytes(second.resolve("dataset_statistics.json")));
        // Only the lateral-only study is in the CSVs but not in the lists.
        assertEquals(1, again.notListed());
        assertEquals(List.of(), again.issues());
    }

    @Test
    void theOriginalsImageListsWork() throws IOException {
        Path lists = tmp.resolve("image-lists");
        for (String split : MimicCxrDataset.SPLITS) {
            Files.createDirectories(lists.resolve(split));
            Files.copy(first.resolve(split).resolve("image_list.csv"), lists.resolve(split).resolve("image_list.csv"));
        }
        prepare(MimicSample.root(), "from-image-lists", lists);
        assertArrayEquals(Files.readAllBytes(first.resolve("train/samples.jsonl")),
                Files.readAllBytes(tmp.resolve("from-image-lists/train/samples.jsonl")));
    }

    @Test
    void listsDecideSplitAndOrderAndListedStudiesSkipTheTokenFilter() throws IOException {
        Path src = MimicSample.copyTo(tmp.resolve("src"));
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(first.resolve("validation/image_list.csv")).subList(1, 4)) {
            ids.add(line.split(",")[1]);
        }
        String testStudy = Files.readAllLines(first.resolve("test/image_list.csv")).get(1).split(",")[1];
        // The first listed study gets a 2-token report: stanza's count decided the original selection.
        String[] p = Files.readAllLines(first.resolve("validation/image_list.csv")).get(1).split(",");
        Path report = src.resolve("files/p" + p[0].substring(0, 2) + "/p" + p[0] + "/s" + p[1] + ".txt");
        Files.writeString(report, "                                 FINAL REPORT\n IMPRESSION: Normal.\n");

        Path lists = Files.createDirectory(tmp.resolve("lists"));
        Files.writeString(lists.resolve("train.csv"), "study_id,note\ns" + ids.get(2) + ",x\n" + ids.get(0)
                + ",y\n" + testStudy + ",moved from test\n59999999,unknown\n");
        Files.writeString(lists.resolve("validation.csv"), "study_id\n");
        Files.writeString(lists.resolve("test.csv"), "subject_id,study_id\n19273373,51150362\n");

        PrepareSummary s = prepare(src, "from-lists", lists);
        MimicCxrDataset train = MimicCxrDataset.open(tmp.resolve("from-lists"), "train");
        assertEquals(List.of("s" + ids.get(2), "s" + ids.get(0), "s" + testStudy),
                List.of(train.get(0).studyId(), train.get(1).studyId(), train.get(2).studyId()));
        assertEquals(2, train.record(1).get("report").get("num_tokens").asInt());
        assertEquals(new PrepareSummary.SplitCounts(4, 3, 3), s.splits().get("train"));
        assertEquals(new PrepareSummary.SplitCounts(0, 0, 0), s.splits().get("validation"));
        assertEquals(new PrepareSummary.SplitCounts(1, 0, 0), s.splits().get("test"));
        assertEquals("59999999", s.issues(Issue.Reason.NOT_IN_CSVS).get(0).studyId());
        assertEquals("51150362", s.issues(Issue.Reason.NO_FRONTAL_VIEW).get(0).studyId());
        assertEquals(21 - 4, s.notListed());
        assertTrue(s.format(5).contains("17 studies of the CSVs are not in the --splits-from lists"));

        // Empty splits: pixel statistics 0 and NaN weights, as the original writes them; the reader copes.
        String stats = Files.readString(tmp.resolve("from-lists/dataset_statistics.json"));
        assertTrue(stats.contains("\"validation\": {\"scan\": {\"pixel_mean\": 0.0, \"pixel_std\": 0.0}, "
                + "\"chexpert_bin_pos_weights\": {\"Cardiomegaly\": NaN"), stats);
        assertEquals(0, MimicCxrDataset.open(tmp.resolve("from-lists"), "validation").size());
    }

    @Test
    void aSplitCsvReplacesTheSourcesOne() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("split-csv"));
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(MimicSample.root().resolve("mimic-cxr-2.0.0-split.csv"))) {
            lines.add(line.endsWith(",split") ? line : line.substring(0, line.lastIndexOf(',')) + ",test");
        }
        Files.write(dir.resolve("mimic-cxr-2.0.0-split.csv"), lines);
        PrepareSummary s = prepare(MimicSample.root(), "all-test", dir);
        assertEquals(new PrepareSummary.SplitCounts(0, 0, 0), s.splits().get("train"));
        assertEquals(new PrepareSummary.SplitCounts(21, 20, 20), s.splits().get("test"));
    }

    @Test
    void aStudyInTwoListsOrAMissingListIsRefused() throws IOException {
        Path dup = Files.createDirectory(tmp.resolve("dup"));
        Files.writeString(dup.resolve("train.csv"), "study_id\n50000001\n");
        Files.writeString(dup.resolve("validation.csv"), "study_id\ns50000001\n");
        Files.writeString(dup.resolve("test.csv"), "study_id\n");
        LovtException e = assertThrows(LovtException.class, () -> prepare(MimicSample.root(), "dup-out", dup));
        assertTrue(e.getMessage().contains("more than one split"), e.getMessage());
        Path partial = Files.createDirectory(tmp.resolve("partial"));
        Files.writeString(partial.resolve("train.csv"), "study_id\n");
        e = assertThrows(LovtException.class, () -> prepare(MimicSample.root(), "partial-out", partial));
        assertTrue(e.getMessage().contains("no study list for the validation split"), e.getMessage());
    }
}
