package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.lovt.TestData;

/**
 * The repository's MIMIC-CXR-shaped sample ({@code testdata/data/mimic-cxr-sample}: 24 images, 21 reports, trimmed
 * from a 137-image sample, see its README) and writable copies of it for damage tests.
 */
final class MimicSample {
    private MimicSample() {}

    /** Counts from the sample's README: studies per split, and the one lateral-only study (test split). */
    static final int TRAIN_STUDIES = 13;
    static final int VALIDATION_STUDIES = 4;
    static final int TEST_STUDIES = 4;
    static final String LATERAL_ONLY_STUDY = "51150362";

    static Path root() {
        return TestData.require("data/mimic-cxr-sample");
    }

    /** Copies the MIMIC-shaped part of the sample (files/ and the CSVs, plain and gzip) into {@code dir}. */
    static Path copyTo(Path dir) throws IOException {
        Path src = root();
        try (Stream<Path> walk = Files.walk(src.resolve("files"))) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                    t.toFile().setWritable(true);
                }
            }
        }
        for (String name : List.of("split", "metadata", "chexpert")) {
            for (String ext : List.of(".csv", ".csv.gz")) {
                Path f = src.resolve("mimic-cxr-2.0.0-" + name + ext);
                Files.copy(f, dir.resolve(f.getFileName()));
                dir.resolve(f.getFileName()).toFile().setWritable(true);
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isDirectory).forEach(d -> d.toFile().setWritable(true));
        }
        return dir;
    }
}
