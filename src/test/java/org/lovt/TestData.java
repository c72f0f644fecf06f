package org.lovt;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Access to the repository's {@code testdata/} folder: golden fixtures and small real sample data that tests read
 * (see {@code testdata/README.md} for where each part comes from and under which licence). Tests read nothing
 * outside the repository. A missing file fails the test with a clear message; it never lets a test pass silently.
 */
public final class TestData {
    /** System property naming the folder explicitly (Surefire may set it to {@code ${project.basedir}/testdata}). */
    public static final String PROPERTY = "lovt.testdata.dir";

    private TestData() {}

    /**
     * The test data folder: system property {@value #PROPERTY} if set, else {@code testdata/} of the project whose
     * {@code target/test-classes} holds this class, else {@code testdata/} in the working directory (Surefire runs
     * in the project's base directory).
     */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        List<Path> candidates = new ArrayList<>();
        projectDir().ifPresent(d -> candidates.add(d.resolve("testdata")));
        candidates.add(Path.of("testdata"));
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        return candidates.get(0).toAbsolutePath().normalize();
    }

    /** A file or folder under {@code testdata/}; fails the calling test if it does not exist. */
    public static Path require(String relative) {
        Path root = root();
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            fail("test data path leaves the testdata folder: " + relative);
        }
        if (!Files.exists(p)) {
            fail("required test data is missing: " + p + " (expected in the repository's testdata/ folder, see "
                    + "testdata/README.md; set -D" + PROPERTY + "=... to use another copy)");
        }
        return p;
    }

    /** {@code <project>} when this class was loaded from {@code <project>/target/test-classes}. */
    private static java.util.Optional<Path> projectDir() {
        try {
            var source = TestData.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return java.util.Optional.empty();
            }
            Path classes = Path.of(source.getLocation().toURI());
            Path target = classes.getParent();
            if (target != null && Files.isDirectory(classes) && target.getParent() != null) {
                return java.util.Optional.of(target.getParent());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall back to the working directory
        }
        return java.util.Optional.empty();
    }
}
