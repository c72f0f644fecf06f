package org.lovt.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a full-disk test (root only; the test is skipped with a message where it cannot mount),
 * filled on demand so that the next write fails with "No space left on device".
 */
public final class SmallDisk {
    private SmallDisk() {}

    /** Mounts a tmpfs of {@code size} (e.g. {@code 4m}) on {@code dir}, or skips the calling test. */
    public static Path mount(Path dir, String size) throws IOException, InterruptedException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root; the "
                + "full-disk checks are skipped");
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (" + out.strip() + "); the "
                + "full-disk checks are skipped");
        return dir;
    }

    public static void unmount(Path dir) throws IOException, InterruptedException {
        if (dir != null) {
            new ProcessBuilder("umount", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Fills the disk until {@code free} bytes are left. */
    public static void fill(Path disk, long free) throws IOException {
        long space = Files.getFileStore(disk).getUsableSpace();
        try (RandomAccessFile f = new RandomAccessFile(disk.resolve("filler").toFile(), "rw")) {
            f.seek(f.length());
            byte[] block = new byte[1 << 16];
            long left = space - free;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                f.write(block, 0, n);
                left -= n;
            }
        }
    }

    /** Files and folders under {@code dir} that look half-written (temporary or partial names). */
    public static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(n -> n.contains(".tmp") || n.contains("partial"))
                    .toList();
        }
    }
}
