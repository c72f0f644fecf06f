package org.lovt.model;

import java.util.List;
import java.util.Optional;

import org.lovt.LovtException;
import org.lovt.config.ConfigLoader;
import org.lovt.train.PreTrainExperimentConfig;

/** Building {@link LovtModel}s from configs. */
public final class LovtModels {
    private LovtModels() {}

    /**
     * The full model of a config with freshly initialised backbones of the architectures the config names
     * (ResNet-50, Bio_ClinicalBERT; see {@link Backbones}); pre-trained weights are loaded separately.
     */
    public static LovtModel build(BiModalModelConfig config) {
        ScanEncoder scan = new ScanEncoder(config.encoderA(), Backbones.resnet(config.encoderA()));
        ReportEncoder report = new ReportEncoder(config.encoderB(), Backbones.bert(config.encoderB().languageEncoder()));
        return new LovtModel(config, scan, report);
    }

    /**
     * Only the alignment part (aggregators, heads, cross-attention, objectives) for encoder outputs of the given
     * sizes: region features of {@code dA} and sentence features of {@code dB} channels.
     */
    public static LovtModel alignmentOnly(BiModalModelConfig config, long dA, long dB) {
        return new LovtModel(config, ScanEncoder.withoutBackbone(config.encoderA(), dA),
                ReportEncoder.withoutLanguageModel(config.encoderB(), dB));
    }

    /** The {@code pretrain_model} of a shipped experiment ({@code LoVT_100}, {@code ablation/no_spatial}, ...). */
    public static BiModalModelConfig experiment(String name, List<String> overrides) {
        List<String> all = new java.util.ArrayList<>();
        all.add("+experiment=" + name);
        all.addAll(overrides);
        try {
            return ConfigLoader.load(Optional.empty(), ConfigLoader.TRAIN_REPRESENTATION, all)
                    .bind(PreTrainExperimentConfig.class).pretrainModel();
        } catch (LovtException e) {
            throw e;
        }
    }
}
