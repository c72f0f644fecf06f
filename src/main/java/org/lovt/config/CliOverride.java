package org.lovt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One command-line override, in Hydra's syntax.
 *
 * <ul>
 *   <li>{@code key.path=value}: change an existing value (error if the key does not exist);</li>
 *   <li>{@code +key.path=value}: add a key that does not exist yet (error if it does);</li>
 *   <li>{@code ++key.path=value}: add or change;</li>
 *   <li>{@code ~key.path} or {@code ~key.path=value}: delete (the value, if given, must match);</li>
 *   <li>the same forms with a config group as key select options: {@code +experiment=LoVT_100},
 *       {@code scan_encoder@pretrain_model.encoder_a=resnet50_imagenet}, {@code ~online_eval}.</li>
 * </ul>
 * Values are YAML flow values: {@code 3e-5}, {@code [0]}, {@code null}, {@code 'quoted string'}; an empty value is
 * the empty string.
 *
 * @param kind     what to do
 * @param key      the key path or group (with optional {@code @package})
 * @param value    parsed value, or null when none was given ({@code ~key})
 * @param text     the override as typed, for messages
 */
record CliOverride(Kind kind, String key, Node value, String text) {

    enum Kind { SET, ADD, FORCE_ADD, DELETE }

    private static final Pattern VALUE_KEY = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");
    private static final Pattern GROUP_KEY =
            Pattern.compile("/?[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*(@[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*)?");

    static List<CliOverride> parseAll(List<String> texts) {
        List<CliOverride> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parse(t));
        }
        return out;
    }

    static CliOverride parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(String.valueOf(text), "empty override");
        }
        String rest = text;
        Kind kind = Kind.SET;
        if (rest.startsWith("++")) {
            kind = Kind.FORCE_ADD;
            rest = rest.substring(2);
        } else if (rest.startsWith("+")) {
            kind = Kind.ADD;
            rest = rest.substring(1);
        } else if (rest.startsWith("~")) {
            kind = Kind.DELETE;
            rest = rest.substring(1);
        }
        int eq = rest.indexOf('=');
        String key = (eq < 0 ? rest : rest.substring(0, eq)).strip();
        if (eq < 0 && kind != Kind.DELETE) {
            throw bad(text, "expected key=value");
        }
        if (key.isEmpty()) {
            throw bad(text, "missing key before '='");
        }
        if (!VALUE_KEY.matcher(key).matches() && !GROUP_KEY.matcher(key).matches()) {
            throw bad(text, "invalid key '" + key + "' (expected a dotted key path like pretrain_model.learning_rate,"
                    + " or a config group like experiment)");
        }
        Node value = null;
        if (eq >= 0) {
            value = parseValue(text, rest.substring(eq + 1));
        }
        return new CliOverride(kind, key, value, text);
    }

    /** Keys with {@code @} or {@code /} can only be config groups; plain names are decided by the repository. */
    boolean syntacticallyGroup() {
        return key.contains("@") || key.contains("/");
    }

    /** The group path of a group key: without the leading {@code /} and the {@code @package}. */
    String group() {
        String k = key.startsWith("/") ? key.substring(1) : key;
        int at = k.indexOf('@');
        return at < 0 ? k : k.substring(0, at);
    }

    /** The {@code @package} of a group key, or null. */
    String pkg() {
        int at = key.indexOf('@');
        return at < 0 ? null : key.substring(at + 1);
    }

    /** Hydra's override key: group, plus {@code @package} if one was given. */
    String overrideKey() {
        return pkg() == null || pkg().isEmpty() ? group() : group() + "@" + pkg();
    }

    /** Option names of a group override: one name, a list of names, or none for {@code null}. */
    List<String> options() {
        List<String> out = new ArrayList<>();
        if (value == null || value instanceof Node.ValueNode v && v.isNull()) {
            return out;
        }
        if (value instanceof Node.ValueNode v && !v.isMissing() && v.value() instanceof String s && !s.isEmpty()) {
            out.add(s);
            return out;
        }
        if (value instanceof Node.ListNode l) {
            for (Node n : l.items()) {
                if (!(n instanceof Node.ValueNode v && !v.isMissing() && v.value() instanceof String s)) {
                    throw bad(text, "expected option names, got " + n.describe());
                }
                out.add(s);
            }
            return out;
        }
        throw bad(text, "expected an option name or a list of option names, got " + value.describe());
    }

    static ConfigException bad(String text, String problem) {
        return ConfigException.at(Source.COMMAND_LINE, null, "bad override '" + text + "': " + problem);
    }

    private static Node parseValue(String text, String raw) {
        if (raw.isEmpty()) {
            return new Node.ValueNode("", Source.COMMAND_LINE);
        }
        Node parsed;
        try {
            parsed = YamlReader.read(raw, Source.COMMAND_LINE.origin());
        } catch (ConfigException e) {
            String msg = e.getMessage();
            int i = msg.indexOf("malformed YAML: ");
            throw bad(text, "malformed value '" + raw + "'" + (i >= 0 ? ": " + msg.substring(i + 16) : ""));
        }
        return retag(parsed);
    }

    /** Command-line values have no useful line numbers. */
    private static Node retag(Node n) {
        if (n instanceof Node.MapNode m) {
            Node.MapNode out = new Node.MapNode(Source.COMMAND_LINE);
            m.children().forEach((k, v) -> out.put(k, retag(v)));
            return out;
        }
        if (n instanceof Node.ListNode l) {
            Node.ListNode out = new Node.ListNode(Source.COMMAND_LINE);
            l.items().forEach(i -> out.items().add(retag(i)));
            return out;
        }
        Node.ValueNode v = (Node.ValueNode) n;
        return v.isMissing() ? Node.ValueNode.missing(Source.COMMAND_LINE) : new Node.ValueNode(v.value(),
                Source.COMMAND_LINE);
    }
}
