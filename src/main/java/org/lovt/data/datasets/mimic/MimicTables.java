package org.lovt.data.datasets.mimic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.lovt.util.Csv;
import org.lovt.util.FileNames;

/**
 * The three MIMIC-CXR-JPG CSVs, read and joined as the original does ({@code _generate_examples} steps 1 and 9):
 * split rows left-joined with the metadata on (subject, study, dicom), CheXpert rows by (subject, study). Malformed
 * rows are collected as {@link Issue}s and left out instead of failing the run.
 */
final class MimicTables {
    /** Official split names in the CSV and the prepared dataset's split names. */
    static final Map<String, String> SPLIT_NAMES = Map.of("train", "train", "validate", "validation",
            "test", "test");

    /**
     * One image of the split CSV, joined with its metadata.
     *
     * @param subject   subject id
     * @param study     study id
     * @param dicom     image id
     * @param split     prepared split name ({@code train}, {@code validation}, {@code test})
     * @param view      {@code ViewPosition}, or null without a metadata row ("" when the cell is empty)
     * @param viewName  {@code ViewCodeSequence_CodeMeaning}, or null without a metadata row
     * @param studyDate {@code StudyDate}, or null when missing or not a number
     */
    record Image(long subject, long study, String dicom, String split, String view, String viewName,
                 Integer studyDate) {}

    /** Key of a study. */
    record StudyKey(long subject, long study) {}

    final List<Image> images = new ArrayList<>();
    final Map<StudyKey, ChexpertLabels.Value[]> chexpert = new HashMap<>();
    final List<Issue> issues = new ArrayList<>();

    private record Meta(String view, String viewName, Integer studyDate) {}

    private record ImageKey(long subject, long study, String dicom) {}

    static MimicTables read(Path splitCsv, Path metadataCsv, Path chexpertCsv) {
        MimicTables t = new MimicTables();
        Map<ImageKey, Meta> meta = t.readMetadata(metadataCsv);
        t.readSplit(splitCsv, meta);
        t.readChexpert(chexpertCsv);
        return t;
    }

    private Map<ImageKey, Meta> readMetadata(Path file) {
        Map<ImageKey, Meta> meta = new HashMap<>();
        List<String> cols = List.of("dicom_id", "subject_id", "study_id", "ViewPosition",
                "ViewCodeSequence_CodeMeaning", "StudyDate");
        Csv.forEachRow(file, cols, visitor(file, r -> {
            Long subject = parseId(r.get(1));
            Long study = parseId(r.get(2));
            String dicom = r.get(0).strip();
            if (subject == null || study == null || dicom.isEmpty()) {
                rowIssue(file, r.line(), "subject_id/study_id must be numbers and dicom_id non-empty");
                return;
            }
            if (!plainDicomId(file, r.line(), dicom)) {
                return;
            }
            Meta m = new Meta(r.get(3).strip().intern(), r.get(4).strip().intern(), parseDate(r.get(5)));
            if (meta.putIfAbsent(new ImageKey(subject, study, dicom), m) != null) {
                issues.add(new Issue("", Issue.Reason.DUPLICATE_ROW, subject.toString(), study.toString(), dicom,
                        file + ":" + r.line(), ""));
            }
        }));
        return meta;
    }

    private void readSplit(Path file, Map<ImageKey, Meta> meta) {
        Set<ImageKey> seen = new HashSet<>();
        Csv.forEachRow(file, List.of("dicom_id", "study_id", "subject_id", "split"), visitor(file, r -> {
            Long subject = parseId(r.get(2));
            Long study = parseId(r.get(1));
            String dicom = r.get(0).strip();
            if (subject == null || study == null || dicom.isEmpty()) {
                rowIssue(file, r.line(), "subject_id/study_id must be numbers and dicom_id non-empty");
                return;
            }
            if (!plainDicomId(file, r.line(), dicom)) {
                return;
            }
            String split = SPLIT_NAMES.get(r.get(3).strip());
            if (split == null) {
                issues.add(new Issue("", Issue.Reason.UNKNOWN_SPLIT, subject.toString(), study.toString(), dicom,
                        file + ":" + r.line(), "split '" + r.get(3) + "'"));
                return;
            }
            ImageKey key = new ImageKey(subject, study, dicom);
            if (!seen.add(key)) {
                issues.add(new Issue(split, Issue.Reason.DUPLICATE_ROW, subject.toString(), study.toString(), dicom,
                        file + ":" + r.line(), ""));
                return;
            }
            Meta m = meta.get(key);
            if (m == null) {
                issues.add(new Issue(split, Issue.Reason.NO_METADATA_ROW, subject.toString(), study.toString(), dicom,
                        file + ":" + r.line(), ""));
                // Kept as an image of unknown view: the left join gives NaN, which the view filter drops.
                images.add(new Image(subject, study, dicom, split, null, null, null));
            } else {
                images.add(new Image(subject, study, dicom, split, m.view(), m.viewName(), m.studyDate()));
            }
        }));
    }

