package org.lovt.data.datasets.objectcxr;

import java.nio.file.Path;

/**
 * One Object-CXR image.
 *
 * @param id         the image name without {@code .jpg}
 * @param dev        whether it comes from the dev set (the test split)
 * @param annotation the annotation field as written (empty for none)
 * @param image      {@code input/train/<id>.jpg} or {@code input/dev/<id>.jpg}
 * @param labels     the CSV file and line it came from (for messages)
 */
public record ObjectCxrImage(String id, boolean dev, String annotation, Path image, String labels) {}
