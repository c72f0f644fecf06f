package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.lovt.util.Csv;

/**
 * The small files of a prepared dataset besides the per-split samples: {@code dataset_statistics.json},
 * {@code dataset_dict.json}, {@code <split>/dataset_info.json}, {@code issues.csv} and {@code preparation.json}.
 */
final class DatasetFiles {
    private DatasetFiles() {}

    /** The original's {@code PIXEL_STATS_FILE_NAME}. */
    static final String STATISTICS_FILE = "dataset_statistics.json";
    static final String ISSUES_FILE = "issues.csv";
    static final String PREPARATION_FILE = "preparation.json";

    static void writeMetadata(Path dir, Map<String, SplitWriter> splits, PrepareSummary summary, MimicSource src,
                              MimicCxrPreparer.Options o, SplitLists lists) throws IOException {
        Files.writeString(dir.resolve("dataset_dict.json"), "{\"splits\": [\"train\", \"validation\", \"test\"]}",
                StandardCharsets.UTF_8);
        for (Map.Entry<String, SplitWriter> e : splits.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()).resolve("dataset_info.json"), datasetInfo(e.getValue()),
                    StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve(ISSUES_FILE), issuesCsv(summary), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(PREPARATION_FILE), preparation(summary, src, o, lists), StandardCharsets.UTF_8);
        // Last: readers take the statistics file as the mark of a dataset folder.
        Files.writeString(dir.resolve(STATISTICS_FILE), statistics(splits), StandardCharsets.UTF_8);
    }

    /**
     * {@code save_dataset}'s statistics, in Python {@code json.dump}'s layout (one line, ", " and ": "); an empty
     * split has pixel mean and std 0 and NaN weights, as in the original.
     */
    static String statistics(Map<String, SplitWriter> splits) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, SplitWriter> e : splits.entrySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            PixelStats.MeanVar px = e.getValue().pixelStats();
            b.append('"').append(e.getKey()).append("\": {\"scan\": {\"pixel_mean\": ").append(py(px.mean()))
                    .append(", \"pixel_std\": ").append(py(px.std())).append("}, \"chexpert_bin_pos_weights\": {");
            double[] w = e.getValue().chexpertPosWeights();
            for (int i = 0; i < w.length; i++) {
                b.append(i > 0 ? ", " : "").append('"').append(ChexpertLabels.BINARY.get(i)).append("\": ")
                        .append(py(w[i]));
            }
            b.append("}}");
        }
        return b.append('}').toString();
    }

    /** A double as Python's json writes it for the values that occur here (NaN for not-a-number). */
    static String py(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return Double.toString(v);
    }

    private static String datasetInfo(SplitWriter w) throws IOException {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(s).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("config_name", "mimic-cxr_ap-pa");
            g.writeNumberField("num_examples", w.studies());
            g.writeNumberField("num_images", w.images());
            g.writeObjectFieldStart("chexpert_label_classes");
            g.writeArrayFieldStart("findings");
            for (String c : ChexpertLabels.FINDING_CLASSES) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("No Finding");
            for (String c : ChexpertLabels.NO_FINDING_CLASSES) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("chexpert_bin_labels", "U-ones: positive and uncertain = 1, negative and blank = 0");
            g.writeEndObject();
        }
        return s + "\n";
    }

    private static String issuesCsv(PrepareSummary summary) {
        StringBuilder b = new StringBuilder(Csv.line("split", "outcome", "reason", "subject_id", "study_id",
                "dicom_id", "file", "detail")).append(Csv.LF);
        for (Issue i : summary.issues()) {
            b.append(Csv.line(i.split(), i.reason().outcome().text(), i.reason().text(), i.subjectId(), i.studyId(),
                    i.dicomId(), i.file(), i.detail())).append(Csv.LF);
        }
        return b.toString();
    }

    private static String preparation(PrepareSummary summary, MimicSource src, MimicCxrPreparer.Options o,
                                      SplitLists lists) throws IOException {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(s).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("dataset", "mimic-cxr_ap-pa (views PA/AP, sections findings + impression, "
                    + "min_section_tokens 3)");
            g.writeStringField("created", java.time.Instant.now().toString());
            String version = MimicCxrPreparer.class.getPackage().getImplementationVersion();
            g.writeStringField("lovt_version", version == null ? "development build" : version);
            g.writeStringField("sentence_splitter", "ICU4J " + com.ibm.icu.util.VersionInfo.ICU_VERSION
                    + " sentence BreakIterator with English + clinical abbreviation suppressions "
                    + "(docs/sentence-splitting.md)");
            g.writeObjectFieldStart("source");
            g.writeStringField("split_csv", (lists != null && lists.splitCsv() != null ? lists.splitCsv()
                    : src.splitCsv()).toAbsolutePath().toString());
            g.writeStringField("metadata_csv", src.metadataCsv().toAbsolutePath().toString());
            g.writeStringField("chexpert_csv", src.chexpertCsv().toAbsolutePath().toString());
            g.writeStringField("images", src.imagesRoot().toAbsolutePath().toString());
            g.writeStringField("reports", src.reports().toAbsolutePath().toString());
            if (o.splitsFrom() != null) {
                g.writeStringField("splits_from", o.splitsFrom().toAbsolutePath().toString());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("splits");
            for (Map.Entry<String, PrepareSummary.SplitCounts> e : summary.splits().entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("studies_considered", e.getValue().studies());
                g.writeNumberField("studies_kept", e.getValue().kept());
                g.writeNumberField("images_kept", e.getValue().images());
                g.writeObjectFieldStart("issues");
                for (Map.Entry<Issue.Reason, Integer> r : summary.countByReason(e.getKey()).entrySet()) {
                    g.writeNumberField(r.getKey().text(), r.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("csv_row_issues");
            for (Map.Entry<Issue.Reason, Integer> r : summary.countByReason("").entrySet()) {
                g.writeNumberField(r.getKey().text(), r.getValue());
            }
            g.writeEndObject();
            if (o.splitsFrom() != null) {
                g.writeNumberField("studies_not_in_lists", summary.notListed());
            }
            g.writeEndObject();
        }
        return s + "\n";
    }
}
