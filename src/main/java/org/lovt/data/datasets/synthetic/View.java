package org.lovt.data.datasets.synthetic;

/** Frontal projection of a synthetic radiograph; only its metadata differ (MIMIC {@code ViewPosition}). */
public enum View {
    /** Postero-anterior, erect (department film). */
    PA,
    /** Antero-posterior (portable film). */
    AP
}
