package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lovt.data.ScanReportSample;

/**
 * The JSON shapes of the written ground truth and reports, shared by the folder writer, the MIMIC-CXR export and
 * the reader. Field names are snake_case; boxes are {@code [x, y, w, h]} in pixels; mask files are 8-bit PNGs.
 */
final class GroundTruthJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FORMAT = "lovt-synthetic-cxr";
    static final int VERSION = 1;

    private GroundTruthJson() {}

    /** The conventions block at the top of every ground-truth file, so that the file explains itself. */
    static ObjectNode header(int imageSize) {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", FORMAT);
        h.put("version", VERSION);
        h.put("image_size", imageSize);
        h.put("orientation", "radiological: the patient's right is on the image left (columns whose centre x + 0.5"
                + " is below midline_x)");
        h.put("zone_rule", "side by the midline; level = min(2, 3 * (y - top) / (bottom - top + 1)) with top/bottom"
                + " the first/last row of that side's lung field; zone boxes are the tight boxes of the lung pixels"
                + " of each zone; a finding's zone is the zone of its anchor (mask centroid; a device's tip)");
        h.put("box_format", "[x, y, w, h] in pixels, x/y of the top-left pixel");
        h.put("masks", "8-bit PNG, 255 inside, 0 outside (binarise with != 0)");
        ObjectNode labels = h.putObject("anatomy_labels");
        labels.put("0", "outside the body");
        labels.put("1", "body (mediastinum, heart, chest wall, neck, abdomen)");
        labels.put("2", "patient's right lung field (image left)");
        labels.put("3", "patient's left lung field (image right)");
        return h;
    }

    /**
     * One image's ground truth. {@code masks} gives each mask's file name (anatomy first, then one per finding),
     * relative to the folder the ground-truth file is in.
     */
    static ObjectNode image(SyntheticSample s, String image, String anatomyMask, List<String> findingMasks) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", s.index());
        o.put("seed", s.seed());
        o.put("image", image);
        o.put("anatomy_mask", anatomyMask);
        o.put("view", s.view().name());
        o.put("cardiomegaly", s.cardiomegaly());
        o.put("edema", s.edema());
        o.put("midline_x", s.zones().midlineX());
        ObjectNode zones = o.putObject("zones");
        for (Map.Entry<Zone, Box> e : s.zoneBoxes().entrySet()) {
            box(zones.putArray(e.getKey().key()), e.getValue());
        }
        List<ReportSentence> sentences = s.reportSentences();
        ArrayNode fs = o.putArray("findings");
        for (int i = 0; i < s.findings().size(); i++) {
            Finding f = s.findings().get(i);
            ObjectNode fo = fs.addObject();
            fo.put("type", f.type().key());
            fo.put("zone", f.zone().key());
            box(fo.putArray("box"), f.box());
            fo.put("mask", findingMasks.get(i));
            fo.putArray("anchor").add(f.anchorX()).add(f.anchorY());
            fo.put("uncertain", f.uncertain());
            for (int k = 0; k < sentences.size(); k++) {
                if (sentences.get(k).finding() == i) {
                    fo.put("sentence", k);
                }
            }
        }
        ArrayNode ss = o.putArray("sentences");
        int nFindings = s.findingsSection().size();
        for (int k = 0; k < sentences.size(); k++) {
            ReportSentence rs = sentences.get(k);
            ObjectNode so = ss.addObject();
            so.put("text", rs.text());
            so.put("finding", rs.finding());
            so.put("topic", rs.topic());
            so.put("section", k < nFindings ? "findings" : "impression");
        }
        return o;
    }

    /** One line of {@code reports.jsonl}. */
    static ObjectNode report(SyntheticSample s, String id, String studyId, String image) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("study_id", studyId);
        o.put("image", image);
        o.put("view", s.view().name());
        ArrayNode sentences = o.putArray("sentences");
        s.sentences().forEach(sentences::add);
        o.put("num_findings_sentences", s.findingsSection().size());
        ObjectNode bin = o.putObject("chexpert");
        float[] b = s.chexpertBinary();
        for (int i = 0; i < b.length; i++) {
            bin.put(ScanReportSample.CHEXPERT_LABELS.get(i), (int) b[i]);
        }
        ObjectNode full = o.putObject("chexpert_labels");
        double[] v = s.labels().values();
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                full.putNull(ChexpertLabels.LABELS.get(i));
            } else {
                full.put(ChexpertLabels.LABELS.get(i), v[i]);
            }
        }
        return o;
    }

    private static void box(ArrayNode a, Box b) {
        a.add(b.x()).add(b.y()).add(b.w()).add(b.h());
    }

    static Box box(JsonNode a) {
        return new Box(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt(), a.get(3).asInt());
    }

    /** The CheXpert labels of a report line ({@code null} = blank). */
    static ChexpertLabels labels(JsonNode report) {
        JsonNode full = report.get("chexpert_labels");
        double[] v = new double[ChexpertLabels.LABELS.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode n = full.get(ChexpertLabels.LABELS.get(i));
            v[i] = n == null || n.isNull() ? Double.NaN : n.asDouble();
        }
        return ChexpertLabels.of(v);
    }

    /** The sentences of a ground-truth image entry, split into FINDINGS and IMPRESSION. */
    static List<List<ReportSentence>> sentences(JsonNode image) {
        List<ReportSentence> findings = new ArrayList<>();
        List<ReportSentence> impression = new ArrayList<>();
        for (JsonNode so : image.get("sentences")) {
            ReportSentence rs = new ReportSentence(so.get("text").asText(), so.get("finding").asInt(),
                    so.get("topic").asText());
            (so.get("section").asText().equals("impression") ? impression : findings).add(rs);
        }
        return List.of(findings, impression);
    }
}
