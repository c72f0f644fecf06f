package org.lovt.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lovt demo}'s refusals: they come before anything is generated or trained. */
class DemoCommandTest {
    @Test
    void badOptionsAreRefusedBeforeAnyWork(@TempDir Path tmp) {
        Path out = tmp.resolve("demo");
        CliTest.Run r = CliTest.run("demo", "--out", out.toString(), "--downstream-runs", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("2 runs") && r.err().contains("runs 1"), r.err());
        r = CliTest.run("demo", "--out", out.toString(), "--global-only", "--lovt-only");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("exclude each other"), r.err());
        r = CliTest.run("demo", "--out", out.toString(), "--minutes", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("minutes"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
