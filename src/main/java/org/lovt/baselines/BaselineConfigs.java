package org.lovt.baselines;

import java.util.List;

import org.lovt.config.ConfigLoader;
import org.lovt.config.ConfigStore;

/** The baselines' configs: the structured entries the original's baseline scripts register, and the primary config. */
public final class BaselineConfigs {
    /** The primary config ({@code configs/baseline.yaml}). */
    public static final String BASELINE = "baseline";

    private BaselineConfigs() {}

    /** {@code baseline_config} and {@code baseline/base_model_config}. */
    public static ConfigStore store() {
        return ConfigStore.empty()
                .with("baseline_config", BaselineExperimentConfig.class)
                .with("baseline/base_model_config", BaselineModelConfig.class);
    }

    /** A config loader builder that knows {@link #store()}. */
    public static ConfigLoader.Builder loader() {
        return ConfigLoader.builder().store(store());
    }

    /**
     * The baseline an override list selects ({@code byol_100} of {@code +baseline=byol_100}), or null: the run's name
     * when none is given ({@code name=<cfg>} in the original's commands).
     */
    public static String selectedName(List<String> overrides) {
        String name = null;
        for (String o : overrides) {
            String s = o.strip();
            while (s.startsWith("+")) {
                s = s.substring(1);
            }
            if (s.startsWith("baseline=") || s.startsWith("baseline@")) {
                name = s.substring(s.indexOf('=') + 1).strip();
            }
        }
        return name;
    }

    /** Whether command-line overrides select a baseline ({@code +baseline=...} or {@code +baseline@model_config=...}). */
    public static boolean selectsBaseline(List<String> overrides) {
        for (String o : overrides) {
            String s = o.strip();
            while (s.startsWith("+")) {
                s = s.substring(1);
            }
            if (s.startsWith("baseline=") || s.startsWith("baseline@")) {
                return true;
            }
        }
        return false;
    }
}
