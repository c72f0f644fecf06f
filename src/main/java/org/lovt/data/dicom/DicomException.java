package org.lovt.data.dicom;

import org.lovt.LovtException;

/**
 * A DICOM file that this reader cannot or will not read: not Part 10, truncated, inconsistent, or encoded with a
 * transfer syntax it does not decode.
 *
 * <p>The message always names the file and what is wrong, with the byte offset where one helps, so that the command
 * line can print it as a one-line reason.
 */
public class DicomException extends LovtException {
    private static final long serialVersionUID = 1L;

    /** @param message the file, then what is wrong: {@code "x.dcm: ..."} */
    public DicomException(String message) {
        super(message);
    }

    /** @param message the file, then what is wrong; {@code cause} the lower-level failure */
    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
