package org.lovt.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Composes a config from its defaults lists, following Hydra 1.1:
 *
 * <ul>
 *   <li>each config's defaults are merged depth-first in list order, and the config's own content where
 *       {@code _self_} stands (implicitly last, so a file overrides what it includes);</li>
 *   <li>group options are looked up relative to the including config's group ({@code /group} is absolute);</li>
 *   <li>packages are relative to the including config's package: {@code @pkg} in the entry, else the file's
 *       {@code # @package} header, else the group path; {@code _global_} resets to the root;</li>
 *   <li>command-line group overrides replace the options of the matching entry ({@code group[@pkg]}) anywhere in
 *       the tree; {@code +group=option} entries are appended to the primary config's defaults list, after its
 *       {@code _self_}, so an experiment overrides the primary config.</li>
 * </ul>
 */
final class Composer {

    private static final int MAX_DEPTH = 32;

    private final ConfigRepository repo;
    private final ConfigStore store;
    private final Map<String, CliOverride> replacements = new LinkedHashMap<>();
    private final List<CliOverride> appended = new ArrayList<>();
    private final Map<String, Boolean> used = new LinkedHashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Node.MapNode root = new Node.MapNode(Source.of("composition"));

    Composer(ConfigRepository repo, ConfigStore store, List<CliOverride> groupOverrides) {
        this.repo = repo;
        this.store = store;
        for (CliOverride o : groupOverrides) {
            if (o.kind() == CliOverride.Kind.ADD || o.kind() == CliOverride.Kind.FORCE_ADD) {
                appended.add(o);
            } else {
                replacements.put(o.overrideKey(), o);
                used.put(o.overrideKey(), false);
            }
        }
    }

    /** Whether a command-line key names a config group (then it selects options rather than setting a value). */
    static boolean isGroupKey(CliOverride o, ConfigRepository repo, ConfigStore store) {
        if (o.syntacticallyGroup()) {
            return true;
        }
        return !o.key().contains(".") && (repo.isGroup(o.key()) || store.isGroup(o.key()));
    }

    /** Composes the primary config at {@code primaryPath} (e.g. {@code train_representation}). */
    Node.MapNode compose(String primaryPath) {
        ConfigFile primary = loadOrFail(primaryPath, null, "", null, false)
                .orElseThrow();
        List<DefaultEntry> entries = new ArrayList<>(primary.defaults());
        if (entries.stream().noneMatch(e -> e.kind() == DefaultEntry.Kind.SELF)) {
            entries.add(new DefaultEntry(DefaultEntry.Kind.SELF, DefaultEntry.SELF, null, List.of(), false,
                    Source.of(primary.origin())));
        }
        for (CliOverride o : appended) {
            entries.add(new DefaultEntry(DefaultEntry.Kind.GROUP, "/" + o.group(), o.pkg(), o.options(), false,
                    Source.COMMAND_LINE));
        }
        String group = parentDir(primaryPath);
        String pkg = finalPackage("", primary.packageHeader(), group, null);
        process(primary, entries, group, pkg);
        for (Map.Entry<String, Boolean> u : used.entrySet()) {
            if (!u.getValue()) {
                CliOverride o = replacements.get(u.getKey());
                String advice = o.kind() == CliOverride.Kind.DELETE ? ""
                        : "; to add it use '+" + o.text().replaceFirst("^[~+]*", "") + "'";
                throw ConfigException.at(Source.COMMAND_LINE, null, "could not override '" + o.key()
                        + "': no match in the defaults list" + advice);
            }
        }
        return root;
    }

    private void process(ConfigFile cfg, List<DefaultEntry> entries, String group, String pkg) {
        if (stack.size() > MAX_DEPTH || stack.contains(cfg.origin())) {
            throw new ConfigException(cfg.origin() + ": defaults cycle: " + String.join(" -> ", stack) + " -> "
                    + cfg.origin());
        }
        stack.push(cfg.origin());
        for (DefaultEntry e : entries) {
            switch (e.kind()) {
                case SELF -> Node.merge(Node.ensureMap(root, pkg, e.source()), cfg.content());
                case CONFIG -> processConfig(e, group, pkg);
                case GROUP -> processGroup(e, group, pkg);
                default -> throw new IllegalStateException(e.kind().toString());
            }
        }
        stack.pop();
    }

    private void processConfig(DefaultEntry e, String group, String pkg) {
        String path = e.absolute() ? e.relativePath() : join(group, e.path());
        ConfigFile child = loadOrFail(path, null, path, e.source(), false).orElseThrow();
        String relGroup = parentDir(e.relativePath()).replace('/', '.');
        String explicit = e.pkg() != null ? e.pkg() : child.packageHeader();
        String childPkg = finalPackage(pkg, explicit != null ? explicit : relGroup, relGroup, null);
        process(child, withSelf(child), parentDir(path), childPkg);
    }

    private void processGroup(DefaultEntry e, String group, String pkg) {
        String absGroup = e.absolute() ? e.relativePath() : join(group, e.path());
        String key = e.pkg() == null || e.pkg().isEmpty() ? absGroup : absGroup + "@" + e.pkg();
        CliOverride o = replacements.get(key);
        DefaultEntry entry = e;
        if (o != null) {
            used.put(key, true);
            if (o.kind() == CliOverride.Kind.DELETE) {
                if (o.value() != null && !o.options().equals(e.options())) {
                    throw ConfigException.at(Source.COMMAND_LINE, null, "could not delete '" + o.key()
                            + "': its selection is " + e.options() + ", not " + o.options());
                }
                return;
            }
            entry = e.withOptions(o.options(), Source.COMMAND_LINE);
        }
        for (String option : entry.options()) {
            Optional<ConfigFile> child = loadOrFail(absGroup + "/" + option, absGroup, option, entry.source(),
                    entry.optional());
            if (child.isEmpty()) {
                continue;
            }
            String relGroup = e.relativePath().replace('/', '.');
            String explicit = entry.pkg() != null ? entry.pkg() : child.get().packageHeader();
            String childPkg = finalPackage(pkg, explicit != null ? explicit : relGroup, relGroup, option);
            process(child.get(), withSelf(child.get()), absGroup, childPkg);
        }
    }

    private static List<DefaultEntry> withSelf(ConfigFile cfg) {
        List<DefaultEntry> entries = new ArrayList<>(cfg.defaults());
        if (entries.stream().noneMatch(x -> x.kind() == DefaultEntry.Kind.SELF)) {
            entries.add(new DefaultEntry(DefaultEntry.Kind.SELF, DefaultEntry.SELF, null, List.of(), false,
                    Source.of(cfg.origin())));
        }
        return entries;
    }

    /**
     * Hydra's {@code _get_final_package}: the package relative to the parent's, with {@code _group_} and
     * {@code _name_} substituted, and everything up to the last {@code _global_} dropped.
     */
    static String finalPackage(String parentPkg, String pkg, String relGroup, String name) {
        String p = pkg == null ? "" : pkg;
        p = p.replace("_group_", relGroup == null ? "" : relGroup.replace('/', '.'));
        if (name != null) {
            p = p.replace("_name_", name);
        }
        String ret = parentPkg.isEmpty() ? p : p.isEmpty() ? parentPkg : parentPkg + "." + p;
        int g = ret.lastIndexOf("_global_");
        if (g < 0) {
            return ret;
        }
        String rest = ret.substring(g + "_global_".length());
        return rest.startsWith(".") ? rest.substring(1) : rest;
    }

    private Optional<ConfigFile> loadOrFail(String path, String group, String option, Source where,
                                            boolean optional) {
        Optional<ConfigFile> f = repo.load(path);
        if (f.isPresent()) {
            return f;
        }
        if (store.find(path).isPresent()) {
            return Optional.of(store.load(path));
        }
        if (optional) {
            return Optional.empty();
        }
        if (group == null) {
            String dir = parentDir(path);
            TreeSet<String> known = repo.options(dir);
            known.addAll(store.options(dir));
            String name = path.substring(path.lastIndexOf('/') + 1);
            throw ConfigException.at(where, null, "could not find config '" + path + "' in " + repo.describe()
                    + Suggest.hint(name, known));
        }
        TreeSet<String> options = repo.options(group);
        options.addAll(store.options(group));
        String list = options.isEmpty() ? "the group does not exist" : "options: " + String.join(", ", options);
        throw ConfigException.at(where, null, "could not find option '" + option + "' of config group '" + group
                + "' (" + list + ")" + Suggest.hint(option, options));
    }

    private static String parentDir(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    private static String join(String group, String path) {
        return group.isEmpty() ? path : group + "/" + path;
    }
}
