package org.lovt.config;

import java.util.List;

/** Applies value overrides ({@code key=v}, {@code +key=v}, {@code ++key=v}, {@code ~key}) to a composed tree. */
final class ValueOverrides {
    private ValueOverrides() {}

    static void apply(Node.MapNode root, CliOverride o) {
        List<String> segs = Node.split(o.key());
        String last = segs.get(segs.size() - 1);
        Node parent = root;
        String parentPath = "";
        boolean create = o.kind() == CliOverride.Kind.ADD || o.kind() == CliOverride.Kind.FORCE_ADD;
        for (String seg : segs.subList(0, segs.size() - 1)) {
            Node next = Node.child(parent, seg);
            if (next == null && create && parent instanceof Node.MapNode pm) {
                next = new Node.MapNode(Source.COMMAND_LINE);
                pm.put(seg, next);
            }
            if (next == null) {
                throw notFound(o, parent, seg, Node.join(parentPath, seg));
            }
            parent = next;
            parentPath = Node.join(parentPath, seg);
        }
        Node existing = Node.child(parent, last);
        switch (o.kind()) {
            case SET -> {
                if (existing == null) {
                    throw notFound(o, parent, last, o.key());
                }
                put(parent, last, o);
            }
            case ADD -> {
                if (existing != null) {
                    throw ConfigException.at(Source.COMMAND_LINE, null, "could not add '" + o.key()
                            + "': the key already exists (value " + existing.describe() + " from " + existing.source()
                            + "); use '" + o.key() + "=...' to change it");
                }
                put(parent, last, o);
            }
            case FORCE_ADD -> put(parent, last, o);
            case DELETE -> {
                if (existing == null) {
                    throw notFound(o, parent, last, o.key());
                }
                if (o.value() != null && !java.util.Objects.equals(o.value().toPlain(), existing.toPlain())) {
                    throw ConfigException.at(Source.COMMAND_LINE, null, "could not delete '" + o.key()
                            + "': its value is " + existing.describe() + ", not " + o.value().describe());
                }
                if (parent instanceof Node.MapNode pm) {
                    pm.children().remove(last);
                } else {
                    ((Node.ListNode) parent).items().remove((int) Node.parseIndex(last));
                }
            }
            default -> throw new IllegalStateException(o.kind().toString());
        }
    }

    private static void put(Node parent, String key, CliOverride o) {
        if (parent instanceof Node.MapNode pm) {
            pm.put(key, o.value());
            return;
        }
        if (parent instanceof Node.ListNode pl) {
            Integer idx = Node.parseIndex(key);
            if (idx != null && idx < pl.items().size()) {
                pl.items().set(idx, o.value());
                return;
            }
        }
        throw ConfigException.at(Source.COMMAND_LINE, null, "could not override '" + o.key() + "': its parent is "
                + parent.describe() + " (from " + parent.source() + "), not a map");
    }

    private static ConfigException notFound(CliOverride o, Node parent, String missing, String missingPath) {
        String hint = parent instanceof Node.MapNode pm ? Suggest.hint(missing, pm.children().keySet()) : "";
        String verb = o.kind() == CliOverride.Kind.DELETE ? "delete" : "override";
        String advice = o.kind() == CliOverride.Kind.DELETE ? ""
                : "; use '+" + o.key() + "=...' to add a new key";
        String where = missingPath.equals(o.key()) ? "key not found" : "'" + missingPath + "' not found";
        return ConfigException.at(Source.COMMAND_LINE, null, "could not " + verb + " '" + o.key() + "': " + where
                + hint + advice);
    }
}
