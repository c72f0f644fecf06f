package org.lovt.train;

import org.lovt.config.ConfigLoader;
import org.lovt.config.ConfigStore;
import org.lovt.config.ResolvedConfig;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.ReportEncoderConfig;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pre-training configs: the structured entries of the original's {@code init_config_store()} and the composition
 * of {@code train_representation} with an experiment ({@code +experiment=LoVT_100}) and overrides.
 */
public final class Experiments {
    private Experiments() {}

    /** The primary config of pre-training ({@code run_training.py}). */
    public static final String TRAIN_REPRESENTATION = "train_representation";

    /** The entries of the original {@code init_config_store()} that pre-training uses. */
    public static ConfigStore store() {
        return ConfigStore.empty()
                .with("train_representation_config", PreTrainExperimentConfig.class)
                .with("pretrain_model/base_model", BiModalModelConfig.class)
                .with("scan_encoder/base_scan_encoder", ScanEncoderConfig.class)
                .with("report_encoder/base_report_encoder", ReportEncoderConfig.class)
                .with("objective/base_global_contrastive", GlobalNceLossConfig.class)
                .with("objective/local_intra_contrastive", LocalIntraSampleContrastiveLossConfig.class);
    }

    /** A config loader builder that knows {@link #store()}. */
    public static ConfigLoader.Builder loader() {
        return ConfigLoader.builder().store(store());
    }

    /**
     * Composes {@code root} (normally {@link #TRAIN_REPRESENTATION}) with command-line style overrides, reading
     * files from {@code configDir} (if given) before the classpath, and the user config from its default location.
     */
    public static ResolvedConfig load(Optional<Path> configDir, String root, List<String> overrides) {
        return loader().configDir(configDir.orElse(null)).build().load(root, overrides);
    }

    /** The {@code pretrain_model} of a shipped experiment ({@code LoVT_100}, {@code ablation/no_spatial}, ...). */
    public static BiModalModelConfig model(String experiment, List<String> overrides) {
        List<String> all = new ArrayList<>();
        all.add("+experiment=" + experiment);
        all.addAll(overrides);
        return load(Optional.empty(), TRAIN_REPRESENTATION, all).bind(PreTrainExperimentConfig.class).pretrainModel();
    }
}
