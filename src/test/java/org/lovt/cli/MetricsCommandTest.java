package org.lovt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void detectionPrintsOneJsonObjectWithTheFixturesValues() throws IOException {
        Path file = TestData.require("fixtures/detection-metrics/multiclass_3.json");
        CliTest.Run r = CliTest.run("metrics", "detection", file.toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode out = json.readTree(r.out());
        List<String> keys = new ArrayList<>();
        out.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("mAP", "class0_mAP", "class1_mAP", "class2_mAP", "mAP@0.5", "mAP@0.75", "pos_mAP",
                "pos_class0_mAP", "pos_class1_mAP", "pos_class2_mAP", "pos_mAP@0.5", "pos_mAP@0.75", "froc"), keys);
        JsonNode expected = json.readTree(file.toFile()).get("expected");
        expected.fieldNames().forEachRemaining(k ->
                assertEquals(expected.get(k).asDouble(), out.get(k).asDouble(), 1e-6, k));
    }

    @Test
    void malformedOrMissingFilesExitWithTwoAndOneLine() throws IOException {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"class_names\": [\"a\"], \"images\": [{\"targets\": [], \"predictions\": "
                + "[{\"box\": [0, 0, 1, 1], \"class\": 0, \"conf\": NaN}]}]}");
        assertOneLine(CliTest.run("metrics", "detection", bad.toString()),
                bad + ": images[0].predictions[0].conf: expected a finite number, got NaN");
        Files.writeString(bad, "{\"class_names\": [\"a\"],\n \"images\": [");
        assertOneLine(CliTest.run("metrics", "detection", bad.toString()), bad + ": not valid JSON at line 2");
        Path absent = tmp.resolve("absent.json");
        assertOneLine(CliTest.run("metrics", "detection", absent.toString()), absent + ": no such file");
        assertEquals(2, CliTest.run("metrics", "detection").code(), "FILE is required");
    }

    private static void assertOneLine(CliTest.Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("lovt: " + expected), lines[0]);
        assertEquals("", r.out());
    }
}
