package org.lovt.torch.io;

import java.nio.file.Path;

import org.lovt.LovtException;

/**
 * A checkpoint file that cannot be read: not a {@code torch.save} file, a malformed or truncated archive, pickle
 * data that does not describe tensors and containers, or tensor metadata that does not fit its storage.
 *
 * <p>The message always starts with the file, so that a command line can print it as the one-line reason.
 */
public class CheckpointFormatException extends LovtException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}; the message becomes {@code "<file>: <problem>"}. */
    public CheckpointFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file} caused by {@code cause} (an I/O error, a parser's own exception). */
    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The checkpoint file at fault. */
    public Path file() {
        return file;
    }
}
