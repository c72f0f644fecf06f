package org.lovt.data.datasets.mimic;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.TestData;
import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of the MIMIC-CXR inputs (contract: {@link FuzzContract}): each of the three CSV tables
 * (the other two are the sample's), plain or gzipped as found, and a free-text report through the section parser and
 * the sentence splitter.
 */
class MimicFuzzTest {
    private static final String SAMPLE = "data/mimic-cxr-sample/";

    @FuzzTest(maxDuration = "10m")
    void splitCsv(byte[] data) {
        Path f = FuzzContract.scratch(name(data, "split.csv"), data);
        FuzzContract.check("MIMIC split CSV", data.length, 2048, () -> MimicTables.read(f,
                sample("mimic-cxr-2.0.0-metadata.csv"), sample("mimic-cxr-2.0.0-chexpert.csv")));
    }

    @FuzzTest(maxDuration = "10m")
    void metadataCsv(byte[] data) {
        Path f = FuzzContract.scratch(name(data, "metadata.csv"), data);
        FuzzContract.check("MIMIC metadata CSV", data.length, 2048, () -> MimicTables.read(
                sample("mimic-cxr-2.0.0-split.csv"), f, sample("mimic-cxr-2.0.0-chexpert.csv")));
    }

    @FuzzTest(maxDuration = "10m")
    void chexpertCsv(byte[] data) {
        Path f = FuzzContract.scratch(name(data, "chexpert.csv"), data);
        FuzzContract.check("MIMIC CheXpert CSV", data.length, 2048, () -> MimicTables.read(
                sample("mimic-cxr-2.0.0-split.csv"), sample("mimic-cxr-2.0.0-metadata.csv"), f));
    }

    @FuzzTest(maxDuration = "10m")
    void report(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        FuzzContract.check("MIMIC report", data.length, 4096, () -> {
            MimicSectionParser.sectionText(text);
            ReportSentenceSplitter splitter = new ReportSentenceSplitter();
            MimicSectionParser.FindingsImpression fi = MimicSectionParser.findingsAndImpression(text, "s50000000");
            if (fi != null) { // null: the report has neither section (documented)
                splitter.split(fi.findings() == null ? "" : fi.findings());
                splitter.split(fi.impression() == null ? "" : fi.impression());
            }
            splitter.split(text);
        });
    }

    /** Gzip-compressed inputs get a .gz name, as the tables are found in either form. */
    private static String name(byte[] data, String base) {
        return data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B ? base + ".gz" : base;
    }

    private static Path sample(String file) {
        return TestData.require(SAMPLE + file);
    }
}
