package org.lovt.data.datasets.nih;

import java.util.List;

import org.lovt.data.datasets.prepare.Box;

/**
 * One NIH ChestX-ray14 image of the prepared set.
 *
 * @param id        the image index without {@code .png} (e.g. {@code 00000002_000})
 * @param patient   the first 8 characters (the patient number)
 * @param boxes     the annotated boxes with their class (empty for a "No Finding" image)
 * @param noFinding whether it is one of the added "No Finding" images
 * @param problem   why its labels are unusable (it is then skipped), or null
 */
public record NihImage(String id, String patient, List<Box> boxes, boolean noFinding, String problem) {}
