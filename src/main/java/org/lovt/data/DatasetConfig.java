package org.lovt.data;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.ConfigLoader;
import org.lovt.config.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A dataset on disk: {@code DatasetConfig} of the original ({@code src/data/dataloading_utils.py}; spec
 * lovt-data-eval.md §0). Files live in {@code configs/dataset/}; an experiment names one by
 * {@code pretrain_dataset}, loaded with {@link #load(ConfigLoader, String)}. Paths are machine-specific and are
 * taken from the user config by interpolation ({@code path: ${data.mimic_cxr.path}}).
 *
 * @param name        display name
 * @param path        dataset root folder
 * @param loader      dataset class ({@code MimicCxrDataset}, {@code MimicCxrImageDataset}, ...)
 * @param trainSubset keep the first {@code round(n * f)} training samples in stored order; null = all
 * @param valSubset   same for validation; null = all
 * @param testSubset  same for test; null = all
 * @param arguments   extra loader arguments
 */
public record DatasetConfig(
        String name,
        String path,
        String loader,
        @Nullable @ConfigDefault("null") Double trainSubset,
        @Nullable @ConfigDefault("null") Double valSubset,
        @Nullable @ConfigDefault("null") Double testSubset,
        @ConfigDefault("{}") Map<String, Object> arguments) {

    public DatasetConfig {
        Check.notNull("name", name);
        Check.notNull("path", path);
        Check.notNull("loader", loader);
        subset("train_subset", trainSubset);
        subset("val_subset", valSubset);
        subset("test_subset", testSubset);
        arguments = Check.mapAllowingNullValues("arguments", arguments);
    }

    /**
     * The dataset config {@code dataset/<name>} (the original's {@code pretrain_dataset} names one), with its
     * {@code ${data...}} references resolved against the loader's user config.
     */
    public static DatasetConfig load(ConfigLoader loader, String name) {
        return loader.load("dataset/" + name, List.of()).bind(DatasetConfig.class);
    }

    private static void subset(String key, Double f) {
        if (f != null) {
            Check.that(f > 0 && f <= 1, key, "must be a fraction in (0, 1], got " + f);
        }
    }
}
