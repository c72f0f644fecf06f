package org.lovt;

/**
 * Base of every error the library raises for bad input: malformed files, bad configs, shape mismatches.
 *
 * <p>Messages always name the file, key or shape at fault, so that the command line can print them as a
 * one-line reason (and exit with status 2) without a stack trace.
 */
public class LovtException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LovtException(String message) {
        super(message);
    }

    public LovtException(String message, Throwable cause) {
        super(message, cause);
    }
}
