package org.lovt.data.datasets.mimic;

import java.util.List;

import org.lovt.data.ScanReportSample;

/**
 * The 14 CheXpert labels of MIMIC-CXR-JPG ({@code mimic-cxr-2.0.0-chexpert.csv}) as the original stores them, and
 * their binary U-ones mapping (spec lovt-data-eval §1.2 step 9 and §1.5).
 *
 * <p>Stored classes (HF {@code ClassLabel}): {@code negative=0, positive=1, uncertain=2, blank=3} for 13 findings;
 * {@code blank=0, positive=1} for "No Finding". CSV values: {@code 1.0} positive, {@code 0.0} negative, {@code -1.0}
 * uncertain, empty blank. U-ones ({@code map_to_binary(mode='U_pos')}): positive and uncertain are 1, negative and
 * blank are 0.
 */
public final class ChexpertLabels {
    private ChexpertLabels() {}

    /** The 14 labels in the original's feature order (the order of {@code chexpert_labels} on disk). */
    public static final List<String> ALL = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
            "Enlarged Cardiomediastinum", "Fracture", "Lung Lesion", "Lung Opacity", "Pleural Effusion", "Pneumonia",
            "Pneumothorax", "Pleural Other", "Support Devices", "No Finding");

    /**
     * The same 14 labels in the column order of {@code mimic-cxr-2.0.0-chexpert.csv}, which is alphabetical (the
     * reader finds columns by name; the synthetic MIMIC export writes them in this order).
     */
    public static final List<String> CSV_COLUMNS = ALL.stream().sorted().toList();

    /** The 5 binary labels, in the order used everywhere ({@code chexpert_labels()}). */
    public static final List<String> BINARY = ScanReportSample.CHEXPERT_LABELS;

    /** Class names of the 13 findings, by stored index. */
    public static final List<String> FINDING_CLASSES = List.of("negative", "positive", "uncertain", "blank");
    /** Class names of "No Finding", by stored index. */
    public static final List<String> NO_FINDING_CLASSES = List.of("blank", "positive");

    /** A label's value in the CSV. */
    public enum Value {
        NEGATIVE, POSITIVE, UNCERTAIN, BLANK;

        /** U-ones: positive and uncertain are 1, negative and blank 0. */
        public int uOnes() {
            return this == POSITIVE || this == UNCERTAIN ? 1 : 0;
        }
    }

    /**
     * Parses a CSV field as pandas does: empty is blank, otherwise a number that must be 1, 0 or -1.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Value parse(String field) {
        String s = field.strip();
        if (s.isEmpty()) {
            return Value.BLANK;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CheXpert value: '" + field + "'");
        }
        if (Double.isNaN(v)) {
            return Value.BLANK; // pandas reads "nan"/"NaN" as missing
        }
        if (v == 1.0) {
            return Value.POSITIVE;
        }
        if (v == 0.0) {
            return Value.NEGATIVE;
        }
        if (v == -1.0) {
            return Value.UNCERTAIN;
        }
        throw new IllegalArgumentException("not a CheXpert value (1, 0, -1 or empty): '" + field + "'");
    }

    /**
     * The stored class index of a value. "No Finding" has only blank and positive; the caller maps other values
     * to blank (and reports it).
     */
    public static int classIndex(String label, Value v) {
        if (label.equals("No Finding")) {
            return v == Value.POSITIVE ? 1 : 0;
        }
        return switch (v) {
            case NEGATIVE -> 0;
            case POSITIVE -> 1;
            case UNCERTAIN -> 2;
            case BLANK -> 3;
        };
    }

    /**
     * The 5 binary U-ones labels from the 14 values in {@link #ALL} order.
     *
     * @return 0/1 values in {@link #BINARY} order
     */
    public static int[] binaryUOnes(Value[] all) {
        int[] out = new int[BINARY.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all[ALL.indexOf(BINARY.get(i))].uOnes();
        }
        return out;
    }
}
