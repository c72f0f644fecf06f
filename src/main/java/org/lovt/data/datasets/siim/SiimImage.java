package org.lovt.data.datasets.siim;

import java.nio.file.Path;
import java.util.List;

/**
 * One SIIM-ACR image with its run-length annotations.
 *
 * @param id          the ImageId (SOP Instance UID)
 * @param annotations the EncodedPixels of its rows, in file order
 * @param dicom       the DICOM file found for it, or null
 * @param problem     why it cannot be prepared (no or several DICOM files), or null
 */
public record SiimImage(String id, List<String> annotations, Path dicom, String problem) {}
