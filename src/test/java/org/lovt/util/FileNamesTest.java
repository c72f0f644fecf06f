package org.lovt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

class FileNamesTest {
    @Test
    void plainNamesPassAndEverythingThatCouldLeaveTheFolderIsRefused() {
        for (String ok : List.of("p1", "00000001_000", "a.b", "..a", "a..", "ID with spaces", "é")) {
            assertNull(FileNames.problem(ok), ok);
            assertEquals(ok, FileNames.requirePlain(ok, "id"));
        }
        for (String bad : List.of("", ".", "..", "../x", "a/b", "/etc/passwd", "a\\b", "..\\x", "a\0b")) {
            LovtException e = assertThrows(LovtException.class, () -> FileNames.requirePlain(bad, "t.csv:3: id"),
                    bad);
            assertTrue(e.getMessage().startsWith("t.csv:3: id '" + bad + "'"), e.getMessage());
        }
    }
}
