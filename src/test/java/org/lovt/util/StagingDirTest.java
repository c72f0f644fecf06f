package org.lovt.util;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingDirTest {
    private static long entries(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void nothingAppearsAtTheTargetUntilCommitAndAFailedRunLeavesNothing(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("out");
        try (StagingDir s = StagingDir.begin(target)) {
            Files.writeString(s.mkdirs("a").resolve("f.txt"), "x");
            assertFalse(Files.exists(target));
            // no commit: a failure
        }
        assertFalse(Files.exists(target));
        assertEquals(0, entries(tmp), "the partial folder is removed");

        try (StagingDir s = StagingDir.begin(target)) {
            Files.writeString(s.mkdirs("a").resolve("f.txt"), "x");
            s.sync();
            s.commit();
        }
        assertEquals("x", Files.readString(target.resolve("a/f.txt")));
        assertEquals(1, entries(tmp));
    }

    @Test
    void anEmptyFolderIsReplacedAFullOneOnlyWhenAllowed(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("out"));
        try (StagingDir s = StagingDir.begin(target)) {
            Files.writeString(s.dir().resolve("new.txt"), "1");
            s.commit();
        }
        assertTrue(Files.exists(target.resolve("new.txt")));

        LovtException e = assertThrows(LovtException.class, () -> StagingDir.begin(target));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("1", Files.readString(target.resolve("new.txt")), "the old output is untouched");

        try (StagingDir s = StagingDir.begin(target, true)) {
            Files.writeString(s.dir().resolve("newer.txt"), "2");
            s.commit();
        }
        assertFalse(Files.exists(target.resolve("new.txt")), "replaced as a whole");
        assertEquals("2", Files.readString(target.resolve("newer.txt")));
        assertEquals(1, entries(tmp), "no old or partial folders left");
    }
}
