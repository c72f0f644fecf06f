package org.lovt.data.datasets.nih;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.NumpyRandom;
import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.data.datasets.prepare.Sources;
import org.lovt.util.Csv;

/** The NIH annotation files as the original's {@code parse_labels} and {@code find_no_finding_samples} read them. */
final class NihLabels {
    /** {@code TARGET_MAPPING}: the eight box classes, in class-index order. */
    static final List<String> CLASSES = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltrate", "Mass",
            "Nodule", "Pneumonia", "Pneumothorax");

    private NihLabels() {}

    /**
     * {@code BBox_List_2017.csv}, whose header {@code Bbox [x,y,w,h]} pandas splits into the columns
     * {@code Bbox [x}, {@code y}, {@code w}, {@code h]}: images in order of first appearance, each with its boxes.
     */
    static List<NihImage> annotated(Path file) {
        Csv.Table t = Csv.read(file);
        int idCol = t.column("Image Index");
        int labelCol = t.column("Finding Label");
        int[] box = {t.column("Bbox [x"), t.column("y"), t.column("w"), t.column("h]")};
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            String name = t.get(r, idCol);
            if (name.isEmpty()) {
                throw new LovtException(t.where(r) + ": empty Image Index");
            }
            List<Box> l = boxes.computeIfAbsent(name, k -> new ArrayList<>());
            try {
                int cls = CLASSES.indexOf(t.get(r, labelCol));
                if (cls < 0) {
                    throw new LovtException(t.where(r) + ": unknown Finding Label '" + t.get(r, labelCol) + "' (known: "
                            + CLASSES + ")");
                }
                double[] v = new double[4];
                for (int i = 0; i < 4; i++) {
                    v[i] = Sources.parseFloat(t.get(r, box[i]), t.where(r) + ": " + t.header().get(box[i]));
                }
                l.add(new Box(v[0], v[1], v[2], v[3], cls, false));
            } catch (LovtException e) {
                problems.putIfAbsent(name, e.getMessage());
            }
        }
        List<NihImage> out = new ArrayList<>();
        boxes.forEach((name, l) -> out.add(image(name, l, false, problems.get(name))));
        return out;
    }

    /**
     * {@code k} "No Finding" images of the official test list, drawn as pandas' {@code DataFrame.sample(k)} draws
     * them from numpy's global generator; fewer (reported) when fewer exist, where the original would fail.
     */
    static List<NihImage> noFinding(Path dataEntry, Path testList, int k, NumpyRandom rng, PrepareReport report) {
        Set<String> test = new HashSet<>();
        try {
            for (String line : Files.readAllLines(testList)) {
                test.add(line.strip());
            }
        } catch (IOException e) {
            throw new LovtException(testList + ": cannot read: " + e.getMessage(), e);
        }
        Csv.Table t = Csv.read(dataEntry);
        int idCol = t.column("Image Index");
        int labelCol = t.column("Finding Labels");
        List<String> candidates = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            if (t.get(r, labelCol).equals("No Finding") && test.contains(t.get(r, idCol))) {
                candidates.add(t.get(r, idCol));
            }
        }
        int take = k;
        if (candidates.size() < k) {
            report.warn("-", dataEntry.toString(), "only " + candidates.size() + " 'No Finding' images of the test"
                    + " list, fewer than the " + k + " asked for; all are used");
            take = candidates.size();
        }
        List<NihImage> out = new ArrayList<>();
        for (int i : rng.choiceWithoutReplacement(candidates.size(), take)) {
            out.add(image(candidates.get(i), List.of(), true, null));
        }
        return out;
    }

    /** An image from its file name ({@code <patient>_<nnn>.png}). */
    static NihImage image(String name, List<Box> boxes, boolean noFinding, String problem) {
        // The original strips the last four characters, whatever they are.
        String id = name.length() >= 4 ? name.substring(0, name.length() - 4) : name;
        String patient = id.split("_", -1)[0];
        if (problem == null && (patient.length() != 8 || !patient.chars().allMatch(Character::isDigit))) {
            problem = "image index '" + name + "' does not start with an 8-digit patient number";
        }
        return new NihImage(id, patient, List.copyOf(boxes), noFinding, problem);
    }
}
