package org.lovt.data.datasets.synthetic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lovt.torch.Seeds;
import org.lovt.util.Csv;

/**
 * Writes synthetic splits in the MIMIC-CXR-JPG 2.0.0 + MIMIC-CXR 2.0.0 reports layout, so that the MIMIC-CXR
 * preparation reads them like the real data (file layout, id formats, CSV columns and compression as described in
 * {@code testdata/data/mimic-cxr-sample/README.md}). Atomic: a temporary sibling folder renamed at the end.
 *
 * <p>Every study has one subject and one frontal image ({@code ViewPosition} PA or AP). Splits map to the
 * official names: train → {@code train}, validation → {@code validate}, test → {@code test}. CheXpert CSV values
 * are {@code 1.0}, {@code 0.0}, {@code -1.0} or empty ({@link ChexpertLabels}). Images are baseline JPEGs (quality
 * 95, like the sample). Dates are in the shifted years 2110-2189, times in MIMIC's {@code HHMMSS.fff} float style.
 *
 * <p>Beside the MIMIC files: {@code synthetic-ground-truth.json} (as in {@link SyntheticWriter}, plus
 * {@code subject_id}, {@code study_id}, {@code dicom_id} and {@code split} per image; paths relative to the output
 * folder) and {@code synthetic-masks/}.
 */
final class MimicCxrExport {
    /** Where the two MIMIC downloads go. */
    public enum Layout {
        /**
         * Like the shared MIMIC-CXR sample: one {@code files/} tree with the {@code .jpg} study folders and the
         * {@code .txt} reports beside them, and the three {@code mimic-cxr-2.0.0-*.csv.gz} files (plus uncompressed
         * {@code .csv} copies) in the output folder.
         */
        SAMPLE,
        /**
         * LoVT's builder root: {@code mimic-cxr-jpg_2-0-0/{files,mimic-cxr-2.0.0-*.csv.gz}} and
         * {@code mimic-cxr_2-0-0/mimic-cxr-reports/files/...txt} (the extracted reports zip).
         */
        LOVT_ROOT
    }

    static final List<String> METADATA_COLUMNS = List.of("dicom_id", "subject_id", "study_id",
            "PerformedProcedureStepDescription", "ViewPosition", "Rows", "Columns", "StudyDate", "StudyTime",
            "ProcedureCodeSequence_CodeMeaning", "ViewCodeSequence_CodeMeaning",
            "PatientOrientationCodeSequence_CodeMeaning");
    static final List<String> SPLIT_COLUMNS = List.of("dicom_id", "study_id", "subject_id", "split");
    static final int JPEG_QUALITY = 95;

    private MimicCxrExport() {}

    /** Exports with all available processors. */
    public static SyntheticWriter.Summary export(Path out, List<SyntheticDataset> splits, Layout layout)
            throws IOException {
        return export(out, splits, layout, Runtime.getRuntime().availableProcessors());
    }

    /** Exports with {@code threads} worker threads (the output does not depend on it). */
    public static SyntheticWriter.Summary export(Path out, List<SyntheticDataset> splits, Layout layout, int threads)
            throws IOException {
        SyntheticWriter.checkSplits(splits);
        long t0 = System.nanoTime();
        int[] total = {0};
        try (org.lovt.util.StagingDir staging = org.lovt.util.StagingDir.begin(out)) {
            total[0] = write(staging.dir(), splits, layout, threads);
            staging.commit();
        }
        return new SyntheticWriter.Summary(out, total[0], (System.nanoTime() - t0) / 1e9);
    }

    private record Study(String metadata, String split, String chexpert, ObjectNode truth) {}

    private static int write(Path dir, List<SyntheticDataset> splits, Layout layout, int threads) throws IOException {
        Path jpgRoot = layout == Layout.SAMPLE ? dir : dir.resolve("mimic-cxr-jpg_2-0-0");
        Path reportRoot = layout == Layout.SAMPLE ? dir : dir.resolve("mimic-cxr_2-0-0").resolve("mimic-cxr-reports");
        Files.createDirectories(dir.resolve("synthetic-masks"));
        StringBuilder metadata = new StringBuilder(Csv.line(METADATA_COLUMNS)).append(Csv.LF);
        StringBuilder splitCsv = new StringBuilder(Csv.line(SPLIT_COLUMNS)).append(Csv.LF);
        List<String> chexpertColumns = new ArrayList<>(List.of("subject_id", "study_id"));
        chexpertColumns.addAll(ChexpertLabels.LABELS);
        StringBuilder chexpert = new StringBuilder(Csv.line(chexpertColumns)).append(Csv.LF);
        List<ObjectNode> truths = new ArrayList<>();
        int[] studyIds = SyntheticIds.studyIds(splits.stream().mapToInt(SyntheticDataset::size).sum());
        int ordinal = 0;
        for (SyntheticDataset split : splits) {
            int first = ordinal;
            String official = split.split().equals("validation") ? "validate" : split.split();
            OrderedParallel.run(split.size(), threads, i -> study(dir, jpgRoot, reportRoot, split, official, first + i,
                    studyIds[first + i], i), st -> {
                        metadata.append(st.metadata());
                        splitCsv.append(st.split());
                        chexpert.append(st.chexpert());
                        truths.add(st.truth());
                    });
            ordinal += split.size();
        }
        writeCsv(jpgRoot, "mimic-cxr-2.0.0-metadata.csv", metadata, layout);
        writeCsv(jpgRoot, "mimic-cxr-2.0.0-split.csv", splitCsv, layout);
        writeCsv(jpgRoot, "mimic-cxr-2.0.0-chexpert.csv", chexpert, layout);
        ObjectNode header = GroundTruthJson.header(splits.get(0).imageSize());
        header.put("seed", splits.get(0).seed());
        String head = GroundTruthJson.JSON.writeValueAsString(header);
        StringBuilder gt = new StringBuilder(head.substring(0, head.length() - 1)).append(",\"images\":[\n");
        for (int i = 0; i < truths.size(); i++) {
            gt.append(GroundTruthJson.JSON.writeValueAsString(truths.get(i))).append(i + 1 < truths.size() ? ",\n"
                    : "\n");
        }
        Files.writeString(dir.resolve("synthetic-ground-truth.json"), gt.append("]}\n"), StandardCharsets.UTF_8);
        return ordinal;
    }

