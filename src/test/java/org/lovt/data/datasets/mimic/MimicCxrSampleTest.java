package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.cli.Main;
import org.lovt.data.DatasetConfig;
import org.lovt.data.ScanReportSample;

/**
 * End to end on the MIMIC-CXR-shaped sample in {@code testdata/}: {@code lovt prepare mimic-cxr} and reading the
 * result back with {@link MimicCxrDataset}.
 */
class MimicCxrSampleTest {
    @TempDir
    static Path tmp;
    static Path out;
    static PrepareSummary summary;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void prepare() {
        out = tmp.resolve("mimic-cxr_ap-pa_dataset");
        summary = MimicCxrPreparer.prepare(MimicCxrPreparer.Options.of(MimicSample.root(), out).withThreads(2));
    }

    @Test
    void keepsEveryStudyWithAFrontalImageAndDropsTheLateralOnlyOne() throws IOException {
        assertEquals(new PrepareSummary.SplitCounts(MimicSample.TRAIN_STUDIES, 13, 13), summary.splits().get("train"));
        assertEquals(new PrepareSummary.SplitCounts(MimicSample.VALIDATION_STUDIES, 4, 4),
                summary.splits().get("validation"));
        assertEquals(new PrepareSummary.SplitCounts(MimicSample.TEST_STUDIES, 3, 3), summary.splits().get("test"));
        assertEquals(1, summary.issues().size(), summary.format(50));
        Issue lateral = summary.issues().get(0);
        assertEquals(Issue.Reason.NO_FRONTAL_VIEW, lateral.reason());
        assertEquals("test", lateral.split());
        assertEquals(MimicSample.LATERAL_ONLY_STUDY, lateral.studyId());
        assertEquals("p19/p19273373/s51150362", lateral.file());
        assertEquals("views: LATERAL", lateral.detail());
        String text = summary.format(10);
        assertTrue(text.contains("p19/p19273373/s51150362"), text);
        assertTrue(Files.readString(out.resolve("issues.csv")).contains(",51150362,"));
    }

