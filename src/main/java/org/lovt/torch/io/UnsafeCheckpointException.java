package org.lovt.torch.io;

import java.nio.file.Path;

/**
 * A checkpoint whose pickle names a Python global that the restricted unpickler does not construct, for example
 * {@code os.system}, {@code builtins.eval} or a user class in the hyper-parameters.
 *
 * <p>Nothing named by the pickle is ever executed or looked up: the reader stops at the first such global. Like
 * {@code torch.load(weights_only=True)}, only tensors, storages and plain containers are built.
 */
public class UnsafeCheckpointException extends CheckpointFormatException {
    private static final long serialVersionUID = 1L;

    private final String globalName;

    /** {@code file} names {@code globalName} ({@code module.name}); {@code problem} explains the refusal. */
    public UnsafeCheckpointException(Path file, String globalName, String problem) {
        super(file, problem);
        this.globalName = globalName;
    }

    /** The refused global as {@code module.name}, e.g. {@code "os.system"}. */
    public String globalName() {
        return globalName;
    }
}
