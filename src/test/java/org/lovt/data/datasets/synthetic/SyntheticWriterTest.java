package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.data.Dataset;
import org.lovt.data.ScanReportSample;

/** The folder writer's output reads back into the very samples that were generated. */
class SyntheticWriterTest {
    @TempDir
    Path tmp;

    private static final List<SyntheticDataset> SPLITS = SyntheticDataset.splits(31, 8, 3, 4, 128);

    @Test
    void writtenSplitsReadBackIntoTheGeneratedSamples() throws IOException {
        Path out = tmp.resolve("synthetic");
        SyntheticWriter.Summary summary = SyntheticWriter.write(out, SPLITS, 2);
        assertEquals(15, summary.images());
        int ordinal = 0;
        for (SyntheticDataset split : SPLITS) {
            Path dir = out.resolve(split.split());
            List<SyntheticSample> back = SyntheticFolder.readSamples(dir);
            assertEquals(split.size(), back.size());
            for (int i = 0; i < split.size(); i++) {
                SyntheticCxrDeterminismTest.assertSameSample(split.get(i), back.get(i));
            }
            Dataset<ScanReportSample> pretraining = SyntheticFolder.open(dir);
            assertEquals(split.size(), pretraining.size());
            for (int i = 0; i < split.size(); i++) {
                ScanReportSample p = pretraining.get(i);
                assertEquals("s" + (50_000_000 + ordinal + i), p.studyId());
                assertEquals(split.get(i).sentences(), p.sentences());
                assertArrayEquals(split.get(i).chexpertBinary(), p.chexpert());
                assertTrue(Files.isRegularFile(p.images().get(0)), p.images().get(0).toString());
            }
            ordinal += split.size();
        }
        JsonNode meta = GroundTruthJson.JSON.readTree(out.resolve("synthetic.json").toFile());
        assertEquals(31, meta.get("seed").asLong());
        assertEquals(SPLITS.get(2).splitSeed(), meta.get("splits").get("test").get("split_seed").asLong());
        assertTrue(meta.get("orientation").asText().contains("right"));
    }

    @Test
    void groundTruthFileNamesEveryMaskAndSentence() throws IOException {
        Path out = tmp.resolve("gt");
        SyntheticWriter.write(out, SPLITS.subList(0, 1), 1);
        JsonNode gt = GroundTruthJson.JSON.readTree(out.resolve("train/ground_truth.json").toFile());
        assertEquals(128, gt.get("image_size").asInt());
        assertEquals("train", gt.get("split").asText());
        int findings = 0;
        for (JsonNode img : gt.get("images")) {
            assertEquals(6, img.get("zones").size());
            assertTrue(Files.isRegularFile(out.resolve("train").resolve(img.get("image").asText())));
            JsonNode fs = img.get("findings");
            for (int k = 0; k < fs.size(); k++) {
                JsonNode f = fs.get(k);
                assertTrue(Files.isRegularFile(out.resolve("train").resolve(f.get("mask").asText())));
                JsonNode sentence = img.get("sentences").get(f.get("sentence").asInt());
                assertEquals(k, sentence.get("finding").asInt());
                assertEquals(f.get("type").asText(), sentence.get("topic").asText());
                assertEquals("findings", sentence.get("section").asText());
                findings++;
            }
        }
        assertTrue(findings > 0);
    }

    @Test
    void outputDoesNotDependOnTheThreadCount() throws IOException {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        SyntheticWriter.write(one, SPLITS, 1);
        SyntheticWriter.write(two, SPLITS, 3);
        assertEquals(tree(one), tree(two));
    }

    @Test
    void writingIsAtomicAndNeverOverwrites() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertThrows(LovtException.class, () -> SyntheticWriter.write(out, SPLITS, 1));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temporary folder left behind");
        }
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        SyntheticWriter.write(empty, SPLITS.subList(2, 3), 1);
        assertTrue(Files.isRegularFile(empty.resolve("test/reports.jsonl")));
        assertFalse(Files.exists(empty.resolve("train")));
    }

    /** Relative path → content of every file under a folder. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
