package org.lovt.train;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;
import org.lovt.model.BiModalModelConfig;

import java.util.List;
import java.util.Map;

/**
 * A pre-training run: {@code PreTrainExperimentConfig} (with its base {@code BaseExperimentConfig}) of the
 * original ({@code src/common/script_utils.py}; spec lovt-model.md §0), composed from
 * {@code configs/train_representation.yaml} plus an experiment ({@code +experiment=LoVT_100}).
 *
 * <p>Not carried over from the original: {@code logger} (Weights &amp; Biases), {@code downstream_eval} (no
 * pre-training experiment uses it) and Hydra's own {@code hydra:} block.
 *
 * @param name                 run name
 * @param seed                 global seed
 * @param pretrainDataset      name of a {@code configs/dataset/} file ({@code DatasetConfig.load})
 * @param pretrainModel        model and optimisation recipe
 * @param onlineEval           online probes by name
 * @param trainer              trainer settings
 * @param callback             checkpointing and early stopping
 * @param monitorMetric        metric for checkpoints and early stopping (not for the LR scheduler)
 * @param monitorMetricMode    whether lower or higher is better
 * @param gpus                 device indices; null = all visible GPUs (the original's {@code -1}), empty = CPU
 * @param numDataloaderWorkers data loading threads
 * @param printConfig          log the resolved config and parameter counts at start
 * @param debug                quick debug run (one batch, CPU, fp32)
 * @param workDir              folder the run was started from; null = current directory
 * @param autoLrFind           run an LR range test before training
 */
public record PreTrainExperimentConfig(
        @ConfigDefault("<unnamed>") String name,
        @ConfigDefault("1234") long seed,
        String pretrainDataset,
        BiModalModelConfig pretrainModel,
        @ConfigDefault("{}") Map<String, OnlineEvaluatorConfig> onlineEval,
        @ConfigDefault("{}") TrainerConfig trainer,
        @ConfigDefault("{}") CallbackConfig callback,
        @ConfigDefault("val/total_loss") String monitorMetric,
        @ConfigDefault("min") MonitorMode monitorMetricMode,
        @Nullable @ConfigDefault("null") List<Integer> gpus,
        @ConfigDefault("4") int numDataloaderWorkers,
        @ConfigDefault("true") boolean printConfig,
        @ConfigDefault("false") boolean debug,
        @Nullable @ConfigDefault("null") String workDir,
        @ConfigDefault("false") boolean autoLrFind) {

    public PreTrainExperimentConfig {
        Check.notNull("name", name);
        Check.notNull("pretrain_dataset", pretrainDataset);
        Check.notNull("pretrain_model", pretrainModel);
        onlineEval = Check.map("online_eval", onlineEval);
        Check.notNull("trainer", trainer);
        Check.notNull("callback", callback);
        Check.notNull("monitor_metric", monitorMetric);
        Check.notNull("monitor_metric_mode", monitorMetricMode);
        if (gpus != null) {
            gpus = Check.list("gpus", gpus);
            for (int g : gpus) {
                Check.nonNegative("gpus", g);
            }
        }
        Check.nonNegative("num_dataloader_workers", numDataloaderWorkers);
    }
}
