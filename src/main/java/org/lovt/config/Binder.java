package org.lovt.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Strict binding of a {@link Node} tree to an immutable config record.
 *
 * <p>A schema-directed walk first checks every key and value against the record types (unknown keys, wrong types,
 * nulls where none are allowed, values left MISSING) and fills in {@link ConfigDefault}s, so each problem is
 * reported with the file/line it came from, the full key path and the expected type. Jackson then builds the
 * records; because the walk already guaranteed the shapes, the only errors left are the range checks in record
 * constructors, which are also mapped back to file and key. Each record is built as soon as its subtree is
 * checked so that such an error is attributed to the innermost record.
 */
final class Binder {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Binder() {}

    /** Binds {@code node} (found at {@code path}, "" for the root) to {@code type}. */
    static <T> T bind(Node node, String path, Class<T> type) {
        Node work = node.copy(); // the walk fills defaults in place
        JsonNode json = walk(work, path, type, false);
        return construct(json, type, work, path);
    }

    private static JsonNode walk(Node node, String path, Type type, boolean nullable) {
        if (node instanceof Node.ValueNode v && v.isMissing()) {
            throw ConfigException.at(node.source(), path, "missing mandatory value (expected " + Schema.describe(type)
                    + "; set it in a config file or on the command line)");
        }
        if (node instanceof Node.ValueNode v && v.isNull()) {
            if (nullable) {
                return JSON.nullNode();
            }
            throw typeError(node, path, type);
        }
        Class<?> raw = Schema.raw(type);
        if (raw.isRecord()) {
            return walkRecord(node, path, raw);
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!(node instanceof Node.ListNode l)) {
                throw typeError(node, path, type);
            }
            ArrayNode arr = JSON.arrayNode();
            Type elem = Schema.typeArg(type, 0);
            for (int i = 0; i < l.items().size(); i++) {
                arr.add(walk(l.items().get(i), Node.join(path, String.valueOf(i)), elem, false));
            }
            return arr;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(node instanceof Node.MapNode m)) {
                throw typeError(node, path, type);
            }
            ObjectNode obj = JSON.objectNode();
            Type valueType = Schema.typeArg(type, 1);
            boolean anyValue = Schema.raw(valueType) == Object.class;
            m.children().forEach((k, v) -> obj.set(k, walk(v, Node.join(path, k), valueType, anyValue)));
            return obj;
        }
        if (raw == Object.class) {
            return ConfigYaml.mapper().valueToTree(node.toPlain());
        }
        return scalar(node, path, type, raw);
    }

    private static JsonNode walkRecord(Node node, String path, Class<?> recordClass) {
        if (!(node instanceof Node.MapNode m)) {
            throw typeError(node, path, recordClass);
        }
        List<Schema.Field> fields = Schema.fields(recordClass);
        for (Map.Entry<String, Node> e : m.children().entrySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(e.getKey()))) {
                String full = Node.join(path, e.getKey());
                throw ConfigException.at(e.getValue().source(), null, "unknown key '" + full + "'"
                        + Suggest.hint(e.getKey(), fields.stream().map(Schema.Field::name).toList())
                        + " in " + recordClass.getSimpleName());
            }
        }
        ObjectNode obj = JSON.objectNode();
        for (Schema.Field f : fields) {
            Node child = m.get(f.name());
            String childPath = Node.join(path, f.name());
            if (child == null) {
                child = Schema.defaultNode(recordClass, f);
                if (child == null) {
                    throw ConfigException.at(m.source(), childPath, "missing mandatory value (expected "
                            + Schema.describe(f.type()) + "; set it in a config file or on the command line)");
                }
                m.put(f.name(), child);
            }
            obj.set(f.name(), walk(child, childPath, f.type(), f.nullable()));
        }
        construct(obj, recordClass, m, path);
        return obj;
    }

    private static JsonNode scalar(Node node, String path, Type type, Class<?> raw) {
        if (!(node instanceof Node.ValueNode v)) {
            throw typeError(node, path, type);
        }
        Object value = v.value();
        if (raw == String.class && value instanceof String s) {
            return JSON.textNode(s);
        }
        if ((raw == boolean.class || raw == Boolean.class) && value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (raw == int.class || raw == Integer.class) {
            if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return JSON.numberNode(l.intValue());
            }
            throw typeError(node, path, type);
        }
        if (raw == long.class || raw == Long.class) {
            if (value instanceof Long l) {
                return JSON.numberNode(l);
            }
            throw typeError(node, path, type);
        }
        if (raw == double.class || raw == Double.class) {
            if (value instanceof Double d) {
                return JSON.numberNode(d);
            }
            if (value instanceof Long l) {
                return JSON.numberNode(l.doubleValue());
            }
            if (value instanceof BigInteger b) {
                return JSON.numberNode(b.doubleValue());
            }
            throw typeError(node, path, type);
        }
        if (raw.isEnum() && value instanceof String s) {
            Map<String, Enum<?>> values = Schema.enumValues(raw);
            if (values.containsKey(s)) {
                return JSON.textNode(s);
            }
            throw ConfigException.at(node.source(), path, "expected " + Schema.describe(type) + ", got '" + s + "'"
                    + Suggest.hint(s, values.keySet()));
        }
        throw typeError(node, path, type);
    }

    private static ConfigException typeError(Node node, String path, Type type) {
        return ConfigException.at(node.source(), path, "expected " + Schema.describe(type) + ", got "
                + node.describe());
    }

    /** Builds the record with Jackson, mapping constructor range checks back to file and key. */
    private static <T> T construct(JsonNode json, Class<T> type, Node node, String path) {
        try {
            return ConfigYaml.mapper().treeToValue(json, type);
        } catch (JsonProcessingException e) {
            InvalidValueException invalid = findInvalid(e);
            if (invalid != null) {
                Node at = Node.find(node, invalid.key());
                Source src = at != null ? at.source() : node.source();
                throw ConfigException.at(src, Node.join(path, invalid.key()), invalid.problem());
            }
            throw ConfigException.at(node.source(), path, "cannot bind to " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    private static InvalidValueException findInvalid(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidValueException i) {
                return i;
            }
        }
        return null;
    }
}
