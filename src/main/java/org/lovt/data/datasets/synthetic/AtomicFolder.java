package org.lovt.data.datasets.synthetic;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lovt.LovtException;

/**
 * Creates a folder so that nobody sees it half-written: everything goes into a hidden temporary sibling, which is
 * renamed to the target at the end. A failure removes the temporary folder and leaves no target behind. The
 * target must not exist yet (an empty folder is allowed and replaced).
 */
final class AtomicFolder {
    private AtomicFolder() {}

    /** Fills a folder. */
    @FunctionalInterface
    interface Filler {
        void fill(Path folder) throws IOException;
    }

    static void create(Path target, Filler filler) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !isEmptyDirectory(abs)) {
            throw new LovtException(abs + " already exists and is not an empty folder; choose a new output folder");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
        try {
            filler.fill(tmp);
            if (Files.exists(abs)) {
                Files.delete(abs); // the empty folder we were allowed to replace
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs);
            }
        } catch (DirectoryNotEmptyException e) {
            throw new LovtException(abs + " was filled by someone else while writing", e);
        } finally {
            if (Files.exists(tmp)) {
                org.lovt.util.FileTrees.deleteTree(tmp);
            }
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

}
