package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One synthetic chest radiograph with its report and localisation ground truth.
 *
 * @param seed       generator seed
 * @param index      sample index under that seed
 * @param size       image width and height in pixels
 * @param view       PA or AP (metadata only)
 * @param pixels     row-major 8-bit grayscale image ({@code size * size} bytes, unsigned), MONOCHROME2 (air dark)
 * @param anatomy    row-major label map: {@link #OUTSIDE}, {@link #BODY}, {@link #RIGHT_LUNG}, {@link #LEFT_LUNG}
 * @param zones      the six zone boxes and the zone rule ({@link LungZones})
 * @param findings   the drawn findings, in generation order (sentence {@code finding} indices point here)
 * @param findingsSection the FINDINGS sentences, shuffled
 * @param impression the IMPRESSION sentences (one, never describing a finding)
 * @param cardiomegaly whether the heart is drawn enlarged (cardiothoracic ratio above 0.55); the report says so in a
 *                   sentence about the heart (finding index -1: it has no zone)
 * @param edema      whether pulmonary edema is drawn (bilateral perihilar haze, prominent vessels); the report says
 *                   so (possibly hedged) in a sentence with finding index -1, topic {@code edema}
 * @param labels     the 14 MIMIC-CXR CheXpert labels implied by the report
 */
public record SyntheticSample(long seed, int index, int size, View view, byte[] pixels, byte[] anatomy,
                              LungZones zones, List<Finding> findings, List<ReportSentence> findingsSection,
                              List<ReportSentence> impression, boolean cardiomegaly, boolean edema,
                              ChexpertLabels labels) {
    /** Label map value outside the body. */
    public static final byte OUTSIDE = 0;
    /** Label map value of the body outside the lung fields (mediastinum, heart, chest wall, abdomen, neck). */
    public static final byte BODY = 1;
    /** Label map value of the patient's right lung field (image left). */
    public static final byte RIGHT_LUNG = 2;
    /** Label map value of the patient's left lung field (image right). */
    public static final byte LEFT_LUNG = 3;

    public SyntheticSample {
        Objects.requireNonNull(view, "view");
        if (pixels.length != size * size || anatomy.length != size * size) {
            throw new IllegalArgumentException("pixels and anatomy must hold size * size = " + size * size + " bytes");
        }
        findings = List.copyOf(findings);
        findingsSection = List.copyOf(findingsSection);
        impression = List.copyOf(impression);
    }

    /** All report sentences in order: FINDINGS, then IMPRESSION (the order LoVT's data preparation gives). */
    public List<ReportSentence> reportSentences() {
        List<ReportSentence> all = new ArrayList<>(findingsSection);
        all.addAll(impression);
        return all;
    }

    /** The sentence texts of {@link #reportSentences()}. */
    public List<String> sentences() {
        return reportSentences().stream().map(ReportSentence::text).toList();
    }

    /** For each sentence of {@link #reportSentences()}, the index of the finding it describes, or -1. */
    public int[] sentenceFindings() {
        return reportSentences().stream().mapToInt(ReportSentence::finding).toArray();
    }

    /** The five binary U-ones labels (Cardiomegaly, Edema, Consolidation, Atelectasis, Pleural Effusion). */
    public float[] chexpertBinary() {
        return labels.binary();
    }

    /** The zone boxes, keyed by zone. */
    public Map<Zone, Box> zoneBoxes() {
        return zones.boxes();
    }
}
