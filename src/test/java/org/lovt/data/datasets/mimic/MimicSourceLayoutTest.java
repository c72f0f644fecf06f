package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original's root layout ({@code mimic-cxr-jpg_2-0-0/}, {@code mimic-cxr_2-0-0/mimic-cxr-reports.zip}) gives
 * the same dataset as the merged sample folder; reports are read from the zip in place, with Windows line ends
 * turned into {@code \n} as Python's text mode does.
 */
class MimicSourceLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void originalRootLayoutWithZippedReportsGivesTheSameDataset() throws IOException {
        Path sample = MimicSample.root();
        Path root = Files.createDirectory(tmp.resolve("MIMIC-CXR"));
        Files.createSymbolicLink(root.resolve(MimicSource.JPG_FOLDER), sample);
        Path reports = Files.createDirectories(root.resolve(MimicSource.REPORTS_FOLDER));
        Path zip = reports.resolve("mimic-cxr-reports.zip");
        int n = 0;
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(raw);
             Stream<Path> walk = Files.walk(sample.resolve("files"))) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                z.putNextEntry(new ZipEntry("files/" + sample.resolve("files").relativize(p)));
                String text = Files.readString(p);
                // Every other report with CRLF line ends, as a zip made on Windows might have.
                String stored = n++ % 2 == 0 ? text : text.replace("\n", "\r\n");
                z.write(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        assertEquals(21, n);

        MimicSource src = MimicSource.locate(root, null);
        assertEquals(zip, src.reports());
        assertEquals(root.resolve(MimicSource.JPG_FOLDER).resolve("files"), src.imagesRoot());

        Path fromRoot = tmp.resolve("from-root");
        Path fromSample = tmp.resolve("from-sample");
        PrepareSummary a = MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(root, fromRoot).withThreads(2));
        MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(sample, fromSample).withThreads(2));
        assertEquals(20, a.splits().values().stream().mapToInt(PrepareSummary.SplitCounts::kept).sum());
        for (String split : List.of("train", "validation", "test")) {
            assertArrayEquals(Files.readAllBytes(fromSample.resolve(split).resolve("samples.jsonl")),
                    Files.readAllBytes(fromRoot.resolve(split).resolve("samples.jsonl")), split);
        }
        assertTrue(Files.readString(fromRoot.resolve("preparation.json")).contains("mimic-cxr-reports.zip"));
    }

    @Test
    void explicitReportsLocationOverridesTheSearch() throws IOException {
        Path reports = Files.createDirectory(tmp.resolve("reports"));
        MimicSource src = MimicSource.locate(MimicSample.root(), reports);
        assertEquals(reports, src.reports());
        // Nothing there: every study is skipped with its missing report named, and the run still finishes.
        PrepareSummary s = MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(MimicSample.root(),
                tmp.resolve("out")).withReports(reports).withThreads(2));
        assertEquals(20, s.issues(Issue.Reason.REPORT_MISSING).size());
        assertEquals(0, s.splits().get("train").kept());
        assertTrue(s.issues(Issue.Reason.REPORT_MISSING).get(0).file().startsWith(reports.toString()));
    }
}
