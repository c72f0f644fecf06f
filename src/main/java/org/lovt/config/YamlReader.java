package org.lovt.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML into a {@link Node} tree in which every node carries its file and line, so that errors found much
 * later (at binding time) can still name where the value was written.
 *
 * <p>Scalars follow Jackson's YAML resolution, which matches what OmegaConf gives for the configs that matter:
 * {@code 1e-4} is a float (plain YAML 1.1 would make it a string; OmegaConf patches that too), {@code True} /
 * {@code yes} are booleans, {@code null} / {@code ~} / empty are null, quoted scalars are always strings, and
 * {@code ???} is Hydra's MISSING marker.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern PACKAGE_HEADER = Pattern.compile("^#\\s*@package\\s+(\\S+)\\s*$");

    private YamlReader() {}

    /** Parses a whole document; an empty document is an empty map. */
    static Node read(String text, String origin) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Node.MapNode(new Source(origin, 1));
            }
            Node node = readValue(p, origin, null);
            if (p.nextToken() != null) {
                throw ConfigException.at(source(p, origin), null, "malformed YAML: more than one document");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            Source src = new Source(origin, loc == null ? 0 : Math.max(0, loc.getLineNr()));
            throw ConfigException.at(src, null, "malformed YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(origin + ": cannot read YAML: " + e.getMessage(), e);
        }
    }

    /** Parses a document that must be a map (every config file). */
    static Node.MapNode readMap(String text, String origin) {
        Node n = read(text, origin);
        if (n instanceof Node.ValueNode v && v.isNull()) {
            return new Node.MapNode(n.source());
        }
        if (!(n instanceof Node.MapNode m)) {
            throw ConfigException.at(n.source(), null, "expected a map at the top level of the file, got "
                    + n.describe());
        }
        return m;
    }

    /**
     * The {@code # @package X} directive of Hydra: only honoured in the leading comment block, like Hydra does.
     * Returns null when absent.
     */
    static String packageHeader(String text) {
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.startsWith("#")) {
                return null;
            }
            Matcher m = PACKAGE_HEADER.matcher(t);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }

    /**
     * @param keySource for a value under a map key, where the key was written: block maps and lists have no start
     *                  token of their own, so their errors point at the key line instead of their first entry
     */
    private static Node readValue(JsonParser p, String origin, Source keySource) throws IOException {
        JsonToken t = p.currentToken();
        Source src = source(p, origin);
        if (keySource != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
            src = keySource;
        }
        switch (t) {
            case START_OBJECT -> {
                Node.MapNode m = new Node.MapNode(src);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Source keySrc = source(p, origin);
                    p.nextToken();
                    m.put(key, readValue(p, origin, keySrc));
                }
                return m;
            }
            case START_ARRAY -> {
                Node.ListNode l = new Node.ListNode(src);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.items().add(readValue(p, origin, null));
                }
                return l;
            }
            case VALUE_STRING -> {
                String s = p.getText();
                return Node.MISSING_TEXT.equals(s) ? Node.ValueNode.missing(src) : new Node.ValueNode(s, src);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node.ValueNode(number(p, t, src), src);
            }
            case VALUE_TRUE -> {
                return new Node.ValueNode(Boolean.TRUE, src);
            }
            case VALUE_FALSE -> {
                return new Node.ValueNode(Boolean.FALSE, src);
            }
            case VALUE_NULL -> {
                return new Node.ValueNode(null, src);
            }
            default -> throw ConfigException.at(src, null, "unsupported YAML construct (" + t + ")");
        }
    }

    private static Object number(JsonParser p, JsonToken t, Source src) throws IOException {
        String text = p.getText();
        // Jackson types .inf/.nan as numbers but cannot parse them.
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case ".inf", "+.inf" -> { return Double.POSITIVE_INFINITY; }
            case "-.inf" -> { return Double.NEGATIVE_INFINITY; }
            case ".nan" -> { return Double.NaN; }
            default -> { }
        }
        try {
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            return switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                default -> p.getBigIntegerValue();
            };
        } catch (JsonProcessingException | NumberFormatException e) {
            throw ConfigException.at(src, null, "malformed number '" + text + "'");
        }
    }

    private static Source source(JsonParser p, String origin) {
        JsonLocation loc = p.currentTokenLocation();
        return new Source(origin, loc == null ? 0 : Math.max(0, loc.getLineNr()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
