package org.lovt.data.datasets.synthetic;

import java.util.Arrays;
import java.util.List;

import org.lovt.data.ScanReportSample;

/**
 * The 14 MIMIC-CXR CheXpert labels of one synthetic report, with the conventions of
 * {@code mimic-cxr-2.0.0-chexpert.csv}: {@code 1.0} positive, {@code 0.0} negative, {@code -1.0} uncertain, blank
 * (here {@code NaN}) not mentioned.
 *
 * <p>Derivation (documented so that a reader can check it against the text): a finding sentence sets its type's
 * labels ({@link FindingType#chexpertLabels()}) to 1.0, or -1.0 when hedged; an enlarged heart sets Cardiomegaly
 * 1.0; pulmonary edema sets Edema 1.0 (-1.0 when hedged); each negative statement sets its label to 0.0 ("No
 * pleural effusion." → Pleural Effusion, "Heart size is normal." → Cardiomegaly, "No pulmonary edema." → Edema,
 * "No pneumothorax." → Pneumothorax, "... no focal consolidation" → Consolidation, "No pulmonary nodules" → Lung
 * Lesion, "No atelectasis." → Atelectasis, "No displaced rib fracture." → Fracture, "The cardiomediastinal
 * silhouette is normal." → Enlarged Cardiomediastinum). Several mentions aggregate like the CheXpert labeler: any
 * 1.0 → 1.0, else any -1.0 → -1.0, else 0.0. No Finding is 1.0 when no label other than Support Devices is 1.0 or
 * -1.0, else blank (never 0.0, as in MIMIC). Pleural Other and Pneumonia are never mentioned.
 */
public final class ChexpertLabels {
    /**
     * The 14 labels in the column order of {@code mimic-cxr-2.0.0-chexpert.csv}, the order of the values here (the
     * one list of names is {@link org.lovt.data.datasets.mimic.ChexpertLabels}).
     */
    public static final List<String> LABELS = org.lovt.data.datasets.mimic.ChexpertLabels.CSV_COLUMNS;

    private static final int NO_FINDING = LABELS.indexOf("No Finding");
    private static final int SUPPORT_DEVICES = LABELS.indexOf("Support Devices");

    private final double[] values;

    private ChexpertLabels(double[] values) {
        this.values = values;
    }

    /** The labels from per-column values (NaN = blank), in {@link #LABELS} order. */
    public static ChexpertLabels of(double[] values) {
        if (values.length != LABELS.size()) {
            throw new IllegalArgumentException("expected " + LABELS.size() + " values, got " + values.length);
        }
        for (double v : values) {
            if (!(Double.isNaN(v) || v == 1.0 || v == 0.0 || v == -1.0)) {
                throw new IllegalArgumentException("CheXpert values are 1.0, 0.0, -1.0 or NaN, got " + v);
            }
        }
        return new ChexpertLabels(values.clone());
    }

    /** The value of a label: 1.0, 0.0, -1.0, or NaN for blank. */
    public double get(String label) {
        int i = LABELS.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown CheXpert label '" + label + "'");
        }
        return values[i];
    }

    /** All 14 values in {@link #LABELS} order (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The CSV cell of label {@code i}: {@code 1.0}, {@code 0.0}, {@code -1.0} or empty. */
    public String csvCell(int i) {
        double v = values[i];
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /**
     * The five binary labels of {@link ScanReportSample#CHEXPERT_LABELS} with LoVT's U-ones mapping (positive and
     * uncertain → 1, negative and blank → 0; spec lovt-data-eval §1.5).
     */
    public float[] binary() {
        List<String> names = ScanReportSample.CHEXPERT_LABELS;
        float[] out = new float[names.size()];
        for (int i = 0; i < out.length; i++) {
            double v = get(names.get(i));
            out[i] = v == 1.0 || v == -1.0 ? 1f : 0f;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChexpertLabels c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ChexpertLabels{");
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                b.append(b.length() > 15 ? ", " : "").append(LABELS.get(i)).append('=').append(values[i]);
            }
        }
        return b.append('}').toString();
    }

    /** Collects mentions and aggregates them like the CheXpert labeler. */
    static final class Builder {
        private final double[] v = new double[LABELS.size()];

        Builder() {
            Arrays.fill(v, Double.NaN);
        }

        /** Records one mention of {@code label} with value 1.0, 0.0 or -1.0. */
        Builder mention(String label, double value) {
            int i = LABELS.indexOf(label);
            if (i < 0 || i == NO_FINDING) {
                throw new IllegalArgumentException("not a mentionable label: " + label);
            }
            double old = v[i];
            if (Double.isNaN(old) || rank(value) > rank(old)) {
                v[i] = value;
            }
            return this;
        }

        private static int rank(double value) {
            return value == 1.0 ? 2 : value == -1.0 ? 1 : 0;
        }

        ChexpertLabels build() {
            double[] out = v.clone();
            boolean pathology = false;
            for (int i = 0; i < out.length; i++) {
                if (i != NO_FINDING && i != SUPPORT_DEVICES && (out[i] == 1.0 || out[i] == -1.0)) {
                    pathology = true;
                }
            }
            out[NO_FINDING] = pathology ? Double.NaN : 1.0;
            return new ChexpertLabels(out);
        }
    }
}
