package org.lovt.data.datasets.covid;

import java.nio.file.Path;

/**
 * One COVID Rural image with its opacity mask.
 *
 * @param id      the file name without {@code .jpg}
 * @param patient the part of the id before the first {@code _}
 * @param image   {@code jpgs/<id>.jpg}
 * @param mask    {@code pngs_masks/<id>.png}
 */
public record CovidScan(String id, String patient, Path image, Path mask) {}
