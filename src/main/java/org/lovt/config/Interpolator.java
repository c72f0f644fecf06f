package org.lovt.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${a.b.c}} references, looked up first in the composed config and then in the user config.
 *
 * <p>A value that is exactly one reference takes the referenced value with its type (a number stays a number, a map
 * is copied); references embedded in text are substituted as text. {@code \${} is a literal {@code ${}. Only
 * absolute key paths are supported: no resolvers ({@code ${now:...}}) and no relative paths ({@code ${..x}}).
 */
final class Interpolator {

    private static final Pattern REF = Pattern.compile("(?<!\\\\)\\$\\{([^}]*)}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    private final Node.MapNode root;
    private final Node.MapNode user;
    private final String userDescription;
    private final Set<String> inProgress = new LinkedHashSet<>();

    /**
     * @param root            the composed config, resolved in place
     * @param user            the user config tree (defaults filled), or an empty map
     * @param userDescription where the user config was looked up, for messages
     */
    Interpolator(Node.MapNode root, Node.MapNode user, String userDescription) {
        this.root = root;
        this.user = user;
        this.userDescription = userDescription;
    }

    void resolveAll() {
        resolveIn(root, "");
    }

    private void resolveIn(Node node, String path) {
        if (node instanceof Node.MapNode m) {
            for (Map.Entry<String, Node> e : new ArrayList<>(m.children().entrySet())) {
                String p = Node.join(path, e.getKey());
                Node r = resolveNode(e.getValue(), p);
                m.put(e.getKey(), r);
                resolveIn(r, p);
            }
        } else if (node instanceof Node.ListNode l) {
            List<Node> items = l.items();
            for (int i = 0; i < items.size(); i++) {
                String p = Node.join(path, String.valueOf(i));
                Node r = resolveNode(items.get(i), p);
                items.set(i, r);
                resolveIn(r, p);
            }
        }
    }

    /** The node with its own interpolations resolved (children are handled by the caller). */
    private Node resolveNode(Node node, String path) {
        if (!(node instanceof Node.ValueNode v) || v.isMissing() || !(v.value() instanceof String text)
                || !text.contains("${")) {
            return node;
        }
        if (!inProgress.add(path)) {
            throw ConfigException.at(node.source(), path, "interpolation cycle: " + String.join(" -> ", inProgress)
                    + " -> " + path);
        }
        try {
            Matcher whole = REF.matcher(text);
            if (whole.matches()) {
                Node target = lookup(whole.group(1), node, path);
                return target instanceof Node.ValueNode tv
                        ? (tv.isMissing() ? tv : new Node.ValueNode(tv.value(), node.source()))
                        : target.copy();
            }
            StringBuilder out = new StringBuilder();
            Matcher m = REF.matcher(text);
            int last = 0;
            while (m.find()) {
                out.append(text, last, m.start());
                Node target = lookup(m.group(1), node, path);
                if (!(target instanceof Node.ValueNode tv) || tv.isMissing() || tv.isNull()) {
                    throw ConfigException.at(node.source(), path, "cannot insert ${" + m.group(1) + "} into text: it is "
                            + target.describe());
                }
                out.append(tv.value());
                last = m.end();
            }
            out.append(text.substring(last));
            return new Node.ValueNode(out.toString().replace("\\${", "${"), node.source());
        } finally {
            inProgress.remove(path);
        }
    }

    private Node lookup(String expr, Node at, String path) {
        String key = expr.strip();
        if (key.startsWith(".")) {
            throw ConfigException.at(at.source(), path, "relative interpolation ${" + expr + "} is not supported;"
                    + " use the absolute key path");
        }
        if (key.contains(":")) {
            throw ConfigException.at(at.source(), path, "interpolation ${" + expr + "} uses a resolver, which is not"
                    + " supported; use a plain ${key.path}");
        }
        if (!KEY.matcher(key).matches()) {
            throw ConfigException.at(at.source(), path, "invalid interpolation ${" + expr + "}");
        }
        Node target = Node.find(root, key);
        if (target != null && (path.equals(key) || path.startsWith(key + "."))) {
            // ${x} inside x itself: the value would have to contain itself (OmegaConf recurses until it fails).
            throw ConfigException.at(at.source(), path, "interpolation cycle: ${" + key + "} refers to '" + key
                    + "', which contains this value");
        }
        if (target != null) {
            Node resolved = resolveNode(target, key);
            if (resolved instanceof Node.ValueNode rv && rv.isMissing()) {
                throw ConfigException.at(at.source(), path, "cannot resolve ${" + key + "}: '" + key
                        + "' is a missing mandatory value (???)");
            }
            if (resolved != target) {
                replace(key, resolved);
            }
            return resolved;
        }
        Node fromUser = Node.find(user, key);
        if (fromUser != null && !(fromUser instanceof Node.ValueNode uv && uv.isNull())) {
            return fromUser;
        }
        String state = fromUser != null ? "is not set in the user config " : "was found neither in the configuration"
                + " nor in the user config ";
        throw ConfigException.at(at.source(), path, "cannot resolve ${" + key + "}: '" + key + "' " + state
                + userDescription);
    }

    /** Stores an already-resolved target so that it is not resolved twice. */
    private void replace(String key, Node resolved) {
        List<String> segs = Node.split(key);
        Node parent = Node.find(root, String.join(".", segs.subList(0, segs.size() - 1)));
        String last = segs.get(segs.size() - 1);
        if (parent instanceof Node.MapNode pm) {
            pm.put(last, resolved);
        } else if (parent instanceof Node.ListNode pl) {
            pl.items().set(Node.parseIndex(last), resolved);
        }
    }
}
