package org.lovt.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Argument checks for config record constructors. Every failure is an {@link InvalidValueException} naming the YAML
 * key, so that a bad value in a file is reported as {@code file:line: full.key.path: problem}.
 */
public final class Check {
    private Check() {}

    /** {@code value}, which must not be null. */
    public static <T> T notNull(String key, T value) {
        if (value == null) {
            throw new InvalidValueException(key, "must be set (got null)");
        }
        return value;
    }

    /** {@code value}, which must be {@code > 0}. */
    public static int positive(String key, int value) {
        if (value <= 0) {
            throw new InvalidValueException(key, "must be > 0, got " + value);
        }
        return value;
    }

    /** {@code value}, which must be finite and {@code > 0}. */
    public static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidValueException(key, "must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** {@code value}, which must be {@code >= 0}. */
    public static int nonNegative(String key, int value) {
        if (value < 0) {
            throw new InvalidValueException(key, "must be >= 0, got " + value);
        }
        return value;
    }

    /** {@code value}, which must be finite and {@code >= 0}. */
    public static double nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidValueException(key, "must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** A probability in [0, 1]. */
    public static double probability(String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidValueException(key, "must be in [0, 1], got " + value);
        }
        return value;
    }

    /** A dropout-style probability in [0, 1). */
    public static double dropout(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidValueException(key, "must be in [0, 1), got " + value);
        }
        return value;
    }

    /** A {@code [low, high]} pair with {@code low <= high}; returns an immutable copy. */
    public static List<Double> range(String key, List<Double> value) {
        notNull(key, value);
        if (value.size() != 2 || value.stream().anyMatch(java.util.Objects::isNull)
                || !(value.get(0) <= value.get(1))) {
            throw new InvalidValueException(key, "must be a [low, high] pair with low <= high, got " + value);
        }
        return List.copyOf(value);
    }

    /** A {@code [low, high]} pair inside {@code [min, max]}. */
    public static List<Double> range(String key, List<Double> value, double min, double max) {
        List<Double> r = range(key, value);
        if (r.get(0) < min || r.get(1) > max) {
            throw new InvalidValueException(key, "must lie within [" + min + ", " + max + "], got " + value);
        }
        return r;
    }

    /** {@code value}, which must be one of {@code allowed}. */
    public static String oneOf(String key, String value, Collection<String> allowed) {
        notNull(key, value);
        if (!allowed.contains(value)) {
            throw new InvalidValueException(key, "must be one of " + allowed + ", got '" + value + "'");
        }
        return value;
    }

    /** Fails with {@code problem} unless {@code condition} holds. */
    public static void that(boolean condition, String key, String problem) {
        if (!condition) {
            throw new InvalidValueException(key, problem);
        }
    }

    /** Immutable copy of a non-null list without null elements. */
    public static <T> List<T> list(String key, List<T> value) {
        notNull(key, value);
        for (T item : value) {
            if (item == null) {
                throw new InvalidValueException(key, "must not contain null, got " + value);
            }
        }
        return List.copyOf(value);
    }

    /** Immutable, order-preserving copy of a non-null map (order matters: e.g. objectives are enumerated). */
    public static <K, V> Map<K, V> map(String key, Map<K, V> value) {
        notNull(key, value);
        for (Map.Entry<K, V> e : value.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidValueException(key, "must not contain null keys or values, got " + value);
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    /** Immutable, order-preserving copy of a map whose values may be null (free-form arguments). */
    public static <K, V> Map<K, V> mapAllowingNullValues(String key, Map<K, V> value) {
        notNull(key, value);
        return Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }
}
