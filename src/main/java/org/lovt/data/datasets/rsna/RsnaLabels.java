package org.lovt.data.datasets.rsna;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.Sources;
import org.lovt.util.Csv;

/**
 * {@code stage_2_train_labels.csv} (patientId, x, y, width, height, Target) as the original's {@code parse_labels}
 * reads it: patients in order of first appearance; the first row's Target decides the label; for a positive patient
 * every row's box is kept, class 1 (spec §2.1).
 */
final class RsnaLabels {
    private RsnaLabels() {}

    /**
     * Reads the labels. Rows with unusable values mark their patient as broken (skipped later, so that the split
     * does not change); a patient whose later rows disagree with the first row's Target is kept as the original
     * keeps it and reported.
     *
     * @throws LovtException when the file or one of its columns is missing, or a row has no patientId
     */
    public static List<RsnaPatient> read(Path file, PrepareReport report) {
        Csv.Table t = Csv.read(file);
        int pidCol = t.column("patientId");
        int xCol = t.column("x");
        int yCol = t.column("y");
        int wCol = t.column("width");
        int hCol = t.column("height");
        int targetCol = t.column("Target");
        Map<String, Builder> patients = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            String pid = t.get(r, pidCol);
            if (pid.isEmpty()) {
                throw new LovtException(t.where(r) + ": empty patientId");
            }
            Builder b = patients.computeIfAbsent(pid, k -> new Builder());
            int target;
            try {
                target = target(t.get(r, targetCol), t.where(r));
            } catch (LovtException e) {
                b.fail(e.getMessage());
                continue;
            }
            if (b.label == null) {
                b.label = target;
            } else if (b.label != target) {
                report.warn(pid, t.where(r), "Target " + target + " disagrees with the patient's first row (Target "
                        + b.label + "); the first row decides, as in the original");
            }
            if (b.label == 1) {
                try {
                    String where = t.where(r);
                    b.boxes.add(new Box(Sources.parseFloat(t.get(r, xCol), where + ": x"),
                            Sources.parseFloat(t.get(r, yCol), where + ": y"),
                            Sources.parseFloat(t.get(r, wCol), where + ": width"),
                            Sources.parseFloat(t.get(r, hCol), where + ": height"), 1, false));
                } catch (LovtException e) {
                    b.fail(e.getMessage());
                }
            }
        }
        List<RsnaPatient> out = new ArrayList<>(patients.size());
        patients.forEach((pid, b) -> out.add(new RsnaPatient(pid, List.copyOf(b.boxes), b.problem)));
        return out;
    }

    private static int target(String field, String where) {
        double v = Sources.parseFloat(field, where + ": Target");
        if (v != 0 && v != 1) {
            throw new LovtException(where + ": Target must be 0 or 1, not '" + field + "'");
        }
        return (int) v;
    }

    private static final class Builder {
        Integer label;
        final List<Box> boxes = new ArrayList<>();
        String problem;

        void fail(String why) {
            if (problem == null) {
                problem = why;
            }
        }
    }
}
