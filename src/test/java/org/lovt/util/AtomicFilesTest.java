package org.lovt.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Atomic writes: all or nothing, no temporary file left, and the mode of an ordinary file (not the temp file's). */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesWholeKeepsModesAndLeavesNothingOnFailure() throws IOException {
        Path f = tmp.resolve("report.html");
        AtomicFiles.writeString(f, "first");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "a new file");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "kept on replace");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("injected failure");
        }));
        assertEquals("second", Files.readString(f), "a failed write leaves the previous file");
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
