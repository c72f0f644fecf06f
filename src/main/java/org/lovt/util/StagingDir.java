package org.lovt.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lovt.LovtException;

/**
 * An output folder built aside and renamed into place at the end (prepared data sets, the synthetic data, the MIMIC
 * export): everything is written into {@code .<name>.partial-<random>} next to the target, and {@link #commit()}
 * renames it to the target in one step. A run that fails, is interrupted or crashes therefore never leaves a folder
 * at the target path; {@link #close()} removes the partial folder of a failed run (one killed outright leaves only
 * the hidden {@code .partial} folder). An existing empty folder at the target is always replaced.
 */
public final class StagingDir implements AutoCloseable {
    private final Path target;
    private final Path dir;
    private final boolean replace;
    private final FolderLock lock;
    private boolean committed;

    private StagingDir(Path target, Path dir, boolean replace, FolderLock lock) {
        this.target = target;
        this.dir = dir;
        this.replace = replace;
        this.lock = lock;
    }

    /**
     * Starts a staging folder for {@code target}.
     *
     * @param overwrite whether an existing target may be replaced (at commit time, not before)
     * @throws LovtException when the target exists and may not be replaced, or its parent cannot be written
     */
    public static StagingDir begin(Path target, boolean overwrite) {
        return begin(target, overwrite, "remove it, choose another --out, or pass --overwrite");
    }

    /** Starts a staging folder for a target that must not exist yet (or be an empty folder). */
    public static StagingDir begin(Path target) {
        return begin(target, false, "remove it or choose another output folder");
    }

    private static StagingDir begin(Path target, boolean overwrite, String hint) {
        Path abs = target.toAbsolutePath().normalize();
        // One writer per output folder: a second command building the same folder is refused while this one runs.
        FolderLock lock = FolderLock.acquireBeside(abs, "building " + abs.getFileName());
        try {
            if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !overwrite && !isEmptyDirectory(abs)) {
                throw new LovtException(abs + ": already exists (" + hint + ")");
            }
            Path dir = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".partial-");
            return new StagingDir(abs, dir, overwrite, lock);
        } catch (IOException e) {
            lock.close();
            throw new LovtException(abs.getParent() + ": cannot create the output folder: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The folder to write into. */
    public Path dir() {
        return dir;
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** Creates (and returns) a sub-folder of the staging folder. */
    public Path mkdirs(String relative) {
        try {
            return Files.createDirectories(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(relative) + ": cannot create: " + e.getMessage(), e);
        }
    }

    /**
     * Flushes every regular file of the staging folder to disk, so that the renamed folder is complete after a
     * power loss too (symbolic links are not followed).
     */
    public void sync() {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw new LovtException(dir + ": cannot flush the output to disk: " + e.getMessage(), e);
        }
    }

    /** Moves the finished folder to the target (replacing an empty folder, or an old one when allowed). */
    public void commit() {
        try {
            Path old = null;
            if (isEmptyDirectory(target)) {
                Files.delete(target);
            }
            if (Files.exists(target)) {
                if (!replace) {
                    throw new LovtException(target + ": appeared while preparing; the result is left in " + dir);
                }
                old = target.resolveSibling("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
                move(target, old);
            }
            move(dir, target);
            committed = true;
            if (old != null) {
                org.lovt.util.FileTrees.deleteTree(old);
            }
        } catch (IOException e) {
            throw new LovtException(target + ": cannot move the prepared folder into place: " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmptyDirectory(Path p) {
        if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the staging folder unless it was committed. */
    @Override
    public void close() {
        try {
            if (!committed) {
                try {
                    org.lovt.util.FileTrees.deleteTree(dir);
                } catch (IOException e) {
                    // Best effort: a leftover hidden .partial folder never looks like a prepared data set.
                }
            }
        } finally {
            lock.close();
        }
    }

}
