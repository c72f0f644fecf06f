package org.lovt.data.datasets.rsna;

import java.util.List;

import org.lovt.data.datasets.prepare.Box;

/**
 * One RSNA image with its labels.
 *
 * @param id      the patientId (also the image name)
 * @param boxes   the opacity boxes (class 1), empty for a negative image
 * @param problem why the labels are unusable (the image is then skipped), or null
 */
public record RsnaPatient(String id, List<Box> boxes, String problem) {}
