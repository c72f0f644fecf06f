package org.lovt.data.datasets.mimic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;

/**
 * The files of MIMIC-CXR-JPG 2.0.0 and the MIMIC-CXR 2.0.0 reports, as distributed, found under a source folder.
 * Two layouts are recognised:
 * <ul>
 *   <li>the original LoVT root ({@code create_dataset}, spec lovt-data-eval §1.1): {@code SRC/mimic-cxr-jpg_2-0-0/}
 *       with the CSVs and {@code files/}, and {@code SRC/mimic-cxr_2-0-0/} with {@code mimic-cxr-reports/files/} or
 *       {@code mimic-cxr-reports.zip};</li>
 *   <li>a MIMIC-CXR-JPG folder itself: {@code SRC/mimic-cxr-2.0.0-*.csv[.gz]} and {@code SRC/files/}, with the
 *       reports in {@code SRC/mimic-cxr-reports/files/}, {@code SRC/mimic-cxr-reports.zip} or next to the study
 *       folders in {@code SRC/files/} (where MIMIC-CXR itself puts them).</li>
 * </ul>
 * An explicit reports location (a {@code files/} tree, its parent, or the zip) overrides the search. Each CSV is read
 * as {@code .csv.gz} when present (as shipped), else as {@code .csv}.
 *
 * @param jpgRoot     the MIMIC-CXR-JPG folder (CSVs and {@code files/})
 * @param splitCsv    {@code mimic-cxr-2.0.0-split.csv[.gz]}
 * @param metadataCsv {@code mimic-cxr-2.0.0-metadata.csv[.gz]}
 * @param chexpertCsv {@code mimic-cxr-2.0.0-chexpert.csv[.gz]}
 * @param imagesRoot  {@code files/} with {@code pXX/pSUBJECT/sSTUDY/DICOM.jpg}
 * @param reports     where the reports are: a {@code files/} folder or a zip file
 */
public record MimicSource(Path jpgRoot, Path splitCsv, Path metadataCsv, Path chexpertCsv, Path imagesRoot,
                          Path reports) {
    /** Sub-folder names of the original's root layout. */
    public static final String JPG_FOLDER = "mimic-cxr-jpg_2-0-0";
    public static final String REPORTS_FOLDER = "mimic-cxr_2-0-0";

    /**
     * Finds the files under {@code src}.
     *
     * @param src     the source folder (either layout)
     * @param reports explicit reports location, or null to search
     * @throws LovtException naming what is missing
     */
    public static MimicSource locate(Path src, Path reports) {
        if (!Files.isDirectory(src)) {
            throw new LovtException(src + ": not a folder");
        }
        Path jpgRoot = Files.isDirectory(src.resolve(JPG_FOLDER)) ? src.resolve(JPG_FOLDER) : src;
        Path split = csv(jpgRoot, "mimic-cxr-2.0.0-split");
        Path meta = csv(jpgRoot, "mimic-cxr-2.0.0-metadata");
        Path chexpert = csv(jpgRoot, "mimic-cxr-2.0.0-chexpert");
        Path images = jpgRoot.resolve("files");
        if (!Files.isDirectory(images)) {
            throw new LovtException(images + ": no MIMIC-CXR-JPG image folder (files/) in " + jpgRoot);
        }
        Path rep = reports != null ? explicitReports(reports) : searchReports(src, jpgRoot, images);
        return new MimicSource(jpgRoot, split, meta, chexpert, images, rep);
    }

    /** {@code name.csv.gz}, else {@code name.csv}. */
    static Path csv(Path dir, String name) {
        Path gz = dir.resolve(name + ".csv.gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name + ".csv");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new LovtException(dir + ": neither " + name + ".csv.gz nor " + name + ".csv found");
    }

    private static Path explicitReports(Path p) {
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (Files.isDirectory(p.resolve("files"))) {
            return p.resolve("files");
        }
        if (Files.isDirectory(p)) {
            return p;
        }
        throw new LovtException(p + ": reports location does not exist");
    }

    private static Path searchReports(Path src, Path jpgRoot, Path images) {
        List<Path> candidates = new ArrayList<>();
        for (Path base : new Path[] {src.resolve(REPORTS_FOLDER), jpgRoot}) {
            candidates.add(base.resolve("mimic-cxr-reports").resolve("files"));
            candidates.add(base.resolve("mimic-cxr-reports.zip"));
        }
        for (Path c : candidates) {
            if (Files.exists(c)) {
                return c;
            }
        }
        // MIMIC-CXR keeps sSTUDY.txt next to the sSTUDY/ image folder, so one merged tree also works.
        return images;
    }

    /** Opens the reports for reading. */
    ReportStore openReports() {
        return Files.isRegularFile(reports) ? ReportStore.zip(reports) : ReportStore.folder(reports);
    }

    /** The CSV with a given base name, replaced by the one in {@code dir} (for {@code --splits-from}). */
    static Path splitCsvIn(Path dir) {
        Path gz = dir.resolve("mimic-cxr-2.0.0-split.csv.gz");
        Path plain = dir.resolve("mimic-cxr-2.0.0-split.csv");
        return Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
    }
}
