package org.lovt;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Access to the read-only {@code ../shared} folder (fixtures and sample data) that developers and CI have.
 * A missing file fails the test with a clear message; it never lets a test pass silently.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared folder: system property {@code lovt.shared.dir} (set by Surefire), else {@code ../shared}. */
    public static Path root() {
        String p = System.getProperty("lovt.shared.dir");
        return (p != null ? Path.of(p) : Path.of("..", "shared")).toAbsolutePath().normalize();
    }

    /** A file or folder under the shared folder; fails the calling test if it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            fail("required shared fixture is missing: " + p
                    + " (the tests expect the read-only ../shared folder beside the repository)");
        }
        return p;
    }
}
