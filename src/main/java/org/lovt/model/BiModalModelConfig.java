package org.lovt.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;
import org.lovt.model.objectives.CrossSampleLocalLossConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-training model and its optimisation recipe: {@code BiModalModelConfig} of the original
 * ({@code src/models/pretraining/pretraining_utils.py}; spec lovt-model.md §0.1), same YAML names and defaults.
 * Modality a = scan, b = report.
 *
 * @param loadCheckpointPath             checkpoint to initialise from; null = none
 * @param componentLoadedFromCheckpoint  which parts are taken from that checkpoint
 * @param encoderA                       scan encoder (mandatory)
 * @param encoderB                       report encoder (mandatory)
 * @param dZ                             output dim of local heads and of cross-attention
 * @param dZg                            output dim of global heads; null = {@code d_z} (see {@link #dZgOrDefault()})
 * @param dHidden                        hidden dim of all projection MLPs
 * @param projectionNorm                 norm inside projection MLPs; null = none (ConVIRT)
 * @param projectionDropoutProb          dropout inside projection MLPs
 * @param attentionSim                   cross-attention similarity
 * @param attentionProbDropoutProb       dropout on attention probabilities
 * @param attendedDropoutProb            dropout on attended outputs
 * @param attentionNorm                  norm on cross-attention outputs; null = none
 * @param symmetricAttention             share projections between both directions
 * @param projectAttentionKeys           key projection in cross-attention
 * @param projectAttentionValues         value projection in cross-attention
 * @param projectAttentionOutputs        output projection in cross-attention
 * @param attentionTemperature           softmax temperature of cross-attention
 * @param attentionTemperatureTrainable  whether that temperature is learned
 * @param lWeightsA                      local-loss weights of the scan; null = uniform
 * @param lWeightsB                      local-loss weights of the report; null = uniform
 * @param lWeightsStopGrad               detach the local weights
 * @param llAlignmentsA                  local objectives of the scan, in order (key {@code "0"})
 * @param llAlignmentsB                  local objectives of the report, in order
 * @param gAlignment                     global objective; null = none
 * @param llCrossSample                  extension, not in the original: a GLoRIA-style cross-sample local objective
 *                                       ({@link CrossSampleLocalLossConfig}); null = none (every shipped experiment)
 * @param lossWeights                    weight per loss name; every computed loss needs one ({@link #lossNames()})
 * @param batchSize                      micro-batch size
 * @param learningRate                   base learning rate
 * @param weightDecay                    weight decay (L2 for Adam, decoupled for AdamW)
 * @param optimizer                      optimizer
 * @param lrScheduler                    schedulers, all applied
 * @param maxLr                          unused by shipped configs; null = none
 * @param warmupSteps                    warm-up steps of {@code linear_warmup_cosine_annealing}
 * @param lrReducePatience               ReduceLROnPlateau patience (epochs)
 * @param lrReduceFactor                 ReduceLROnPlateau factor
 * @param maxEpochs                      epoch limit
 * @param augmentOnValidation            augment validation inputs for the loss
 * @param computeRetrievalMetrics        validation retrieval metrics
 * @param computeEmbeddingStats          validation embedding statistics
 * @param computeAttentionStats          validation attention statistics
 * @param computeMetricsForTrain         also compute those metrics on training batches
 */
public record BiModalModelConfig(
        @Nullable @ConfigDefault("null") String loadCheckpointPath,
        @ConfigDefault("[model_a, model_b]") List<String> componentLoadedFromCheckpoint,

        ScanEncoderConfig encoderA,
        ReportEncoderConfig encoderB,

        @ConfigDefault("512") int dZ,
        @Nullable @ConfigDefault("null") Integer dZg,
        @ConfigDefault("2048") int dHidden,
        @Nullable @ConfigDefault("batch") Norm projectionNorm,
        @ConfigDefault("0.0") double projectionDropoutProb,

        @ConfigDefault("scaled_dot_product") AttentionSimilarity attentionSim,
        @ConfigDefault("0.0") double attentionProbDropoutProb,
        @ConfigDefault("0.0") double attendedDropoutProb,
        @Nullable @ConfigDefault("batch") Norm attentionNorm,
        @ConfigDefault("true") boolean symmetricAttention,
        @ConfigDefault("true") boolean projectAttentionKeys,
        @ConfigDefault("true") boolean projectAttentionValues,
        @ConfigDefault("true") boolean projectAttentionOutputs,
        @ConfigDefault("1.0") double attentionTemperature,
        @ConfigDefault("false") boolean attentionTemperatureTrainable,

        @Nullable @ConfigDefault("null") LocalWeights lWeightsA,
        @Nullable @ConfigDefault("null") LocalWeights lWeightsB,
        @ConfigDefault("false") boolean lWeightsStopGrad,

        @ConfigDefault("{}") Map<String, LocalIntraSampleContrastiveLossConfig> llAlignmentsA,
        @ConfigDefault("{}") Map<String, LocalIntraSampleContrastiveLossConfig> llAlignmentsB,
        @Nullable @ConfigDefault("null") GlobalNceLossConfig gAlignment,
        @Nullable @ConfigDefault("null") CrossSampleLocalLossConfig llCrossSample,

        @ConfigDefault("{}") Map<String, Double> lossWeights,

        @ConfigDefault("32") int batchSize,
        @ConfigDefault("1e-4") double learningRate,
        @ConfigDefault("1e-6") double weightDecay,
        @ConfigDefault("Adam") Optimizer optimizer,
        @ConfigDefault("[cosine_annealing_per_epoch]") List<LrScheduler> lrScheduler,
        @Nullable @ConfigDefault("null") Double maxLr,
        @ConfigDefault("10") int warmupSteps,
        @ConfigDefault("12") int lrReducePatience,
        @ConfigDefault("0.5") double lrReduceFactor,
        @ConfigDefault("1000") int maxEpochs,

        @ConfigDefault("false") boolean augmentOnValidation,

        @ConfigDefault("true") boolean computeRetrievalMetrics,
        @ConfigDefault("true") boolean computeEmbeddingStats,
        @ConfigDefault("true") boolean computeAttentionStats,
        @ConfigDefault("false") boolean computeMetricsForTrain) {

    /** Normalisation layers ({@code get_norm_layer}); {@code null} in YAML means none. */
    public enum Norm {
        @JsonProperty("batch") BATCH,
        @JsonProperty("layer") LAYER,
        @JsonProperty("l2") L2
    }

    /** Cross-attention query–key similarity. */
    public enum AttentionSimilarity {
        @JsonProperty("scaled_dot_product") SCALED_DOT_PRODUCT,
        @JsonProperty("cosine") COSINE
    }

    /** Source of local-loss weights ({@code LocalWeightsModule}); {@code null} in YAML means uniform. */
    public enum LocalWeights {
        /** The attention weights of the encoder's global aggregator. */
        @JsonProperty("from_aggregation") FROM_AGGREGATION
    }

    /** Optimizers of {@code configure_optimizers}. */
    public enum Optimizer {
        /** Adam with coupled L2 weight decay (ConVIRT). */
        @JsonProperty("Adam") ADAM,
        /** AdamW with decoupled weight decay (LoVT, CLIP, ablations). */
        @JsonProperty("AdamW") ADAMW
    }

    /** LR schedulers of {@code configure_optimizers} (spec §4.7). */
    public enum LrScheduler {
        @JsonProperty("linear_warmup_cosine_annealing") LINEAR_WARMUP_COSINE_ANNEALING,
        @JsonProperty("reduce_on_plateau") REDUCE_ON_PLATEAU,
        @JsonProperty("cosine_annealing_per_epoch") COSINE_ANNEALING_PER_EPOCH,
        @JsonProperty("cosine_annealing_warm_restarts") COSINE_ANNEALING_WARM_RESTARTS
    }

    public BiModalModelConfig {
        componentLoadedFromCheckpoint = Check.list("component_loaded_from_checkpoint", componentLoadedFromCheckpoint);
        Check.notNull("encoder_a", encoderA);
        Check.notNull("encoder_b", encoderB);
        Check.positive("d_z", dZ);
        if (dZg != null) {
            Check.positive("d_zg", dZg);
        }
        Check.positive("d_hidden", dHidden);
        Check.dropout("projection_dropout_prob", projectionDropoutProb);
        Check.notNull("attention_sim", attentionSim);
        Check.dropout("attention_prob_dropout_prob", attentionProbDropoutProb);
        Check.dropout("attended_dropout_prob", attendedDropoutProb);
        Check.positive("attention_temperature", attentionTemperature);
        llAlignmentsA = Check.map("ll_alignments_a", llAlignmentsA);
        llAlignmentsB = Check.map("ll_alignments_b", llAlignmentsB);
        lossWeights = Check.map("loss_weights", lossWeights);
        Check.positive("batch_size", batchSize);
        Check.positive("learning_rate", learningRate);
        Check.nonNegative("weight_decay", weightDecay);
        Check.notNull("optimizer", optimizer);
        lrScheduler = Check.list("lr_scheduler", lrScheduler);
        if (maxLr != null) {
            Check.positive("max_lr", maxLr);
        }
        Check.nonNegative("warmup_steps", warmupSteps);
        Check.nonNegative("lr_reduce_patience", lrReducePatience);
        Check.that(lrReduceFactor > 0 && lrReduceFactor < 1, "lr_reduce_factor",
                "must be in (0, 1), got " + lrReduceFactor);
        Check.positive("max_epochs", maxEpochs);

        Check.that(gAlignment != null || !llAlignmentsA.isEmpty() || !llAlignmentsB.isEmpty()
                        || llCrossSample != null, "g_alignment",
                "no objective: set g_alignment, ll_alignments_a, ll_alignments_b or ll_cross_sample");
        // The original asserts at the first forward pass; failing at load time names the key instead.
        Check.that(lWeightsA == null || encoderA.localWeightsFromAggregator(), "l_weights_a",
                "from_aggregation needs encoder_a.local_weights_from_aggregator: true");
        Check.that(lWeightsB == null || encoderB.localWeightsFromAggregator(), "l_weights_b",
                "from_aggregation needs encoder_b.local_weights_from_aggregator: true");
        // combine_losses indexes loss_weights[name] for every computed loss: a missing weight is a KeyError there.
        List<String> computed = lossNames(gAlignment, llAlignmentsA, llAlignmentsB, llCrossSample);
        for (String name : computed) {
            Check.that(lossWeights.containsKey(name), "loss_weights",
                    "missing weight for loss '" + name + "' (computed losses: " + computed + ")");
        }
    }

    /** Output dim of the global projection heads: {@code d_zg}, or {@code d_z} when unset (as the original). */
    public int dZgOrDefault() {
        return dZg != null ? dZg : dZ;
    }

    /**
     * Names of the losses this configuration computes, in the original's order (local first, then global):
     * {@code local_a_l2att, local_a_att2l} (or {@code local_a_<i>_...} with several scan objectives), likewise
     * {@code local_b_...}, then {@code local_xs_a2b, local_xs_b2a} with {@code ll_cross_sample}, then
     * {@code global_a2b, global_b2a}.
     */
    public List<String> lossNames() {
        return lossNames(gAlignment, llAlignmentsA, llAlignmentsB, llCrossSample);
    }

    private static List<String> lossNames(GlobalNceLossConfig g, Map<String, ?> a, Map<String, ?> b,
                                          CrossSampleLocalLossConfig xs) {
        List<String> names = new ArrayList<>();
        addLocal(names, "local_a_", a.size());
        addLocal(names, "local_b_", b.size());
        if (xs != null) {
            names.add("local_xs_a2b");
            names.add("local_xs_b2a");
        }
        if (g != null) {
            names.add("global_a2b");
            names.add("global_b2a");
        }
        return names;
    }

    private static void addLocal(List<String> names, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String p = count > 1 ? prefix + i + "_" : prefix;
            names.add(p + "l2att");
            names.add(p + "att2l");
        }
    }
}
