package org.lovt.config;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fully composed configuration: defaults lists merged, command-line overrides applied and {@code ${...}}
 * references resolved, with the source (file and line, or command line) of every value. Immutable.
 *
 * <p>{@link #bind(Class)} turns it into a config record, strictly; {@link #toYaml()} shows the tree as composed
 * (values not given anywhere show the record defaults contributed by structured configs, or {@code ???}).
 */
public final class ResolvedConfig {

    private final Node.MapNode root;

    ResolvedConfig(Node.MapNode root) {
        this.root = root.copy();
    }

    /** Binds the whole configuration to a config record (unknown keys, wrong types and missing values fail). */
    public <T> T bind(Class<T> type) {
        return Binder.bind(root, "", type);
    }

    /** Binds the subtree at {@code keyPath} (e.g. {@code pretrain_model}) to a config record. */
    public <T> T bind(String keyPath, Class<T> type) {
        Node n = Node.find(root, keyPath);
        if (n == null) {
            throw ConfigException.at(null, keyPath, "no such key" + hint(keyPath));
        }
        return Binder.bind(n, keyPath, type);
    }

    /** Whether a value exists at the dotted key path. */
    public boolean contains(String keyPath) {
        return Node.find(root, keyPath) != null;
    }

    /**
     * The plain value at the dotted key path: a {@code Map}, {@code List}, {@code String}, {@code Long},
     * {@code Double}, {@code Boolean} or null (wrapped in {@code Optional} as absent); MISSING reads as "???".
     */
    public Optional<Object> value(String keyPath) {
        Node n = Node.find(root, keyPath);
        return n == null ? Optional.empty() : Optional.ofNullable(n.toPlain());
    }

    /** Where the value at the key path was set. */
    public Optional<Source> source(String keyPath) {
        return Optional.ofNullable(Node.find(root, keyPath)).map(Node::source);
    }

    /** One line per leaf: {@code key.path: value  # source}, in tree order, for debugging compositions. */
    public List<String> describeSources() {
        List<String> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    /** The composed tree as YAML. */
    public String toYaml() {
        try {
            return ConfigYaml.mapper().writeValueAsString(root.toPlain());
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot write configuration as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@link #toYaml()} atomically. */
    public void writeYaml(Path file) {
        ConfigYaml.writeAtomically(file, toYaml());
    }

    private String hint(String keyPath) {
        List<String> segs = Node.split(keyPath);
        Node parent = Node.find(root, String.join(".", segs.subList(0, segs.size() - 1)));
        return parent instanceof Node.MapNode pm ? Suggest.hint(segs.get(segs.size() - 1), pm.children().keySet())
                : "";
    }

    private static void collect(Node n, String path, List<String> out) {
        if (n instanceof Node.MapNode m && !m.children().isEmpty()) {
            for (Map.Entry<String, Node> e : m.children().entrySet()) {
                collect(e.getValue(), Node.join(path, e.getKey()), out);
            }
        } else if (n instanceof Node.ListNode l && l.items().stream().anyMatch(i -> !(i instanceof Node.ValueNode))) {
            for (int i = 0; i < l.items().size(); i++) {
                collect(l.items().get(i), Node.join(path, String.valueOf(i)), out);
            }
        } else {
            String v = n instanceof Node.ValueNode ? n.describe() : String.valueOf(n.toPlain());
            out.add(path + ": " + v + "  # " + n.source());
        }
    }
}
