package org.lovt.config;

import org.lovt.model.BiModalModelConfig;
import org.lovt.model.ReportEncoderConfig;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.train.PreTrainExperimentConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Structured configs, like Hydra's {@code ConfigStore}: names usable in defaults lists that stand for a config
 * record's defaults instead of a YAML file (e.g. {@code pretrain_model: base_model} = all
 * {@link BiModalModelConfig} defaults placed at {@code pretrain_model}). YAML files listing them (such as
 * {@code scan_encoder/resnet50_imagenet.yaml}: {@code defaults: [base_scan_encoder]}) then override those defaults.
 */
public final class ConfigStore {

    private final Map<String, Class<? extends Record>> entries;

    private ConfigStore(Map<String, Class<? extends Record>> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The entries of the original {@code init_config_store()} that pre-training uses. */
    public static ConfigStore standard() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("train_representation_config", PreTrainExperimentConfig.class);
        m.put("pretrain_model/base_model", BiModalModelConfig.class);
        m.put("scan_encoder/base_scan_encoder", ScanEncoderConfig.class);
        m.put("report_encoder/base_report_encoder", ReportEncoderConfig.class);
        m.put("objective/base_global_contrastive", GlobalNceLossConfig.class);
        m.put("objective/local_intra_contrastive", LocalIntraSampleContrastiveLossConfig.class);
        return new ConfigStore(m);
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
