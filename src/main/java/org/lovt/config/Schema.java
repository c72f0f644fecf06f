package org.lovt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reflection over config records: the YAML name, Java type, default and nullability of every component. Names
 * follow the same rule as the Jackson mapper ({@link ConfigYaml}): {@code @JsonProperty} if present, else
 * snake_case of the component name ({@code dZg} → {@code d_zg}).
 */
final class Schema {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Map<String, Enum<?>>> ENUMS = new ConcurrentHashMap<>();

    private Schema() {}

    /**
     * One record component.
     *
     * @param name        YAML key
     * @param type        generic Java type
     * @param defaultYaml the {@link ConfigDefault} text, or null if mandatory
     * @param nullable    whether {@link Nullable}
     */
    record Field(String name, Type type, String defaultYaml, boolean nullable) {}

    static boolean isRecord(Type t) {
        return t instanceof Class<?> c && c.isRecord();
    }

    /** Components of a config record, in declaration order. */
    static List<Field> fields(Class<?> recordClass) {
        return FIELDS.computeIfAbsent(recordClass, c -> {
            List<Field> out = new ArrayList<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                ConfigDefault d = rc.getAnnotation(ConfigDefault.class);
                out.add(new Field(jsonName(rc), rc.getGenericType(), d == null ? null : d.value(),
                        rc.isAnnotationPresent(Nullable.class)));
            }
            return Collections.unmodifiableList(out);
        });
    }

    static String jsonName(RecordComponent rc) {
        JsonProperty p = rc.getAnnotation(JsonProperty.class);
        if (p == null) {
            try {
                p = rc.getDeclaringRecord().getDeclaredField(rc.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                p = null;
            }
        }
        if (p != null && !p.value().isEmpty()) {
            return p.value();
        }
        return SNAKE.translate(rc.getName());
    }

    /** YAML spelling → constant, honouring {@code @JsonProperty} on enum constants. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, Enum<?>> enumValues(Class<?> enumClass) {
        return ENUMS.computeIfAbsent(enumClass, c -> {
            Map<String, Enum<?>> out = new LinkedHashMap<>();
            for (Object o : c.getEnumConstants()) {
                Enum<?> e = (Enum<?>) o;
                String name = e.name();
                try {
                    JsonProperty p = c.getField(e.name()).getAnnotation(JsonProperty.class);
                    if (p != null && !p.value().isEmpty()) {
                        name = p.value();
                    }
                } catch (NoSuchFieldException ex) {
                    throw new IllegalStateException(ex);
                }
                out.put(name, e);
            }
            return Collections.unmodifiableMap(out);
        });
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    static Type typeArg(Type t, int i) {
        if (t instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    /** What a value of type {@code t} must look like, for messages: "an integer", "one of [Adam, AdamW]". */
    static String describe(Type t) {
        Class<?> c = raw(t);
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "a boolean";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            return "one of " + enumValues(c).keySet();
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "a map";
        }
        if (c.isRecord()) {
            return "a map (" + c.getSimpleName() + ")";
        }
        return "a value";
    }

    /** Where defaults of a record are said to come from. */
    static Source defaultsSource(Class<?> recordClass) {
        return Source.of("defaults of " + recordClass.getSimpleName());
    }

    /** The parsed default of a component, with nested record defaults filled in; null if mandatory. */
    static Node defaultNode(Class<?> owner, Field f) {
        if (f.defaultYaml() == null) {
            return null;
        }
        Source src = defaultsSource(owner);
        Node n = YamlReader.read(f.defaultYaml(), src.origin());
        n = retag(n, src);
        if (isRecord(f.type()) && n instanceof Node.MapNode m) {
            Node.MapNode filled = defaultsTree(raw(f.type()));
            Node.merge(filled, m);
            return filled;
        }
        return n;
    }

    /**
     * All defaults of a record as a tree; mandatory components are MISSING ({@code ???}). This is what a structured
     * config (Hydra {@code ConfigStore} entry) contributes when listed in a defaults list.
     */
    static Node.MapNode defaultsTree(Class<?> recordClass) {
        Source src = defaultsSource(recordClass);
        Node.MapNode m = new Node.MapNode(src);
        for (Field f : fields(recordClass)) {
            Node d = defaultNode(recordClass, f);
            m.put(f.name(), d == null ? Node.ValueNode.missing(src) : d);
        }
        return m;
    }

    /** Replaces the line-carrying sources of a parsed default by the record's description. */
    private static Node retag(Node n, Source src) {
        if (n instanceof Node.MapNode m) {
            Node.MapNode out = new Node.MapNode(src);
            m.children().forEach((k, v) -> out.put(k, retag(v, src)));
            return out;
        }
        if (n instanceof Node.ListNode l) {
            Node.ListNode out = new Node.ListNode(src);
            l.items().forEach(i -> out.items().add(retag(i, src)));
            return out;
        }
        Node.ValueNode v = (Node.ValueNode) n;
        return v.isMissing() ? Node.ValueNode.missing(src) : new Node.ValueNode(v.value(), src);
    }
}