    private void readChexpert(Path file) {
        List<String> cols = new ArrayList<>(List.of("subject_id", "study_id"));
        cols.addAll(ChexpertLabels.ALL);
        Csv.forEachRow(file, cols, visitor(file, r -> {
            Long subject = parseId(r.get(0));
            Long study = parseId(r.get(1));
            if (subject == null || study == null) {
                rowIssue(file, r.line(), "subject_id/study_id must be numbers");
                return;
            }
            ChexpertLabels.Value[] values = new ChexpertLabels.Value[ChexpertLabels.ALL.size()];
            String bad = null;
            for (int i = 0; i < values.length && bad == null; i++) {
                try {
                    values[i] = ChexpertLabels.parse(r.get(i + 2));
                } catch (IllegalArgumentException e) {
                    bad = ChexpertLabels.ALL.get(i) + ": " + e.getMessage();
                }
            }
            if (bad != null) {
                rowIssue(file, r.line(), bad);
                return;
            }
            if (chexpert.putIfAbsent(new StudyKey(subject, study), values) != null) {
                issues.add(new Issue("", Issue.Reason.DUPLICATE_ROW, subject.toString(), study.toString(), "",
                        file + ":" + r.line(), ""));
            }
        }));
    }

    private Csv.Visitor visitor(Path file, java.util.function.Consumer<Csv.Row> rows) {
        return new Csv.Visitor() {
            @Override
            public void row(Csv.Row row) {
                rows.accept(row);
            }

            @Override
            public void malformed(int line, String reason) {
                rowIssue(file, line, reason);
            }
        };
    }

    /** Whether {@code dicom} can name the image file; otherwise the row is an issue (no path outside the folder). */
    private boolean plainDicomId(Path file, int line, String dicom) {
        String problem = FileNames.problem(dicom);
        if (problem != null) {
            rowIssue(file, line, "dicom_id '" + dicom + "' " + problem + " (it names the image file)");
        }
        return problem == null;
    }

    private void rowIssue(Path file, int line, String detail) {
        issues.add(new Issue("", Issue.Reason.MALFORMED_ROW, "", "", "", file + ":" + line, detail));
    }

    /** A non-negative integer id, as pandas reads it (an int column); null if it is not one. */
    static Long parseId(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 18) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(t);
    }

    private static Integer parseDate(String s) {
        String t = s.strip();
        try {
            return t.isEmpty() ? null : (int) Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Images grouped by split and study, studies in ascending (subject, study) order as pandas' groupby emits
     * them, images of a study in split-CSV order.
     */
    Map<String, LinkedHashMap<StudyKey, List<Image>>> studiesBySplit() {
        Map<String, java.util.TreeMap<StudyKey, List<Image>>> sorted = new HashMap<>();
        for (Image im : images) {
            sorted.computeIfAbsent(im.split(), s -> new java.util.TreeMap<>(STUDY_ORDER))
                    .computeIfAbsent(new StudyKey(im.subject(), im.study()), k -> new ArrayList<>()).add(im);
        }
        Map<String, LinkedHashMap<StudyKey, List<Image>>> out = new HashMap<>();
        for (String split : List.of("train", "validation", "test")) {
            LinkedHashMap<StudyKey, List<Image>> m = new LinkedHashMap<>();
            if (sorted.containsKey(split)) {
                m.putAll(sorted.get(split));
            }
            out.put(split, m);
        }
        return out;
    }

    static final java.util.Comparator<StudyKey> STUDY_ORDER =
            java.util.Comparator.comparingLong(StudyKey::subject).thenComparingLong(StudyKey::study);
}
