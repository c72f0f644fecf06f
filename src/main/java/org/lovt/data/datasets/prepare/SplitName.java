package org.lovt.data.datasets.prepare;

/** The three splits of every prepared data set, in the order the original writes them (spec §0). */
public enum SplitName {
    TRAIN("train"), VALIDATION("validation"), TEST("test");

    private final String key;

    SplitName(String key) {
        this.key = key;
    }

    /** The name used for {@code <name>.csv} and as key in {@code dataset_statistics.json}. */
    public String key() {
        return key;
    }

    /** The CSV file name of the split. */
    public String csvName() {
        return key + ".csv";
    }
}
