package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One prepared study: the fields of the original's example (spec lovt-data-eval §1.2 step 10) plus its binary
 * labels, written as one JSON line in the original's field order.
 *
 * @param patientId       subject id without {@code p}
 * @param studyId         study id without {@code s}
 * @param studyDate       {@code StudyDate} (yyyymmdd), or null if the metadata has none
 * @param views           the study's AP/PA images that could be read, in split-CSV order
 * @param scanPixelMean   mean of the view means (stored as float32, as the original's {@code float} feature)
 * @param scanPixelVar    mean of the view variances + variance of the view means (float32)
 * @param fullText        the report as read
 * @param findings        sentences and token count of the findings section
 * @param impression      sentences and token count of the impression section
 * @param chexpertClasses the 14 stored CheXpert classes in {@link ChexpertLabels#ALL} order
 * @param chexpertBinary  the 5 U-ones labels in {@link ChexpertLabels#BINARY} order
 */
record PreparedStudy(String patientId, String studyId, Integer studyDate, List<View> views, float scanPixelMean,
                     float scanPixelVar, String fullText, ReportSentenceSplitter.Result findings,
                     ReportSentenceSplitter.Result impression, int[] chexpertClasses, int[] chexpertBinary) {

    /**
     * One image of the study.
     *
     * @param dicomId   image id
     * @param view      {@code ViewPosition} (PA or AP)
     * @param viewName  {@code ViewCodeSequence_CodeMeaning}, "nan" when empty (the original's {@code str(NaN)})
     * @param width     columns
     * @param height    rows
     * @param pixelMean mean of pixels / 255 (float32)
     * @param pixelVar  population variance of pixels / 255 (float32)
     */
    record View(String dicomId, String view, String viewName, int width, int height, float pixelMean,
                float pixelVar) {}

    /** {@code findings_sentences + impression_sentences}: what pre-training uses. */
    List<String> sentences() {
        List<String> s = new ArrayList<>(findings.sentences());
        s.addAll(impression.sentences());
        return s;
    }

    /** Relative image path below {@code images/}: {@code pXX/pSUBJECT/sSTUDY/DICOM.jpg}. */
    String imageFile(View v) {
        return "p" + patientId.substring(0, 2) + "/p" + patientId + "/s" + studyId + "/" + v.dicomId() + ".jpg";
    }

    /**
     * Writes the study as one JSON object. The text fields keep the original's quirk (spec §1.2 step 5):
     * {@code findings_text} and {@code impression_text} both hold the full report and {@code text} holds it twice.
     */
    void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("patient_id", patientId);
        g.writeStringField("study_id", studyId);
        if (studyDate == null) {
            g.writeNullField("study_date");
        } else {
            g.writeNumberField("study_date", studyDate);
        }
        // HF stores a Sequence of dicts as a dict of lists.
        g.writeObjectFieldStart("scan");
        stringList(g, "dicom_id", views.stream().map(View::dicomId).toList());
        stringList(g, "view", views.stream().map(View::view).toList());
        stringList(g, "view_name", views.stream().map(View::viewName).toList());
        g.writeArrayFieldStart("width");
        for (View v : views) {
            g.writeNumber(v.width());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("height");
        for (View v : views) {
            g.writeNumber(v.height());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("pixel_mean");
        for (View v : views) {
            g.writeNumber((double) v.pixelMean());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("pixel_var");
        for (View v : views) {
            g.writeNumber((double) v.pixelVar());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeNumberField("num_scans", views.size());
        g.writeNumberField("scan_pixel_mean", (double) scanPixelMean);
        g.writeNumberField("scan_pixel_var", (double) scanPixelVar);

        List<String> sentences = sentences();
        g.writeObjectFieldStart("report");
        g.writeStringField("full_text", fullText);
        g.writeStringField("findings_text", fullText);
        g.writeStringField("impression_text", fullText);
        g.writeStringField("text", fullText + " " + fullText);
        stringList(g, "findings_sentences", findings.sentences());
        stringList(g, "impression_sentences", impression.sentences());
        stringList(g, "sentences", sentences);
        g.writeNumberField("num_findings_sentences", findings.sentences().size());
        g.writeNumberField("num_impression_sentences", impression.sentences().size());
        g.writeNumberField("num_sentences", sentences.size());
        g.writeNumberField("num_findings_tokens", findings.numTokens());
        g.writeNumberField("num_impression_tokens", impression.numTokens());
        g.writeNumberField("num_tokens", findings.numTokens() + impression.numTokens());
        g.writeEndObject();

        g.writeObjectFieldStart("chexpert_labels");
        for (int i = 0; i < ChexpertLabels.ALL.size(); i++) {
            g.writeNumberField(ChexpertLabels.ALL.get(i), chexpertClasses[i]);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("chexpert_bin_labels");
        for (int i = 0; i < ChexpertLabels.BINARY.size(); i++) {
            g.writeNumberField(ChexpertLabels.BINARY.get(i), chexpertBinary[i]);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void stringList(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
