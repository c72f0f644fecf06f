package org.lovt.data.datasets.synthetic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes synthetic splits to a new folder, atomically (a temporary sibling renamed at the end):
 *
 * <pre>
 * out/
 *   synthetic.json                 seed, image size, per split: split seed and count, conventions
 *   train/                         (likewise validation/, test/)
 *     images/000000.png            8-bit grayscale image
 *     masks/000000_anatomy.png     label map: 0 outside, 1 body, 2 right lung field, 3 left lung field
 *     masks/000000_f0.png          one 0/255 mask per finding, in finding order
 *     reports.jsonl                per image: id, study_id, image, view, sentences (FINDINGS then IMPRESSION),
 *                                  num_findings_sentences, chexpert (5 binary U-ones), chexpert_labels (14,
 *                                  null = blank)
 *     ground_truth.json            conventions + per image: zones, findings (type, zone, box, mask, anchor,
 *                                  uncertain, sentence), sentences (text, finding, topic, section), cardiomegaly,
 *                                  edema
 * </pre>
 *
 * Ids are the zero-padded index in the split; study ids ({@code s5xxxxxxx}) number the studies over all splits in
 * the order given, as the MIMIC-CXR export does.
 */
public final class SyntheticWriter {
    /** What was written. */
    public record Summary(Path folder, int images, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    private SyntheticWriter() {}

    /** Writes the splits using all available processors. */
    public static Summary write(Path out, List<SyntheticDataset> splits) throws IOException {
        return write(out, splits, Runtime.getRuntime().availableProcessors());
    }

    /** Writes the splits with {@code threads} worker threads (the output does not depend on it). */
    public static Summary write(Path out, List<SyntheticDataset> splits, int threads) throws IOException {
        checkSplits(splits);
        long t0 = System.nanoTime();
        int[] total = {0};
        try (org.lovt.util.StagingDir staging = org.lovt.util.StagingDir.begin(out)) {
            Path dir = staging.dir();
            ObjectNode meta = GroundTruthJson.JSON.createObjectNode();
            meta.put("format", GroundTruthJson.FORMAT);
            meta.put("version", GroundTruthJson.VERSION);
            meta.put("seed", splits.get(0).seed());
            meta.put("image_size", splits.get(0).imageSize());
            ObjectNode splitNode = meta.putObject("splits");
            int[] studyIds = SyntheticIds.studyIds(splits.stream().mapToInt(SyntheticDataset::size).sum());
            int ordinal = 0;
            for (SyntheticDataset split : splits) {
                writeSplit(dir.resolve(split.split()), split, studyIds, ordinal, threads);
                ObjectNode sn = splitNode.putObject(split.split());
                sn.put("split_seed", split.splitSeed());
                sn.put("count", split.size());
                ordinal += split.size();
            }
            meta.setAll(GroundTruthJson.header(splits.get(0).imageSize()));
            Files.writeString(dir.resolve("synthetic.json"),
                    GroundTruthJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta) + "\n");
            total[0] = ordinal;
            staging.commit();
        }
        return new Summary(out, total[0], (System.nanoTime() - t0) / 1e9);
    }

    static void checkSplits(List<SyntheticDataset> splits) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("no split to write");
        }
        List<String> names = new ArrayList<>();
        for (SyntheticDataset s : splits) {
            if (s.seed() != splits.get(0).seed() || s.imageSize() != splits.get(0).imageSize()) {
                throw new IllegalArgumentException("all splits must share seed and image size");
            }
            if (names.contains(s.split())) {
                throw new IllegalArgumentException("split '" + s.split() + "' given twice");
            }
            names.add(s.split());
        }
    }

    private record Written(ObjectNode report, ObjectNode truth) {}

    private static void writeSplit(Path dir, SyntheticDataset split, int[] studyIds, int firstOrdinal, int threads)
            throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("masks"));
        StringBuilder reports = new StringBuilder();
        List<ObjectNode> truths = new ArrayList<>();
        OrderedParallel.run(split.size(), threads, i -> {
            SyntheticSample s = split.get(i);
            String id = String.format("%06d", i);
            String image = "images/" + id + ".png";
            String anatomy = "masks/" + id + "_anatomy.png";
            Files.write(dir.resolve(image), GrayImages.png(s.pixels(), s.size()));
            Files.write(dir.resolve(anatomy), GrayImages.png(s.anatomy(), s.size()));
            List<String> masks = new ArrayList<>();
            for (int k = 0; k < s.findings().size(); k++) {
                String m = "masks/" + id + "_f" + k + ".png";
                Files.write(dir.resolve(m), GrayImages.png(GrayImages.maskToImage(s.findings().get(k).mask()),
                        s.size()));
                masks.add(m);
            }
            ObjectNode truth = GroundTruthJson.image(s, image, anatomy, masks);
            truth.put("id", id);
            String studyId = "s" + studyIds[firstOrdinal + i];
            truth.put("study_id", studyId);
            return new Written(GroundTruthJson.report(s, id, studyId, image), truth);
        }, w -> {
            reports.append(GroundTruthJson.JSON.writeValueAsString(w.report())).append('\n');
            truths.add(w.truth());
        });
        Files.writeString(dir.resolve("reports.jsonl"), reports, StandardCharsets.UTF_8);
        writeGroundTruth(dir.resolve("ground_truth.json"), GroundTruthJson.header(split.imageSize()), split, truths);
    }

    /** The header fields, then one compact image entry per line (readable, and diff-friendly). */
    static void writeGroundTruth(Path file, ObjectNode header, SyntheticDataset split, List<ObjectNode> images)
            throws IOException {
        header.put("split", split.split());
        header.put("split_seed", split.splitSeed());
        String head = GroundTruthJson.JSON.writeValueAsString(header);
        StringBuilder b = new StringBuilder(head.substring(0, head.length() - 1)).append(",\"images\":[\n");
        for (int i = 0; i < images.size(); i++) {
            b.append(GroundTruthJson.JSON.writeValueAsString(images.get(i)));
            b.append(i + 1 < images.size() ? ",\n" : "\n");
        }
        Files.writeString(file, b.append("]}\n"), StandardCharsets.UTF_8);
    }
}