    private static Study study(Path dir, Path jpgRoot, Path reportRoot, SyntheticDataset split, String official,
                               int ordinal, int study, int index) throws IOException {
        SyntheticSample s = split.get(index);
        int subject = SyntheticIds.subjectId(ordinal);
        String dicom = SyntheticIds.dicomId(split.splitSeed(), split.split(), index);
        String subjectDir = "files/" + SyntheticIds.subjectFolder(subject) + "/p" + subject;
        String jpg = subjectDir + "/s" + study + "/" + dicom + ".jpg";
        String txt = subjectDir + "/s" + study + ".txt";
        Files.createDirectories(jpgRoot.resolve(jpg).getParent());
        Files.write(jpgRoot.resolve(jpg), GrayImages.jpeg(s.pixels(), s.size(), JPEG_QUALITY));
        Files.createDirectories(reportRoot.resolve(txt).getParent());
        Files.writeString(reportRoot.resolve(txt), MimicReportText.format(s), StandardCharsets.UTF_8);
        String anatomy = "synthetic-masks/" + dicom + "_anatomy.png";
        Files.write(dir.resolve(anatomy), GrayImages.png(s.anatomy(), s.size()));
        List<String> masks = new ArrayList<>();
        for (int k = 0; k < s.findings().size(); k++) {
            String m = "synthetic-masks/" + dicom + "_f" + k + ".png";
            Files.write(dir.resolve(m), GrayImages.png(GrayImages.maskToImage(s.findings().get(k).mask()), s.size()));
            masks.add(m);
        }
        ObjectNode truth = GroundTruthJson.image(s, dir.relativize(jpgRoot.resolve(jpg)).toString().replace('\\', '/'),
                anatomy, masks);
        truth.put("report", dir.relativize(reportRoot.resolve(txt)).toString().replace('\\', '/'));
        truth.put("subject_id", subject);
        truth.put("study_id", study);
        truth.put("dicom_id", dicom);
        truth.put("split", official);

        SplittableRandom r = Seeds.javaRandom(split.splitSeed(), "synthetic-cxr/metadata/" + index);
        String procedure = MimicReportText.procedure(s.view());
        String orientation = s.view() == View.PA ? "Erect" : List.of("", "Erect", "Recumbent").get(r.nextInt(3));
        String metadata = Csv.line(dicom, Integer.toString(subject), Integer.toString(study), procedure,
                s.view().name(), Integer.toString(s.size()), Integer.toString(s.size()), studyDate(r), studyTime(r),
                procedure, s.view() == View.AP ? "antero-posterior" : "postero-anterior", orientation) + Csv.LF;
        String splitRow = Csv.line(dicom, Integer.toString(study), Integer.toString(subject), official) + Csv.LF;
        List<String> labels = new ArrayList<>(List.of(Integer.toString(subject), Integer.toString(study)));
        for (int i = 0; i < ChexpertLabels.LABELS.size(); i++) {
            labels.add(s.labels().csvCell(i));
        }
        return new Study(metadata, splitRow, Csv.line(labels) + Csv.LF, truth);
    }

    /** {@code yyyymmdd} in the shifted years 2110-2189 (MIMIC shifts dates into the future). */
    static String studyDate(SplittableRandom r) {
        int year = 2110 + r.nextInt(80);
        int month = 1 + r.nextInt(12);
        int day = 1 + r.nextInt(28);
        return String.format("%04d%02d%02d", year, month, day);
    }

    /** {@code HHMMSS.fff} written as MIMIC's float: no leading zero, no trailing zeros (e.g. 74801.231). */
    static String studyTime(SplittableRandom r) {
        int hhmmss = r.nextInt(24) * 10000 + r.nextInt(60) * 100 + r.nextInt(60);
        String frac = String.format("%03d", 1 + r.nextInt(999)).replaceAll("0+$", "");
        return hhmmss + "." + frac;
    }

    private static void writeCsv(Path root, String name, CharSequence content, Layout layout) throws IOException {
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(root);
        Files.write(root.resolve(name + ".gz"), Gzip.compress(bytes, name));
        if (layout == Layout.SAMPLE) {
            Files.write(root.resolve(name), bytes); // the sample ships both, with identical content
        }
    }
}
