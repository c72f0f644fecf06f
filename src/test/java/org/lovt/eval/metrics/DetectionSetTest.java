package org.lovt.eval.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionSetTest {
    @TempDir
    Path tmp;

    static final String IMAGE = "{\"targets\": [{\"box\": [1, 2, 3, 4], \"class\": 1}], "
            + "\"predictions\": [{\"box\": [1.5, 2, 3, 4.25], \"class\": 0, \"conf\": 0.75}]}";

    Path write(String json) throws IOException {
        Path p = tmp.resolve("boxes.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void readsTheFormat() throws IOException {
        DetectionSet s = DetectionSet.read(write("{\"class_names\": [\"a\", \"b\"], \"images\": [" + IMAGE
                + ", {\"targets\": [], \"predictions\": []}], \"settings\": {\"iou_thresholds\": [0.4, 0.45, "
                + "0.5, 0.55, 0.6, 0.65, 0.7, 0.75], \"policy\": \"soft\", \"note\": \"free text\"}, "
                + "\"expected\": {\"mAP\": 0.25, \"froc\": 1}}"));
        assertEquals(List.of("a", "b"), s.classNames());
        assertEquals(2, s.images().size());
        assertEquals(List.of(new BoxTarget(1, 2, 3, 4, 1)), s.images().get(0).targets());
        assertEquals(List.of(new BoxPrediction(1.5, 2, 3, 4.25, 0, 0.75)), s.images().get(0).predictions());
        assertTrue(s.images().get(1).targets().isEmpty() && s.images().get(1).predictions().isEmpty());
        assertEquals(Map.of("mAP", 0.25, "froc", 1.0), s.expected());
        assertEquals(2, s.metrics().numImages());

        DetectionSet bare = DetectionSet.read(write("{\"class_names\": [\"a\"], \"images\": []}"));
        assertTrue(bare.expected().isEmpty());
    }

    private void fails(String json, String expected) throws IOException {
        Path p = write(json);
        LovtException e = assertThrows(LovtException.class, () -> DetectionSet.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    static String oneImage(String image) {
        return "{\"class_names\": [\"a\", \"b\"], \"images\": [" + IMAGE + ", " + image + "]}";
    }

    @Test
    void namesTheFileAndTheLocationOfEveryProblem() throws IOException {
        fails("{\"class_names\": [\"a\"], \"images\": [}", "not valid JSON at line 1, column 35: Unexpected close marker");
        fails("{\"class_names\": [\"a\"], \"images\": []} {}", "not valid JSON");
        fails("{\"class_names\": [\"a\"], \"class_names\": [\"b\"], \"images\": []}", "Duplicate field 'class_names'");
        fails("", "not a JSON object");
        fails("[1, 2]", "not a JSON object");
        fails("{\"images\": []}", "missing key 'class_names'");
        fails("{\"class_names\": [], \"images\": []}", "class_names: empty");
        fails("{\"class_names\": [\"a\", \"a\"], \"images\": []}", "class_names: names must be distinct");
        fails("{\"class_names\": [\"a\"]}", "missing key 'images'");
        fails("{\"class_names\": [\"a\"], \"images\": {}}", "images: expected an array, got {}");
        fails(oneImage("{\"targets\": []}"), "images[1]: missing key 'predictions'");
        fails(oneImage("{\"targets\": [{\"box\": [0, 0, 1, 1]}], \"predictions\": []}"),
                "images[1].targets[0]: missing key 'class'");
        fails(oneImage("{\"targets\": [{\"class\": 0}], \"predictions\": []}"),
                "images[1].targets[0]: missing key 'box'");
        fails(oneImage("{\"targets\": [], \"predictions\": [{\"box\": [0, 0, 1], \"class\": 0, \"conf\": 0.5}]}"),
                "images[1].predictions[0].box: expected 4 numbers [x, y, w, h], got [0,0,1]");
        fails(oneImage("{\"targets\": [{\"box\": [0, 0, \"1\", 1], \"class\": 0}], \"predictions\": []}"),
                "images[1].targets[0].box[2]: expected a finite number, got \"1\"");
        fails(oneImage("{\"targets\": [{\"box\": [0, 0, 1, 1], \"class\": 2}], \"predictions\": []}"),
                "images[1].targets[0].class: 2 is outside class_names (2 classes, indices 0..1)");
        fails(oneImage("{\"targets\": [{\"box\": [0, 0, 1, 1], \"class\": 0.5}], \"predictions\": []}"),
                "images[1].targets[0].class: expected a class index (integer), got 0.5");
        fails(oneImage("{\"targets\": [], \"predictions\": [{\"box\": [0, 0, 1, 1], \"class\": 0, \"conf\": NaN}]}"),
                "images[1].predictions[0].conf: expected a finite number, got NaN");
        fails(oneImage("{\"targets\": [], \"predictions\": [{\"box\": [0, 0, 1, 1], \"class\": 0}]}"),
                "images[1].predictions[0]: missing key 'conf'");
        fails("{\"class_names\": [\"a\"], \"images\": [], \"settings\": {\"iou_thresholds\": [0.5]}}",
                "settings.iou_thresholds: [0.5] differs from the implemented [0.4, 0.45");
        fails("{\"class_names\": [\"a\"], \"images\": [], \"settings\": {\"policy\": \"greedy\"}}",
                "settings.policy: \"greedy\" is not implemented");
        fails("{\"class_names\": [\"a\"], \"images\": [], \"expected\": {\"mAP\": \"high\"}}",
                "expected.mAP: expected a number");
    }

    @Test
    void missingFilesAndFolders() {
        Path absent = tmp.resolve("absent.json");
        LovtException e = assertThrows(LovtException.class, () -> DetectionSet.read(absent));
        assertEquals(absent + ": no such file", e.getMessage());
        e = assertThrows(LovtException.class, () -> DetectionSet.read(tmp));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
