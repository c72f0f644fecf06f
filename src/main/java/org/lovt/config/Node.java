package org.lovt.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The untyped configuration tree used while composing: maps, lists and scalar leaves, each remembering its
 * {@link Source}. Mutable on purpose (composition merges in place); {@link ResolvedConfig} keeps a private copy and
 * exposes it read-only.
 */
abstract sealed class Node permits Node.MapNode, Node.ListNode, Node.ValueNode {

    /** Hydra's "mandatory value not set yet" marker, written {@code ???} in YAML. */
    static final String MISSING_TEXT = "???";

    private final Source source;

    Node(Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    Source source() {
        return source;
    }

    abstract Node copy();

    /** Short description of the value for error messages: {@code 'fast'}, {@code 3}, {@code a map}. */
    abstract String describe();

    /** Plain Java value: Map / List / String / Long / Double / Boolean / null (MISSING becomes "???"). */
    abstract Object toPlain();

    /** A map with string keys, in insertion order. */
    static final class MapNode extends Node {
        private final LinkedHashMap<String, Node> children = new LinkedHashMap<>();

        MapNode(Source source) {
            super(source);
        }

        Map<String, Node> children() {
            return children;
        }

        Node get(String key) {
            return children.get(key);
        }

        void put(String key, Node value) {
            children.put(key, value);
        }

        @Override
        MapNode copy() {
            MapNode m = new MapNode(source());
            children.forEach((k, v) -> m.children.put(k, v.copy()));
            return m;
        }

        @Override
        String describe() {
            return "a map";
        }

        @Override
        Object toPlain() {
            Map<String, Object> m = new LinkedHashMap<>();
            children.forEach((k, v) -> m.put(k, v.toPlain()));
            return m;
        }
    }

    /** A sequence. Lists are replaced, never merged, during composition (Hydra semantics). */
    static final class ListNode extends Node {
        private final List<Node> items = new ArrayList<>();

        ListNode(Source source) {
            super(source);
        }

        List<Node> items() {
            return items;
        }

        @Override
        ListNode copy() {
            ListNode l = new ListNode(source());
            items.forEach(i -> l.items.add(i.copy()));
            return l;
        }

        @Override
        String describe() {
            return "a list";
        }

        @Override
        Object toPlain() {
            List<Object> l = new ArrayList<>();
            items.forEach(i -> l.add(i.toPlain()));
            return l;
        }
    }

    /** A scalar: String, Long, Double, Boolean, null, or the MISSING marker. */
    static final class ValueNode extends Node {
        private static final Object MISSING = new Object();
        private final Object value;

        ValueNode(Object value, Source source) {
            super(source);
            if (value instanceof Integer i) {
                value = i.longValue();
            } else if (value instanceof Float f) {
                value = f.doubleValue();
            }
            if (value != null && value != MISSING && !(value instanceof String || value instanceof Long
                    || value instanceof Double || value instanceof Boolean || value instanceof java.math.BigInteger)) {
                throw new IllegalArgumentException("unsupported scalar " + value.getClass());
            }
            this.value = value;
        }

        static ValueNode missing(Source source) {
            return new ValueNode(MISSING, source);
        }

        boolean isMissing() {
            return value == MISSING;
        }

        boolean isNull() {
            return value == null;
        }

        /** The scalar; must not be called on a MISSING node. */
        Object value() {
            if (isMissing()) {
                throw new IllegalStateException("missing value");
            }
            return value;
        }

        @Override
        ValueNode copy() {
            return this; // immutable
        }

        @Override
        String describe() {
            if (isMissing()) {
                return MISSING_TEXT;
            }
            if (value instanceof String s) {
                return "'" + s + "'";
            }
            return String.valueOf(value);
        }

        @Override
        Object toPlain() {
            return isMissing() ? MISSING_TEXT : value;
        }
    }

    /** A tree from plain Java values (maps, lists, scalars), every node tagged with {@code source}. */
    static Node fromPlain(Object plain, Source source) {
        if (plain instanceof Map<?, ?> map) {
            MapNode m = new MapNode(source);
            map.forEach((k, v) -> m.put(String.valueOf(k), fromPlain(v, source)));
            return m;
        }
        if (plain instanceof List<?> list) {
            ListNode l = new ListNode(source);
            list.forEach(i -> l.items().add(fromPlain(i, source)));
            return l;
        }
        if (plain instanceof java.math.BigDecimal d) {
            return new ValueNode(d.doubleValue(), source);
        }
        if (plain instanceof Short || plain instanceof Byte) {
            return new ValueNode(((Number) plain).longValue(), source);
        }
        return new ValueNode(plain, source);
    }

    /** Joins key paths: {@code join("", "a") = "a"}, {@code join("a", "b") = "a.b"}. */
    static String join(String parent, String key) {
        if (parent == null || parent.isEmpty()) {
            return key;
        }
        if (key == null || key.isEmpty()) {
            return parent;
        }
        return parent + "." + key;
    }

    /** Splits a dotted key path; the empty path has no segments. */
    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        if (path == null || path.isEmpty()) {
            return parts;
        }
        for (String p : path.split("\\.", -1)) {
            parts.add(p);
        }
        return parts;
    }

    /** The node at a dotted path (map keys, or list indices), or null. */
    static Node find(Node root, String path) {
        Node cur = root;
        for (String seg : split(path)) {
            cur = child(cur, seg);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    /** A direct child by map key or list index, or null. */
    static Node child(Node node, String segment) {
        if (node instanceof MapNode m) {
            return m.get(segment);
        }
        if (node instanceof ListNode l) {
            Integer idx = parseIndex(segment);
            if (idx != null && idx < l.items().size()) {
                return l.items().get(idx);
            }
        }
        return null;
    }

    static Integer parseIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return null;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(segment);
    }

    /**
     * Deep merge of {@code src} into {@code dst} (Hydra/OmegaConf semantics): maps merge key by key, anything else
     * (lists, scalars, null) replaces, and a MISSING value never replaces an existing one.
     */
    static void merge(MapNode dst, MapNode src) {
        for (Map.Entry<String, Node> e : src.children().entrySet()) {
            Node incoming = e.getValue();
            Node existing = dst.get(e.getKey());
            if (existing != null && incoming instanceof ValueNode v && v.isMissing()) {
                continue;
            }
            if (existing instanceof MapNode em && incoming instanceof MapNode im) {
                merge(em, im);
            } else {
                dst.put(e.getKey(), incoming.copy());
            }
        }
    }

    /**
     * The map at a dotted package path below {@code root}, creating maps on the way and replacing any non-map
     * (null, MISSING, scalar) that sits there: a config placed at a package always turns it into a map.
     */
    static MapNode ensureMap(MapNode root, String packagePath, Source source) {
        MapNode cur = root;
        for (String seg : split(packagePath)) {
            Node next = cur.get(seg);
            if (!(next instanceof MapNode)) {
                MapNode created = new MapNode(source);
                cur.put(seg, created);
                next = created;
            }
            cur = (MapNode) next;
        }
        return cur;
    }
}
