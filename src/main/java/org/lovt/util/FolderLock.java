package org.lovt.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.lovt.LovtException;

/**
 * One writer per output folder: an OS file lock on a file in the folder ({@code .lovt.lock}), held while a command
 * writes there and released when it ends — also when the process dies ({@code kill -9}), since the OS drops the locks of
 * a dead process. A second writer is refused at once with the holder's process id and command. The lock file itself
 * stays (empty of meaning once unlocked).
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name in the folder. */
    public static final String FILE = ".lovt.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path removeOnClose;

    private FolderLock(FileChannel channel, FileLock lock, Path removeOnClose) {
        this.channel = channel;
        this.lock = lock;
        this.removeOnClose = removeOnClose;
    }

    /**
     * Locks {@code dir} (created if missing) for {@code what} (e.g. {@code "lovt pretrain"}).
     *
     * @throws LovtException naming the folder and the holder when another process (or another writer in this one)
     *                       holds it
     */
    public static FolderLock acquire(Path dir, String what) {
        return acquire(dir, FILE, what, "another command is writing this folder",
                "wait for it to end or choose another folder");
    }

    /**
     * Locks {@code dir} with the lock file {@code fileName} in it; a refusal reads {@code <dir>: <busy> (<holder>);
     * <advice>}.
     */
    public static FolderLock acquire(Path dir, String fileName, String what, String busy, String advice) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LovtException(dir + ": cannot create the folder: " + e.getMessage(), e);
        }
        return acquireFile(dir.resolve(fileName), dir, what, false, busy, advice);
    }

    /**
     * Locks the folder {@code target} that does not exist yet (it is built aside and renamed into place, see
     * {@link StagingDir}) with the lock file {@code .<name>.lovt.lock} beside it, removed again (while still held) when
     * the lock is closed, so that nothing is left beside the folder; a process killed outright leaves the hidden file,
     * unlocked.
     */
    public static FolderLock acquireBeside(Path target, String what) {
        Path abs = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new LovtException(abs.getParent() + ": cannot create the folder: " + e.getMessage(), e);
        }
        return acquireFile(abs.resolveSibling("." + abs.getFileName() + FILE), abs, what, true,
                "another command is writing this folder", "wait for it to end or choose another folder");
    }

    private static FolderLock acquireFile(Path file, Path dir, String what, boolean remove, String busy,
                                          String advice) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;                                  // held by another writer in this JVM
            }
            if (lock == null) {
                String holder = "";
                try {
                    holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (IOException ignored) {
                    // the holder's description is a courtesy
                }
                throw new LovtException(dir + ": " + busy + (holder.isEmpty() ? "" : " (" + holder + ")") + "; "
                        + advice);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((what + ", pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
            return new FolderLock(ch, lock, remove ? file : null);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LovtException(file + ": cannot lock the folder: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        try {
            if (removeOnClose != null) {
                Files.deleteIfExists(removeOnClose);
            }
        } catch (IOException ignored) {
            // a hidden, unlocked file left behind
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases it as well
        } finally {
            closeQuietly(channel);
        }
    }
}
