package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.ScanReportSample;
import org.lovt.data.datasets.mimic.MimicCxrDataset;
import org.lovt.data.datasets.mimic.MimicCxrPreparer;
import org.lovt.data.datasets.mimic.PrepareSummary;

/**
 * End to end: the MIMIC-CXR export goes through the project's own {@code lovt prepare mimic-cxr} pipeline without
 * losing a study, and the prepared samples carry exactly the synthetic sentences and labels.
 */
class MimicPrepareRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void preparedDatasetHasEverySyntheticStudyWithItsSentencesAndLabels() throws IOException {
        List<SyntheticDataset> splits = SyntheticDataset.splits(55, 12, 4, 4, 128);
        for (MimicCxrExport.Layout layout : MimicCxrExport.Layout.values()) {
            Path src = tmp.resolve("src-" + layout);
            MimicCxrExport.export(src, splits, layout, 2);
            Path prepared = tmp.resolve("prepared-" + layout);
            PrepareSummary summary = MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(src, prepared)
                    .withThreads(2));
            assertTrue(summary.issues().isEmpty(), layout + ": " + summary.format(5));

            Map<String, SyntheticSample> byStudy = new HashMap<>();
            JsonNode gt = GroundTruthJson.JSON.readTree(src.resolve("synthetic-ground-truth.json").toFile());
            int k = 0;
            for (SyntheticDataset split : splits) {
                for (int i = 0; i < split.size(); i++) {
                    byStudy.put("s" + gt.get("images").get(k++).get("study_id").asInt(), split.get(i));
                }
            }
            for (SyntheticDataset split : splits) {
                MimicCxrDataset ds = MimicCxrDataset.open(prepared, split.split());
                assertEquals(split.size(), ds.size(), layout + " " + split.split());
                for (int i = 0; i < ds.size(); i++) {
                    ScanReportSample p = ds.get(i);
                    SyntheticSample s = byStudy.get(p.studyId());
                    assertEquals(split.splitSeed(), s.seed(), "study in the right split");
                    assertEquals(s.sentences(), p.sentences(), layout + " " + p.studyId());
                    assertArrayEquals(s.chexpertBinary(), p.chexpert(), layout + " " + p.studyId());
                    assertEquals(1, p.images().size());
                    assertTrue(Files.isRegularFile(p.images().get(0)), p.images().get(0).toString());
                }
            }
        }
    }
}
