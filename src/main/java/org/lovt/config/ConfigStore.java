package org.lovt.config;


import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Structured configs, like Hydra's {@code ConfigStore}: names usable in defaults lists that stand for a config
 * record's defaults instead of a YAML file (e.g. {@code pretrain_model: base_model} = all
 * the defaults of the model config record placed at {@code pretrain_model}). YAML files listing them (such as
 * {@code scan_encoder/resnet50_imagenet.yaml}: {@code defaults: [base_scan_encoder]}) then override those defaults.
 *
 * <p>This layer knows no application record: the application registers its own (pre-training's are in
 * {@code org.lovt.train.Experiments#store()}).
 */
public final class ConfigStore {

    private final Map<String, Class<? extends Record>> entries;

    private ConfigStore(Map<String, Class<? extends Record>> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** A store without entries. */
    public static ConfigStore empty() {
        return new ConfigStore(Map.of());
    }

    /** A copy with one more entry ({@code path} = {@code group/name}, or {@code name} at the top level). */
    public ConfigStore with(String path, Class<? extends Record> recordClass) {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>(entries);
        m.put(path, recordClass);
        return new ConfigStore(m);
    }

    /** The record registered under {@code path}. */
    public Optional<Class<? extends Record>> find(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /** Whether some entry lives in {@code group}. */
    boolean isGroup(String group) {
        return entries.keySet().stream().anyMatch(k -> k.startsWith(group + "/"));
    }

    /** Option names registered directly in {@code group}. */
    TreeSet<String> options(String group) {
        TreeSet<String> out = new TreeSet<>();
        String prefix = group.isEmpty() ? "" : group + "/";
        for (String k : entries.keySet()) {
            if (k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0) {
                out.add(k.substring(prefix.length()));
            }
        }
        return out;
    }

    /** The config file a structured entry stands for. */
    ConfigFile load(String path) {
        Class<? extends Record> c = entries.get(path);
        return new ConfigFile(Schema.defaultsSource(c).origin(), null, java.util.List.of(), Schema.defaultsTree(c));
    }
}
