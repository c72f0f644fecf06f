package org.lovt.data.datasets.mimic;

/**
 * Something the preparation left out or noticed, with what it did about it. Written to {@code issues.csv} in the
 * prepared folder and summed up by {@link Reason} in the summary.
 *
 * @param split     {@code train}, {@code validation}, {@code test}, or "" for rows of a CSV file
 * @param reason    the kind of issue (also says whether the study, the image or the row was dropped)
 * @param subjectId subject id without the {@code p}, or ""
 * @param studyId   study id without the {@code s}, or ""
 * @param dicomId   image id, or ""
 * @param file      the file at fault (with {@code :line} for CSV rows), or ""
 * @param detail    more about it (e.g. the decoder's message), or ""
 */
public record Issue(String split, Reason reason, String subjectId, String studyId, String dicomId, String file,
                    String detail) {

    /** What an issue did to the output. */
    public enum Outcome {
        /** The whole study is not in the prepared dataset. */
        STUDY_SKIPPED("study skipped"),
        /** One image of a study is not; the study may still be there with other images. */
        IMAGE_SKIPPED("image skipped"),
        /** The image is kept, with a warning. */
        IMAGE_KEPT("image kept"),
        /** The study is kept, with a warning. */
        STUDY_KEPT("study kept"),
        /** A CSV row was ignored. */
        ROW_IGNORED("row ignored");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        /** Lower-case words, as in issues.csv. */
        public String text() {
            return text;
        }
    }

    /** Kinds of issue. The texts are stable: they appear in issues.csv and in the summary. */
    public enum Reason {
        NO_FRONTAL_VIEW(Outcome.STUDY_SKIPPED, "no AP/PA image in the metadata"),
        CUSTOM_RULE_STUDY(Outcome.STUDY_SKIPPED, "study special-cased by the official section rules (excluded)"),
        REPORT_MISSING(Outcome.STUDY_SKIPPED, "report file missing"),
        REPORT_UNREADABLE(Outcome.STUDY_SKIPPED, "report file unreadable"),
        NO_SECTIONS(Outcome.STUDY_SKIPPED, "no findings or impression section"),
        NO_SENTENCES(Outcome.STUDY_SKIPPED, "findings and impression have no sentence"),
        TOO_FEW_TOKENS(Outcome.STUDY_SKIPPED, "fewer than 3 tokens in findings + impression"),
        NO_CHEXPERT_ROW(Outcome.STUDY_SKIPPED, "no row in the CheXpert CSV"),
        NO_READABLE_IMAGE(Outcome.STUDY_SKIPPED, "no readable AP/PA image"),
        PROCESSING_ERROR(Outcome.STUDY_SKIPPED, "unexpected error while processing the study"),
        NOT_IN_CSVS(Outcome.STUDY_SKIPPED, "listed in --splits-from but not in the split/metadata CSVs"),
        IMAGE_MISSING(Outcome.IMAGE_SKIPPED, "image file missing"),
        IMAGE_UNREADABLE(Outcome.IMAGE_SKIPPED, "image file unreadable"),
        IMAGE_TRUNCATED(Outcome.IMAGE_KEPT, "truncated JPEG, decoded as far as it goes (as LOAD_TRUNCATED_IMAGES)"),
        NO_FINDING_VALUE(Outcome.STUDY_KEPT, "No Finding label neither 1.0 nor blank; stored as blank"),
        MALFORMED_ROW(Outcome.ROW_IGNORED, "malformed CSV row"),
        NO_METADATA_ROW(Outcome.ROW_IGNORED, "image of the split CSV has no metadata row (view unknown)"),
        UNKNOWN_SPLIT(Outcome.ROW_IGNORED, "split value not train/validate/test"),
        DUPLICATE_ROW(Outcome.ROW_IGNORED, "duplicate row (the first one is used)");

        private final Outcome outcome;
        private final String text;

        Reason(Outcome outcome, String text) {
            this.outcome = outcome;
            this.text = text;
        }

        /** What this kind of issue does to the output. */
        public Outcome outcome() {
            return outcome;
        }

        /** Human-readable reason. */
        public String text() {
            return text;
        }
    }
}
