package org.lovt.baselines;

import java.util.List;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;
import org.lovt.train.TrainerConfig;

/**
 * A baseline run: the original's {@code BaselineExperimentConfig} (its {@code BaseExperimentConfig} plus
 * {@code model_config}), composed from {@code configs/baseline.yaml} and {@code +baseline=<name>}.
 *
 * <p>Not carried over: the Weights &amp; Biases logger and the free {@code callback:} dict (the baselines' callbacks
 * are fixed by their scripts: checkpoint last for BYOL and SimCLR, best by val/auroc with early stopping for
 * CheXpert).
 *
 * @param name                 run name
 * @param seed                 global seed
 * @param modelConfig          the baseline
 * @param trainer              trainer settings
 * @param gpus                 device indices; null = all visible GPUs, empty = CPU
 * @param numDataloaderWorkers data loading threads
 * @param printConfig          log the resolved config at start
 * @param debug                quick debug run
 * @param workDir              folder the run was started from; null = current directory
 */
public record BaselineExperimentConfig(
        @ConfigDefault("<unnamed>") String name,
        @ConfigDefault("1234") long seed,
        BaselineModelConfig modelConfig,
        @ConfigDefault("{}") TrainerConfig trainer,
        @Nullable @ConfigDefault("null") List<Integer> gpus,
        @ConfigDefault("4") int numDataloaderWorkers,
        @ConfigDefault("true") boolean printConfig,
        @ConfigDefault("false") boolean debug,
        @Nullable @ConfigDefault("null") String workDir) {

    public BaselineExperimentConfig {
        Check.notNull("name", name);
        Check.notNull("model_config", modelConfig);
        Check.notNull("trainer", trainer);
        if (gpus != null) {
            gpus = Check.list("gpus", gpus);
        }
        Check.nonNegative("num_dataloader_workers", numDataloaderWorkers);
    }
}
