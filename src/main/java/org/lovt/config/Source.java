package org.lovt.config;

/**
 * Where a configuration value came from: a file (with 1-based line, 0 if unknown), the command line, or the
 * defaults of a config record. Printed as {@code file:line}, {@code command line} or {@code defaults of X}.
 *
 * @param origin file path as shown to the user, or a description such as {@code command line}
 * @param line   1-based line in {@code origin}, or 0 when not applicable
 */
public record Source(String origin, int line) {

    /** Values given as command-line overrides. */
    public static final Source COMMAND_LINE = new Source("command line", 0);

    public Source {
        if (origin == null || origin.isEmpty()) {
            throw new IllegalArgumentException("origin must not be empty");
        }
    }

    static Source of(String origin) {
        return new Source(origin, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? origin + ":" + line : origin;
    }
}
