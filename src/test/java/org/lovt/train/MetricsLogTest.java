package org.lovt.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics log after a kill in the middle of a line: the unfinished line is cut, every line stays whole. */
class MetricsLogTest {
    @TempDir
    Path run;

    @Test
    void anUnfinishedLineOfAKilledRunIsCutOnReopen() throws Exception {
        try (MetricsLog log = new MetricsLog(run)) {
            log.log(0, 1, Map.of("train/loss", 1.5));
        }
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":0,\"st", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(run.resolve("metrics.csv"), "0,2,train/lo", java.nio.file.StandardOpenOption.APPEND);
        try (MetricsLog log = new MetricsLog(run)) {
            log.log(0, 2, Map.of("train/loss", 1.25));
        }
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(2, lines.size(), lines.toString());
        ObjectMapper json = new ObjectMapper();
        assertEquals(1.5, json.readTree(lines.get(0)).get("train/loss").asDouble());
        assertEquals(1.25, json.readTree(lines.get(1)).get("train/loss").asDouble());
        assertEquals(List.of("epoch,step,name,value", "0,1,train/loss,1.5", "0,2,train/loss,1.25"),
                Files.readAllLines(run.resolve("metrics.csv")));
        Files.writeString(run.resolve("metrics.csv"), "epo");                  // a header cut short
        new MetricsLog(run).close();
        assertTrue(Files.readString(run.resolve("metrics.csv")).startsWith("epoch,step,name,value\n"));
    }
}
