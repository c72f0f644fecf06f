package org.lovt.data.datasets.synthetic;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of synthetic finding, each with the MIMIC-CXR (CheXpert labeler) labels a report sentence about it
 * sets. A finding sentence sets its labels to {@code 1.0}, or {@code -1.0} when it is hedged ("possible ...").
 */
public enum FindingType {
    /** Patchy airspace opacity (consolidation) inside one zone. Sets Consolidation and Lung Opacity. */
    OPACITY(List.of("Consolidation", "Lung Opacity")),
    /** Small round well-defined density. Sets Lung Lesion. */
    NODULE(List.of("Lung Lesion")),
    /**
     * Basal haze with a meniscus that blunts the costophrenic angle; always in a lower zone. Sets Pleural Effusion.
     */
    EFFUSION(List.of("Pleural Effusion")),
    /** Plate-like (linear) band in a middle or lower zone. Sets Atelectasis. */
    ATELECTASIS(List.of("Atelectasis")),
    /**
     * Radiopaque line (central venous catheter) entering at the neck; it crosses zones, and its zone is the zone of
     * its tip. Sets Support Devices.
     */
    DEVICE(List.of("Support Devices"));

    private final List<String> chexpertLabels;

    FindingType(List<String> chexpertLabels) {
        this.chexpertLabels = chexpertLabels;
    }

    /** The MIMIC-CXR CheXpert columns a sentence describing this finding makes positive (or uncertain). */
    public List<String> chexpertLabels() {
        return chexpertLabels;
    }

    /** Key used in the ground-truth files ({@code opacity}, {@code nodule}, ...). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this {@link #key()}. */
    public static FindingType ofKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
