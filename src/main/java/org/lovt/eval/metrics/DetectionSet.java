package org.lovt.eval.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.lovt.LovtException;

/**
 * The boxes of one evaluated split as a JSON file: the input of {@code lovt metrics detection} and the format of the
 * project's detection-metrics golden fixtures.
 *
 * <pre>{@code
 * {
 *   "class_names": ["opacity"],
 *   "images": [
 *     {"targets":     [{"box": [x, y, w, h], "class": 0}],
 *      "predictions": [{"box": [x, y, w, h], "class": 0, "conf": 0.93}]},
 *     ...
 *   ],
 *   "settings": {...},   optional
 *   "expected": {...}    optional
 * }
 * }</pre>
 *
 * Boxes are top-left corner plus size in pixels (the 224-pixel frame in LoVT's evaluation). {@code settings}, when
 * present, must not ask for anything other than what {@link DetectionMetrics} computes: its {@code iou_thresholds},
 * {@code policy} and {@code froc_fps_per_image} are checked, its other keys are descriptive and ignored.
 * {@code expected} maps metric keys to reference values.
 *
 * @param classNames the class names, in class-index order
 * @param images     per image, its targets and predictions, in file order
 * @param expected   the file's {@code expected} values in file order; empty when it has none
 */
public record DetectionSet(List<String> classNames, List<Image> images, Map<String, Double> expected) {
    /** One image's target boxes and predicted boxes. */
    public record Image(List<BoxTarget> targets, List<BoxPrediction> predictions) {
        public Image {
            targets = List.copyOf(targets);
            predictions = List.copyOf(predictions);
        }
    }

