package org.lovt.util;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One writer per folder: refused while held (in this JVM and by another process), free again when the holder dies. */
class FolderLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondWriterIsRefusedUntilTheFirstCloses() {
        Path dir = tmp.resolve("run");
        try (FolderLock first = FolderLock.acquire(dir, "lovt pretrain")) {
            LovtException e = assertThrows(LovtException.class, () -> FolderLock.acquire(dir, "lovt pretrain"));
            assertTrue(e.getMessage().contains("another command is writing this folder")
                    && e.getMessage().contains("lovt pretrain, pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        FolderLock.acquire(dir, "again").close();
        try (FolderLock beside = FolderLock.acquireBeside(tmp.resolve("prepared"), "lovt prepare")) {
            assertThrows(LovtException.class, () -> StagingDir.begin(tmp.resolve("prepared")));
        }
        StagingDir.begin(tmp.resolve("prepared")).close();
    }

    /** Holds the lock of the folder in args[0] and sleeps (started as a child JVM). */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            FolderLock lock = FolderLock.acquire(Path.of(args[0]), "holder");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }

    @Test
    void theLockOfAProcessKilledOutrightIsFree() throws Exception {
        Path dir = tmp.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            LovtException e = assertThrows(LovtException.class, () -> FolderLock.acquire(dir, "second"));
            assertTrue(e.getMessage().contains("holder, pid " + p.pid()), e.getMessage());
        } finally {
            p.destroyForcibly();                                    // SIGKILL: no shutdown hook, no release
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        FolderLock.acquire(dir, "after the kill").close();
    }
}
