package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;

/**
 * The MIMIC-CXR export has the official layout, id formats, CSV columns and conventions: checked against the
 * headers of the format-faithful sample in {@code testdata/}, and by parsing the reports with LoVT's section regex.
 */
class MimicCxrExportTest {
    @TempDir
    static Path tmp;

    private static final List<SyntheticDataset> SPLITS = SyntheticDataset.splits(77, 14, 4, 4, 160);
    private static Path out;

    @BeforeAll
    static void export() throws IOException {
        out = tmp.resolve("mimic");
        assertEquals(22, MimicCxrExport.export(out, SPLITS, MimicCxrExport.Layout.SAMPLE, 2).images());
    }

    /** Rows of a CSV without quoted fields (MIMIC's have none), from the gzip file. */
    static List<List<String>> csvGz(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(List.of(line.split(",", -1)));
            }
        }
        return rows;
    }

    private static String header(Path sampleCsv) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(sampleCsv)) {
            return r.readLine();
        }
    }

    @Test
    void csvFilesHaveTheOfficialColumnsAndAreGzipCompressed() throws IOException {
        Path sample = TestData.require("data/mimic-cxr-sample");
        for (String name : List.of("metadata", "split", "chexpert")) {
            String file = "mimic-cxr-2.0.0-" + name + ".csv";
            Path gz = out.resolve(file + ".gz");
            byte[] head = Files.readAllBytes(gz);
            assertEquals(0x1f, head[0] & 255);
            assertEquals(0x8b, head[1] & 255);
            List<List<String>> rows = csvGz(gz);
            assertEquals(header(sample.resolve(file)), String.join(",", rows.get(0)), file + " header");
            assertEquals(23, rows.size(), file + ": header + one row per image/study");
            for (List<String> row : rows) {
                assertEquals(rows.get(0).size(), row.size(), file + " row width");
            }
            try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(out.resolve(file)), "plain copy of " + file);
            }
        }
    }

    @Test
    void idsLayoutAndSplitsFollowMimic() throws IOException {
        List<List<String>> meta = csvGz(out.resolve("mimic-cxr-2.0.0-metadata.csv.gz"));
        List<List<String>> split = csvGz(out.resolve("mimic-cxr-2.0.0-split.csv.gz"));
        Set<String> folders = new HashSet<>();
        Map<String, Integer> splitCounts = new LinkedHashMap<>();
        Set<String> studies = new HashSet<>();
        for (int i = 1; i < meta.size(); i++) {
            List<String> m = meta.get(i);
            String dicom = m.get(0);
            String subject = m.get(1);
            String study = m.get(2);
            assertTrue(dicom.matches("[0-9a-f]{8}(-[0-9a-f]{8}){4}"), dicom);
            assertTrue(subject.matches("1[0-9]{7}"), subject);
            assertTrue(study.matches("5[0-9]{7}"), study);
            assertTrue(studies.add(study), "unique study ids");
            String folder = "p" + subject.substring(0, 2);
            folders.add(folder);
            Path jpg = out.resolve("files/" + folder + "/p" + subject + "/s" + study + "/" + dicom + ".jpg");
            assertTrue(Files.isRegularFile(jpg), jpg.toString());
            assertTrue(Files.isRegularFile(out.resolve("files/" + folder + "/p" + subject + "/s" + study + ".txt")));
            byte[] px = GrayImages.decode(Files.readAllBytes(jpg), 160, jpg.toString());
            assertEquals(160 * 160, px.length);
            String view = m.get(4);
            assertTrue(view.equals("PA") || view.equals("AP"), view);
            assertEquals(view.equals("PA") ? "CHEST (SINGLE VIEW)" : "CHEST (PORTABLE AP)", m.get(3));
            assertEquals(m.get(3), m.get(9));
            assertEquals(view.equals("PA") ? "postero-anterior" : "antero-posterior", m.get(10));
            assertTrue(Set.of("", "Erect", "Recumbent").contains(m.get(11)));
            assertEquals("160", m.get(5));
            assertEquals("160", m.get(6));
            int date = Integer.parseInt(m.get(7));
            assertTrue(date >= 21100101 && date <= 21891231, m.get(7));
            assertTrue(m.get(8).matches("[1-9][0-9]{0,5}\\.[0-9]*[1-9]"), "StudyTime " + m.get(8));
            List<String> s = split.get(i);
            assertEquals(List.of(dicom, study, subject), s.subList(0, 3));
            splitCounts.merge(s.get(3), 1, Integer::sum);
        }
        assertEquals(10, folders.size(), "p10..p19 all used");
        assertEquals(Map.of("train", 14, "validate", 4, "test", 4), splitCounts);
    }

    /** LoVT's / MIMIC's {@code section_text} (spec lovt-data-eval §1.4). */
    static Map<String, String> sections(String text) {
        Pattern p = Pattern.compile("\n ([A-Z ()/,-]+):\\s");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = p.matcher(text);
        if (!m.find()) {
            out.put("full report", text);
            return out;
        }
        out.put("preamble", text.substring(0, m.start(1)));
        while (true) {
            String name = m.group(1).toLowerCase();
            int start = m.end();
            int nl = text.indexOf('\n', start);
            boolean more = m.find(nl < 0 ? start : nl);
            out.put(name, text.substring(start, more ? m.start() : text.length()));
            if (!more) {
                return out;
            }
        }
    }

    @Test
    void reportsParseIntoFindingsAndImpressionWithTheSampleSentences() throws IOException {
        JsonNode gt = GroundTruthJson.JSON.readTree(out.resolve("synthetic-ground-truth.json").toFile());
        JsonNode images = gt.get("images");
        assertEquals(22, images.size());
        int k = 0;
        for (SyntheticDataset split : SPLITS) {
            for (int i = 0; i < split.size(); i++, k++) {
                SyntheticSample s = split.get(i);
                JsonNode img = images.get(k);
                String text = Files.readString(out.resolve(img.get("report").asText()), StandardCharsets.UTF_8);
                assertTrue(text.startsWith(" ".repeat(33) + "FINAL REPORT\n") && text.endsWith(".\n"));
                for (String line : text.split("\n")) {
                    assertTrue(line.length() <= 71 && (line.isEmpty() || line.startsWith(" ")), "line '" + line + "'");
                }
                Map<String, String> sec = sections(text);
                assertEquals(List.of("preamble", "examination", "indication", "technique", "comparison", "findings",
                        "impression"), List.copyOf(sec.keySet()));
                assertEquals(String.join(" ", s.findingsSection().stream().map(ReportSentence::text).toList()),
                        sec.get("findings").strip().replaceAll("\\s+", " "));
                assertEquals(s.impression().get(0).text(), sec.get("impression").strip());
                assertEquals("s" + img.get("study_id").asInt() + ".txt",
                        Path.of(img.get("report").asText()).getFileName().toString());
                String official = split.split().equals("validation") ? "validate" : split.split();
                assertEquals(official, img.get("split").asText());
                assertEquals(s.findings().size(), img.get("findings").size());
            }
        }
    }

    @Test
    void chexpertCsvCarriesTheReportLabelsWithMimicValueConventions() throws IOException {
        List<List<String>> rows = csvGz(out.resolve("mimic-cxr-2.0.0-chexpert.csv.gz"));
        int k = 1;
        for (SyntheticDataset split : SPLITS) {
            for (int i = 0; i < split.size(); i++, k++) {
                List<String> row = rows.get(k);
                ChexpertLabels labels = split.get(i).labels();
                for (int c = 0; c < ChexpertLabels.LABELS.size(); c++) {
                    String cell = row.get(2 + c);
                    assertTrue(Set.of("1.0", "0.0", "-1.0", "").contains(cell), cell);
                    assertEquals(labels.csvCell(c), cell);
                }
                assertTrue(Set.of("1.0", "").contains(row.get(2 + ChexpertLabels.LABELS.indexOf("No Finding"))));
            }
        }
    }

    @Test
    void lovtRootLayoutSplitsImagesAndReports() throws IOException {
        Path root = tmp.resolve("lovt-root");
        MimicCxrExport.export(root, SPLITS.subList(1, 2), MimicCxrExport.Layout.LOVT_ROOT, 1);
        Path jpg = root.resolve("mimic-cxr-jpg_2-0-0");
        Path reports = root.resolve("mimic-cxr_2-0-0/mimic-cxr-reports");
        List<List<String>> meta = csvGz(jpg.resolve("mimic-cxr-2.0.0-metadata.csv.gz"));
        assertEquals(5, meta.size());
        assertTrue(Files.isRegularFile(jpg.resolve("mimic-cxr-2.0.0-split.csv.gz")));
        assertTrue(Files.isRegularFile(jpg.resolve("mimic-cxr-2.0.0-chexpert.csv.gz")));
        for (List<String> m : meta.subList(1, meta.size())) {
            String base = "files/p" + m.get(1).substring(0, 2) + "/p" + m.get(1) + "/s" + m.get(2);
            assertTrue(Files.isRegularFile(jpg.resolve(base + "/" + m.get(0) + ".jpg")));
            assertTrue(Files.isRegularFile(reports.resolve(base + ".txt")));
        }
    }
}
