package org.lovt.config;

/**
 * Config records built from their {@link ConfigDefault}s alone, e.g.
 * {@code ConfigDefaults.of(ScanAugmentationConfig.class)} — the Java counterpart of calling a dataclass with no
 * arguments.
 */
public final class ConfigDefaults {
    private ConfigDefaults() {}

    /**
     * The record with every component at its default.
     *
     * @throws ConfigException naming the first mandatory component (one without a default)
     */
    public static <T extends Record> T of(Class<T> recordClass) {
        return Binder.bind(new Node.MapNode(Schema.defaultsSource(recordClass)), "", recordClass);
    }
}
