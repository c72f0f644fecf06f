package org.lovt.api;

import java.util.List;

import org.lovt.LovtException;
import org.lovt.config.ResolvedConfig;
import org.lovt.model.BiModalModelConfig;
import org.lovt.train.Experiments;
import org.lovt.train.PreTrainExperimentConfig;

/**
 * What a list of overrides resolves to, as {@link Pretraining} would resolve it, without building anything: for
 * example to generate data at the model's input size before pre-training.
 *
 * @param name               the experiment's {@code name}
 * @param seed               its {@code seed}
 * @param inputSize          the side of the square scan input in pixels
 * @param regionFeatureLayer the scan feature map whose cells are the regions ({@code conv5} = layer4)
 * @param batchSize          the pre-training batch size
 */
public record ResolvedExperiment(String name, long seed, int inputSize, String regionFeatureLayer, int batchSize) {
    /** Resolves overrides as on the command line ({@code +experiment=LoVT_100}, ...) against the shipped configs. */
    public static ResolvedExperiment of(List<String> overrides) {
        ResolvedConfig resolved = Experiments.loader().build().load(Experiments.TRAIN_REPRESENTATION, overrides);
        PreTrainExperimentConfig experiment = resolved.bind(PreTrainExperimentConfig.class);
        BiModalModelConfig model = experiment.pretrainModel();
        List<Integer> size = model.encoderA().inputSize();
        if (!size.get(0).equals(size.get(1))) {
            throw new LovtException("encoder_a.input_size must be square, got " + size);
        }
        return new ResolvedExperiment(experiment.name(), experiment.seed(), size.get(0),
                model.encoderA().regionFeatureLayer(), model.batchSize());
    }
}
