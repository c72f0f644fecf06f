package org.lovt.torch.io;

import java.nio.file.Path;

import org.lovt.LovtException;

/** A safetensors file that is malformed or unreadable; the message names the file and the problem. */
public class SafetensorsException extends LovtException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