    public DetectionSet {
        classNames = List.copyOf(classNames);
        images = List.copyOf(images);
        expected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expected));
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so that a NaN is reported as such, not as bad JSON
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A {@link DetectionMetrics} over this set's classes with every image added. */
    public DetectionMetrics metrics() {
        DetectionMetrics m = new DetectionMetrics(classNames);
        for (Image image : images) {
            m.add(image.targets(), image.predictions());
        }
        return m;
    }

    /**
     * Reads a file of the format above.
     *
     * @throws LovtException with a one-line message naming the file and the JSON location at fault (a missing key,
     *                       a box that is not 4 finite numbers, a class outside {@code class_names}, a NaN
     *                       confidence, malformed JSON, a missing file)
     */
    public static DetectionSet read(Path file) {
        if (Files.isDirectory(file)) {
            throw new LovtException(file + ": is a directory, not a JSON file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new LovtException(file + ": no such file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new LovtException(file + ": not valid JSON" + where + ": "
                    + e.getOriginalMessage()
                            .replaceAll("\\[Source:[^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                            .replaceAll("\\s+", " ").strip());
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage());
        }
        try {
            return parse(root);
        } catch (LovtException e) {
            throw new LovtException(file + ": " + e.getMessage());
        }
    }

    private static DetectionSet parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new LovtException("not a JSON object with class_names and images");
        }
        List<String> classNames = new ArrayList<>();
        JsonNode names = array(root, "class_names", "");
        for (int i = 0; i < names.size(); i++) {
            JsonNode n = names.get(i);
            if (!n.isTextual()) {
                throw new LovtException("class_names[" + i + "]: expected a string, got " + n);
            }
            classNames.add(n.asText());
        }
        if (classNames.isEmpty()) {
            throw new LovtException("class_names: empty; at least one class is needed");
        }
        if (new HashSet<>(classNames).size() != classNames.size()) {
            throw new LovtException("class_names: names must be distinct, got " + classNames);
        }
        if (root.has("settings")) {
            checkSettings(root.get("settings"));
        }
        JsonNode imgs = array(root, "images", "");
        List<Image> images = new ArrayList<>(imgs.size());
        for (int i = 0; i < imgs.size(); i++) {
            String at = "images[" + i + "]";
            JsonNode img = imgs.get(i);
            if (!img.isObject()) {
                throw new LovtException(at + ": expected an object with targets and predictions, got "
                        + brief(img));
            }
            JsonNode ts = array(img, "targets", at);
            List<BoxTarget> targets = new ArrayList<>(ts.size());
            for (int j = 0; j < ts.size(); j++) {
                String tat = at + ".targets[" + j + "]";
                JsonNode t = object(ts.get(j), tat);
                double[] b = box(t, tat);
                targets.add(new BoxTarget(b[0], b[1], b[2], b[3], cls(t, tat, classNames.size())));
            }
            JsonNode ps = array(img, "predictions", at);
            List<BoxPrediction> predictions = new ArrayList<>(ps.size());
            for (int j = 0; j < ps.size(); j++) {
                String pat = at + ".predictions[" + j + "]";
                JsonNode p = object(ps.get(j), pat);
                double[] b = box(p, pat);
                int c = cls(p, pat, classNames.size());
                predictions.add(new BoxPrediction(b[0], b[1], b[2], b[3], c, finite(p, "conf", pat)));
            }
            images.add(new Image(targets, predictions));
        }
        Map<String, Double> expected = new LinkedHashMap<>();
        if (root.has("expected")) {
            JsonNode e = root.get("expected");
            if (!e.isObject()) {
                throw new LovtException("expected: expected an object of metric values, got " + brief(e));
            }
            for (Map.Entry<String, JsonNode> f : e.properties()) {
                if (!f.getValue().isNumber()) {
                    throw new LovtException("expected." + f.getKey() + ": expected a number, got "
                            + brief(f.getValue()));
                }
                expected.put(f.getKey(), f.getValue().asDouble());
            }
        }
        return new DetectionSet(classNames, images, expected);
    }

    private static void checkSettings(JsonNode s) {
        if (!s.isObject()) {
            throw new LovtException("settings: expected an object, got " + brief(s));
        }
        checkList(s, "iou_thresholds", DetectionMetrics.IOU_THRESHOLDS);
        checkList(s, "froc_fps_per_image", DetectionMetrics.FROC_FPS_PER_IMAGE);
        if (s.has("policy") && !s.get("policy").asText().equals("soft")) {
            throw new LovtException("settings.policy: " + s.get("policy") + " is not implemented (only \"soft\", "
                    + "the policy LoVT uses)");
        }
    }

    private static void checkList(JsonNode s, String key, List<Double> implemented) {
        if (!s.has(key)) {
            return;
        }
        JsonNode v = s.get(key);
        List<Double> given = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode x : v) {
                given.add(x.isNumber() ? x.asDouble() : Double.NaN);
            }
        }
        if (!given.equals(implemented)) {
            throw new LovtException("settings." + key + ": " + brief(v) + " differs from the implemented "
                    + implemented);
        }
    }

    private static JsonNode array(JsonNode parent, String key, String at) {
        String where = at.isEmpty() ? key : at + "." + key;
        JsonNode v = parent.get(key);
        if (v == null) {
            throw new LovtException((at.isEmpty() ? "" : at + ": ") + "missing key '" + key + "'");
        }
        if (!v.isArray()) {
            throw new LovtException(where + ": expected an array, got " + brief(v));
        }
        return v;
    }

    private static JsonNode object(JsonNode v, String at) {
        if (!v.isObject()) {
            throw new LovtException(at + ": expected an object, got " + brief(v));
        }
        return v;
    }

    private static double[] box(JsonNode parent, String at) {
        JsonNode v = parent.get("box");
        if (v == null) {
            throw new LovtException(at + ": missing key 'box'");
        }
        if (!v.isArray() || v.size() != 4) {
            throw new LovtException(at + ".box: expected 4 numbers [x, y, w, h], got " + brief(v));
        }
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) {
            JsonNode x = v.get(i);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw new LovtException(at + ".box[" + i + "]: expected a finite number, got " + brief(x));
            }
            b[i] = x.asDouble();
        }
        return b;
    }

    private static int cls(JsonNode parent, String at, int numClasses) {
        JsonNode v = parent.get("class");
        if (v == null) {
            throw new LovtException(at + ": missing key 'class'");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new LovtException(at + ".class: expected a class index (integer), got " + brief(v));
        }
        int c = v.asInt();
        if (c < 0 || c >= numClasses) {
            throw new LovtException(at + ".class: " + c + " is outside class_names (" + numClasses
                    + (numClasses == 1 ? " class" : " classes") + ", indices 0.." + (numClasses - 1) + ")");
        }
        return c;
    }

    private static double finite(JsonNode parent, String key, String at) {
        JsonNode v = parent.get(key);
        if (v == null) {
            throw new LovtException(at + ": missing key '" + key + "'");
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new LovtException(at + "." + key + ": expected a finite number, got " + brief(v));
        }
        return v.asDouble();
    }

    /** A JSON value for a one-line message, shortened. */
    private static String brief(JsonNode v) {
        String s = v.isNumber() ? v.asText() : v.toString(); // a NaN as NaN, not as the string "NaN"
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
