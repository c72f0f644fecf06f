package org.lovt.config;

import java.util.List;

/**
 * A config as loaded from a YAML file or produced from a config record's defaults: its content (without the
 * {@code defaults} key), its defaults list and its {@code @package} header.
 *
 * @param origin        file shown in messages
 * @param packageHeader {@code # @package} value, or null
 * @param defaults      parsed defaults list (empty if none)
 * @param content       the values of the file
 */
record ConfigFile(String origin, String packageHeader, List<DefaultEntry> defaults, Node.MapNode content) {

    ConfigFile {
        defaults = List.copyOf(defaults);
    }

    /** Parses a YAML config file. */
    static ConfigFile parse(String text, String origin) {
        Node.MapNode root = YamlReader.readMap(text, origin);
        List<DefaultEntry> defaults = List.of();
        Node d = root.children().remove("defaults");
        if (d != null) {
            defaults = DefaultEntry.parseList(d);
        }
        return new ConfigFile(origin, YamlReader.packageHeader(text), defaults, root);
    }
}
