package org.lovt.config;

import org.lovt.LovtException;

/**
 * A configuration that cannot be composed, parsed or bound.
 *
 * <p>The message is a single line of the form {@code <where>: <key path>: <problem>}, where {@code <where>} is the
 * file (with line) the offending value came from, or {@code command line}, so that the CLI can print it as the whole
 * explanation and exit with status 2.
 */
public class ConfigException extends LovtException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code source: keyPath: problem}, leaving out the parts that are unknown or empty. */
    static ConfigException at(Source source, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source).append(": ");
        }
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return new ConfigException(sb.append(problem).toString());
    }
}