    @Test
    void writesTheOriginalLayout() throws IOException {
        assertTrue(Files.isSymbolicLink(out.resolve("images")));
        assertEquals(MimicSample.root().resolve("files").toRealPath(), out.resolve("images").toRealPath());
        assertEquals("{\"splits\": [\"train\", \"validation\", \"test\"]}",
                Files.readString(out.resolve("dataset_dict.json")));
        for (String split : MimicCxrDataset.SPLITS) {
            assertTrue(Files.isRegularFile(out.resolve(split).resolve("samples.jsonl")), split);
            assertTrue(Files.isRegularFile(out.resolve(split).resolve("image_list.csv")), split);
            assertTrue(Files.isRegularFile(out.resolve(split).resolve("dataset_info.json")), split);
        }
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no partial folder is left beside the output");
        }
    }

    @Test
    void samplesHaveTheOriginalFieldsInOrderAndAscendingStudyOrder() throws IOException {
        List<JsonNode> train = lines(out.resolve("train/samples.jsonl"));
        assertEquals(13, train.size());
        JsonNode first = train.get(0);
        assertEquals(List.of("patient_id", "study_id", "study_date", "scan", "num_scans", "scan_pixel_mean",
                "scan_pixel_var", "report", "chexpert_labels", "chexpert_bin_labels"), fieldNames(first));
        assertEquals(List.of("dicom_id", "view", "view_name", "width", "height", "pixel_mean", "pixel_var"),
                fieldNames(first.get("scan")));
        assertEquals(List.of("full_text", "findings_text", "impression_text", "text", "findings_sentences",
                "impression_sentences", "sentences", "num_findings_sentences", "num_impression_sentences",
                "num_sentences", "num_findings_tokens", "num_impression_tokens", "num_tokens"),
                fieldNames(first.get("report")));
        assertEquals(ChexpertLabels.ALL, fieldNames(first.get("chexpert_labels")));
        assertEquals(ChexpertLabels.BINARY, fieldNames(first.get("chexpert_bin_labels")));
        long prevSubject = -1;
        long prevStudy = -1;
        for (JsonNode n : train) {
            long subject = Long.parseLong(n.get("patient_id").asText());
            long study = Long.parseLong(n.get("study_id").asText());
            assertTrue(subject > prevSubject || (subject == prevSubject && study > prevStudy), "order at " + study);
            prevSubject = subject;
            prevStudy = study;
            JsonNode r = n.get("report");
            // The original's quirk: the *_text fields hold the full report.
            assertEquals(r.get("full_text").asText(), r.get("findings_text").asText());
            assertEquals(r.get("full_text").asText() + " " + r.get("full_text").asText(), r.get("text").asText());
            assertEquals(r.get("num_findings_sentences").asInt() + r.get("num_impression_sentences").asInt(),
                    r.get("sentences").size());
            assertTrue(r.get("num_tokens").asInt() >= 3);
            for (JsonNode v : n.get("scan").get("view")) {
                assertTrue(v.asText().equals("PA") || v.asText().equals("AP"));
            }
        }
        // All sample reports follow the MIMIC layout; the impression is the last sentence when present.
        JsonNode s54449757 = train.stream().filter(n -> n.get("study_id").asText().equals("54449757")).findFirst()
                .orElseThrow();
        assertEquals(List.of("Findings consistent with COVID-19 pneumonia."),
                texts(s54449757.get("report").get("impression_sentences")));
        assertEquals("Bilateral parenchymal consolidations at the posterior regions of the lower lung lobes, "
                + "bilaterally.", texts(s54449757.get("report").get("findings_sentences")).get(5));
    }

    @Test
    void labelsAreTheUOnesMappingOfTheChexpertCsv() throws IOException {
        Map<String, String[]> csv = new HashMap<>();
        List<String> lines = Files.readAllLines(MimicSample.root().resolve("mimic-cxr-2.0.0-chexpert.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            csv.put(f[1], f);
        }
        int checked = 0;
        for (String split : MimicCxrDataset.SPLITS) {
            for (JsonNode n : lines(out.resolve(split).resolve("samples.jsonl"))) {
                String[] row = csv.get(n.get("study_id").asText());
                for (String label : ChexpertLabels.BINARY) {
                    String v = row[header.indexOf(label)];
                    int expected = v.equals("1.0") || v.equals("-1.0") ? 1 : 0;
                    assertEquals(expected, n.get("chexpert_bin_labels").get(label).asInt(), label);
                }
                for (String label : ChexpertLabels.ALL) {
                    String v = row[header.indexOf(label)];
                    int stored = n.get("chexpert_labels").get(label).asInt();
                    int expected = label.equals("No Finding") ? (v.equals("1.0") ? 1 : 0)
                            : switch (v) {
                                case "0.0" -> 0;
                                case "1.0" -> 1;
                                case "-1.0" -> 2;
                                default -> 3;
                            };
                    assertEquals(expected, stored, label);
                }
                checked++;
            }
        }
        assertEquals(20, checked);
    }

    @Test
    void statisticsAreThoseOfTheStoredStudyValues() throws IOException {
        JsonNode stats = new ObjectMapper().readTree(out.resolve("dataset_statistics.json").toFile());
        assertEquals(List.of("train", "validation", "test"), fieldNames(stats));
        for (String split : MimicCxrDataset.SPLITS) {
            List<JsonNode> samples = lines(out.resolve(split).resolve("samples.jsonl"));
            double[] means = samples.stream().mapToDouble(n -> n.get("scan_pixel_mean").asDouble()).toArray();
            double[] vars = samples.stream().mapToDouble(n -> n.get("scan_pixel_var").asDouble()).toArray();
            PixelStats.MeanVar pooled = PixelStats.pool(means, vars);
            JsonNode scan = stats.get(split).get("scan");
            assertEquals(pooled.mean(), scan.get("pixel_mean").asDouble(), 1e-15, split);
            assertEquals(pooled.std(), scan.get("pixel_std").asDouble(), 1e-15, split);
            JsonNode weights = stats.get(split).get("chexpert_bin_pos_weights");
            assertEquals(ChexpertLabels.BINARY, fieldNames(weights));
            for (String label : ChexpertLabels.BINARY) {
                double pos = samples.stream().mapToInt(n -> n.get("chexpert_bin_labels").get(label).asInt()).sum();
                assertEquals(1 - pos / samples.size(), weights.get(label).asDouble(), 1e-15);
            }
        }
        // The pixel statistics of one image, against OpenCV's own mean/std of the same file.
        JsonNode first = lines(out.resolve("train/samples.jsonl")).get(0);
        Path image = out.resolve("images/p10/p10115360/s54449757/7c0891ae-80e73f4f-797205dd-06cb2799-68caf51c.jpg");
        try (var mat = opencv_imgcodecs.imread(image.toString(), opencv_imgcodecs.IMREAD_UNCHANGED);
             var mean = new org.bytedeco.opencv.opencv_core.Mat();
             var std = new org.bytedeco.opencv.opencv_core.Mat()) {
            opencv_core.meanStdDev(mat, mean, std);
            double m = mean.createIndexer() instanceof org.bytedeco.javacpp.indexer.DoubleIndexer di ? di.get(0) : -1;
            double sd = ((org.bytedeco.javacpp.indexer.DoubleIndexer) std.createIndexer()).get(0);
            assertEquals(mat.cols(), first.get("scan").get("width").get(0).asInt());
            assertEquals(mat.rows(), first.get("scan").get("height").get(0).asInt());
            assertEquals(m / 255, first.get("scan").get("pixel_mean").get(0).asDouble(), 1e-7);
            assertEquals(sd * sd / 255 / 255, first.get("scan").get("pixel_var").get(0).asDouble(), 1e-7);
        }
    }

    @Test
    void imageListHasOneRowPerImageInStudyOrder() throws IOException {
        byte[] bytes = Files.readAllBytes(out.resolve("test/image_list.csv"));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("patient_id,study_id,dicom_id,img_file,Cardiomegaly,Edema,Consolidation,"
                + "Atelectasis,Pleural Effusion\r\n"));
        String[] rows = text.split("\r\n");
        assertEquals(1 + 3, rows.length);
        List<JsonNode> samples = lines(out.resolve("test/samples.jsonl"));
        for (int i = 0; i < samples.size(); i++) {
            JsonNode n = samples.get(i);
            String p = n.get("patient_id").asText();
            String s = n.get("study_id").asText();
            String d = n.get("scan").get("dicom_id").get(0).asText();
            StringBuilder expected = new StringBuilder(p + "," + s + "," + d + ",p" + p.substring(0, 2) + "/p" + p
                    + "/s" + s + "/" + d + ".jpg");
            for (String label : ChexpertLabels.BINARY) {
                expected.append(',').append(n.get("chexpert_bin_labels").get(label).asInt());
            }
            assertEquals(expected.toString(), rows[i + 1]);
            assertTrue(Files.isRegularFile(out.resolve("images").resolve(rows[i + 1].split(",")[3])));
        }
    }

    @Test
    void readerGivesAbsoluteImagePathsSentencesAndLabels() throws IOException {
        MimicCxrDataset train = MimicCxrDataset.open(out, "train");
        assertEquals(13, train.size());
        List<JsonNode> stored = lines(out.resolve("train/samples.jsonl"));
        for (int i = 0; i < train.size(); i++) {
            ScanReportSample s = train.get(i);
            JsonNode n = stored.get(i);
            assertEquals("s" + n.get("study_id").asText(), s.studyId());
            assertEquals(texts(n.get("report").get("sentences")), s.sentences());
            assertEquals(n.get("scan").get("dicom_id").size(), s.images().size());
            for (Path p : s.images()) {
                assertTrue(p.isAbsolute(), p.toString());
                assertTrue(Files.isRegularFile(p), p.toString());
            }
            float[] labels = new float[5];
            for (int k = 0; k < 5; k++) {
                labels[k] = n.get("chexpert_bin_labels").get(ChexpertLabels.BINARY.get(k)).asInt();
            }
            assertArrayEquals(labels, s.chexpert());
        }
        assertEquals(out.resolve("images").toAbsolutePath(), train.imageRoot());
        JsonNode stats = new ObjectMapper().readTree(out.resolve("dataset_statistics.json").toFile());
        assertEquals(stats.get("train").get("scan").get("pixel_mean").asDouble(), train.pixelMean(), 0.0);
        assertEquals(stats.get("train").get("scan").get("pixel_std").asDouble(), train.pixelStd(), 0.0);
        assertEquals(4, MimicCxrDataset.open(out, "validation").size());
        assertEquals(3, MimicCxrDataset.open(out, "test").size());
        // A moved dataset: the image root can be given explicitly.
        MimicCxrDataset moved = MimicCxrDataset.open(out, "test", null, MimicSample.root().resolve("files"));
        assertTrue(moved.get(0).images().get(0).startsWith(MimicSample.root().resolve("files").toAbsolutePath()));
        assertThrows(IndexOutOfBoundsException.class, () -> train.get(13));
    }

    @Test
    void subsetKeepsTheFirstRoundHalfEvenFractionAndTheFullSplitStatistics() {
        assertEquals(2, MimicCxrDataset.subsetSize(5, 0.5)); // 2.5 -> 2
        assertEquals(4, MimicCxrDataset.subsetSize(7, 0.5)); // 3.5 -> 4
        assertEquals(29, MimicCxrDataset.subsetSize(97, 0.3)); // 29.1
        assertEquals(4, MimicCxrDataset.subsetSize(13, 0.3)); // 3.9
        MimicCxrDataset full = MimicCxrDataset.open(out, "train");
        MimicCxrDataset sub = MimicCxrDataset.open(out, "train", 0.3);
        assertEquals(4, sub.size());
        for (int i = 0; i < sub.size(); i++) {
            assertEquals(full.get(i).studyId(), sub.get(i).studyId());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> sub.get(4));
        assertEquals(full.pixelMean(), sub.pixelMean(), 0.0);
        assertEquals(full.pixelStd(), sub.pixelStd(), 0.0);
        assertEquals(1, MimicCxrDataset.open(out, "validation", 0.3).size()); // 1.2
        DatasetConfig config = new DatasetConfig("MIMIC-CXR_ap/pa_find/impr", out.toString(), "MimicCxrDataset",
                0.3, null, null, Map.of());
        assertEquals(4, MimicCxrDataset.fromConfig(config, "train").size());
        assertEquals(4, MimicCxrDataset.fromConfig(config, "validation").size());
    }

    @Test
    void readerRejectsWhatIsNotAPreparedDataset() {
        LovtException e = assertThrows(LovtException.class, () -> MimicCxrDataset.open(tmp.resolve("nope"), "train"));
        assertTrue(e.getMessage().contains("not a prepared MIMIC-CXR dataset"), e.getMessage());
        assertThrows(LovtException.class, () -> MimicCxrDataset.open(out, "validate"));
        assertThrows(LovtException.class, () -> MimicCxrDataset.open(out, "train", 0.0));
    }

    @Test
    void commandLinePreparesAndSummarises() {
        Path cliOut = tmp.resolve("cli-out");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int rc = cl.execute("prepare", "mimic-cxr", MimicSample.root().toString(), "--out", cliOut.toString(),
                "--threads", "2");
        assertEquals(0, rc, stderr.toString());
        assertTrue(stdout.toString().contains("train           13 studies kept (13 images), 0 skipped of 13"),
                stdout.toString());
        assertTrue(stdout.toString().contains("test             3 studies kept (3 images), 1 skipped of 4"),
                stdout.toString());
        assertTrue(stderr.toString().contains("13/13 studies"), stderr.toString());
        // Running again into the same folder is refused; the folder is untouched.
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        assertEquals(Main.EXIT_BAD_INPUT, cl.execute("prepare", "mimic-cxr", MimicSample.root().toString(), "--out",
                cliOut.toString()));
        assertTrue(err2.toString().contains("already exists"), err2.toString());
        assertEquals(Main.EXIT_BAD_INPUT, cl.execute("prepare", "mimic-cxr", tmp.resolve("missing").toString(),
                "--out", tmp.resolve("x").toString()));
    }

    static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
