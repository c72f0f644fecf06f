package org.lovt.data.datasets.synthetic;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.lovt.LovtException;
import org.lovt.data.Dataset;
import org.lovt.data.ScanReportSample;

/** Reads a split folder written by {@link SyntheticWriter}. */
public final class SyntheticFolder {
    private SyntheticFolder() {}

    /**
     * The split as pre-training samples (image path, sentences, five binary CheXpert labels), from its
     * {@code reports.jsonl}; images are read by the loader.
     */
    public static Dataset<ScanReportSample> open(Path splitDir) {
        List<ScanReportSample> samples = new ArrayList<>();
        for (JsonNode r : reportLines(splitDir)) {
            List<String> sentences = new ArrayList<>();
            r.get("sentences").forEach(n -> sentences.add(n.asText()));
            float[] labels = new float[ScanReportSample.CHEXPERT_LABELS.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (float) r.get("chexpert").get(ScanReportSample.CHEXPERT_LABELS.get(i)).asDouble();
            }
            samples.add(new ScanReportSample(r.get("study_id").asText(),
                    List.of(splitDir.resolve(r.get("image").asText())), List.copyOf(sentences), labels));
        }
        List<ScanReportSample> all = List.copyOf(samples);
        return new Dataset<>() {
            @Override
            public int size() {
                return all.size();
            }

            @Override
            public ScanReportSample get(int index) {
                return all.get(index);
            }
        };
    }

    /**
     * Every sample of the split, rebuilt from the files (images, masks, reports and ground truth): equal, field by
     * field, to what the generator produced.
     */
    public static List<SyntheticSample> readSamples(Path splitDir) {
        Path gtFile = splitDir.resolve("ground_truth.json");
        JsonNode gt;
        try {
            gt = GroundTruthJson.JSON.readTree(gtFile.toFile());
        } catch (IOException e) {
            throw new LovtException(gtFile + ": cannot read ground truth: " + e.getMessage(), e);
        }
        int size = gt.get("image_size").asInt();
        List<JsonNode> reports = reportLines(splitDir);
        JsonNode images = gt.get("images");
        if (images.size() != reports.size()) {
            throw new LovtException(splitDir + ": " + images.size() + " ground-truth entries but " + reports.size()
                    + " report lines");
        }
        List<SyntheticSample> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(sample(splitDir, images.get(i), reports.get(i), size));
        }
        return out;
    }

    static SyntheticSample sample(Path root, JsonNode img, JsonNode report, int size) {
        byte[] pixels = readImage(root.resolve(img.get("image").asText()), size);
        byte[] anatomy = readImage(root.resolve(img.get("anatomy_mask").asText()), size);
        LungZones zones = LungZones.of(anatomy, size, img.get("midline_x").asDouble());
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : img.get("findings")) {
            findings.add(new Finding(FindingType.ofKey(f.get("type").asText()), Zone.ofKey(f.get("zone").asText()),
                    GroundTruthJson.box(f.get("box")),
                    GrayImages.imageToMask(readImage(root.resolve(f.get("mask").asText()), size)),
                    f.get("anchor").get(0).asInt(), f.get("anchor").get(1).asInt(), f.get("uncertain").asBoolean()));
        }
        List<List<ReportSentence>> sections = GroundTruthJson.sentences(img);
        return new SyntheticSample(img.get("seed").asLong(), img.get("index").asInt(), size,
                View.valueOf(img.get("view").asText()), pixels, anatomy, zones, findings, sections.get(0),
                sections.get(1), img.get("cardiomegaly").asBoolean(),
                img.get("edema").asBoolean(), GroundTruthJson.labels(report));
    }

    static byte[] readImage(Path file, int size) {
        try {
            return GrayImages.decode(Files.readAllBytes(file), size, file.toString());
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> reportLines(Path splitDir) {
        Path file = splitDir.resolve("reports.jsonl");
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(GroundTruthJson.JSON.readTree(line));
                } catch (IOException e) {
                    throw new LovtException(file + " line " + n + ": not JSON: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }
}
