package org.lovt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a Hydra 1.1 defaults list.
 *
 * <ul>
 *   <li>{@code _self_}: where the file's own content is merged (implicitly last when absent);</li>
 *   <li>{@code name} / {@code /abs/name}: another config, relative to the containing config's group;</li>
 *   <li>{@code group: option}, {@code /group@pkg: option}, {@code group: [a, b]}, {@code optional group: x}:
 *       option(s) of a config group; {@code group: null} selects nothing.</li>
 * </ul>
 *
 * @param kind     SELF, CONFIG or GROUP
 * @param path     config path (CONFIG) or group (GROUP) as written, possibly starting with {@code /}
 * @param pkg      the {@code @package} as written, or null
 * @param options  selected options of a GROUP entry (empty for {@code null}); empty for the others
 * @param optional {@code optional} keyword: a missing option is skipped instead of being an error
 * @param source   where the entry was written
 */
record DefaultEntry(Kind kind, String path, String pkg, List<String> options, boolean optional, Source source) {

    enum Kind { SELF, CONFIG, GROUP }

    static final String SELF = "_self_";

    DefaultEntry {
        options = List.copyOf(options);
    }

    boolean absolute() {
        return path.startsWith("/");
    }

    /** The path without a leading {@code /}. */
    String relativePath() {
        return absolute() ? path.substring(1) : path;
    }

    /** Same entry with other options (a command-line group override). */
    DefaultEntry withOptions(List<String> newOptions, Source newSource) {
        return new DefaultEntry(kind, path, pkg, newOptions, optional, newSource);
    }

    /** Parses the value of a {@code defaults:} key. */
    static List<DefaultEntry> parseList(Node node) {
        List<DefaultEntry> out = new ArrayList<>();
        if (node instanceof Node.ValueNode v && v.isNull()) {
            return out;
        }
        if (!(node instanceof Node.ListNode list)) {
            throw ConfigException.at(node.source(), "defaults", "expected a list, got " + node.describe());
        }
        for (Node item : list.items()) {
            out.add(parse(item));
        }
        return out;
    }

    private static DefaultEntry parse(Node item) {
        if (item instanceof Node.ValueNode v && !v.isMissing() && v.value() instanceof String s) {
            String name = s.strip();
            if (name.equals(SELF)) {
                return new DefaultEntry(Kind.SELF, SELF, null, List.of(), false, item.source());
            }
            checkName(name, item.source());
            return new DefaultEntry(Kind.CONFIG, name, null, List.of(), false, item.source());
        }
        if (item instanceof Node.MapNode m && m.children().size() == 1) {
            Map.Entry<String, Node> e = m.children().entrySet().iterator().next();
            String key = e.getKey().strip();
            boolean optional = false;
            if (key.startsWith("optional ")) {
                optional = true;
                key = key.substring("optional ".length()).strip();
            } else if (key.startsWith("override ")) {
                throw ConfigException.at(item.source(), "defaults",
                        "'override' entries are not supported; select the option where the group is first listed");
            }
            String group = key;
            String pkg = null;
            int at = key.indexOf('@');
            if (at >= 0) {
                group = key.substring(0, at);
                pkg = key.substring(at + 1);
            }
            checkName(group, item.source());
            return new DefaultEntry(Kind.GROUP, group, pkg, options(e.getValue()), optional, item.source());
        }
        throw ConfigException.at(item.source(), "defaults",
                "invalid entry " + item.describe() + " (expected a name, _self_, or 'group: option')");
    }

    private static List<String> options(Node value) {
        List<String> opts = new ArrayList<>();
        if (value instanceof Node.ValueNode v && v.isNull()) {
            return opts;
        }
        if (value instanceof Node.ValueNode v && !v.isMissing() && v.value() instanceof String s) {
            opts.add(s);
            return opts;
        }
        if (value instanceof Node.ListNode l) {
            for (Node n : l.items()) {
                if (!(n instanceof Node.ValueNode v && !v.isMissing() && v.value() instanceof String s)) {
                    throw ConfigException.at(n.source(), "defaults", "expected an option name, got " + n.describe());
                }
                opts.add(s);
            }
            return opts;
        }
        throw ConfigException.at(value.source(), "defaults",
                "expected an option name or a list of option names, got " + value.describe());
    }

    private static void checkName(String name, Source source) {
        if (!name.matches("/?[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*")) {
            throw ConfigException.at(source, "defaults", "invalid config or group name '" + name + "'");
        }
    }
}
