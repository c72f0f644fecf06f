package org.lovt.config;

/**
 * Thrown by a config record's constructor when a value is out of range. It carries the YAML key of the component
 * (e.g. {@code similarity_temperature}); the binder prefixes the full key path and the file the value came from.
 */
public class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     YAML name of the offending component, relative to the record being built
     * @param problem what is wrong, e.g. {@code must be > 0, got -1.0}
     */
    public InvalidValueException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** YAML name of the offending component, relative to the record. */
    public String key() {
        return key;
    }

    /** The problem without the key prefix. */
    public String problem() {
        return getMessage().substring(key.length() + 2);
    }
}
