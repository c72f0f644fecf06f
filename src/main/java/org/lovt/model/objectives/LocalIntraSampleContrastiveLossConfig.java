package org.lovt.model.objectives;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;

import java.util.List;
import java.util.Set;

/**
 * Local intra-sample contrastive loss between local features and their cross-attended counterparts:
 * {@code LocalIntraSampleContrastiveLossConfig} of the original ({@code src/models/objectives/local_alignment.py};
 * spec lovt-model.md §4.2–4.4). Shipped as {@code objective/scan_local_intra_contrastive} and
 * {@code objective/report_sent_intra_contrastive}.
 *
 * <p>⚠ The dataclass default {@code normalize_by_num_negatives: true} differs from both shipped YAMLs
 * ({@code false}).
 *
 * @param objectiveType             always {@code local_intra_sample_contrastive}
 * @param distanceThreshold         positives are elements within this distance
 * @param similarityTemperature     τ
 * @param temperatureTrainable      learn τ
 * @param thresholdType             distance measured in grid units or relative to the grid diagonal
 * @param negativesFromSameModality also use other local elements of the same modality as negatives
 * @param normalizeByNumNegatives   subtract {@code log(N_valid / (2 max_N))} per element
 * @param smoothWeights             positive weights {@code exp(-smooth_lambda * d)} instead of uniform
 * @param smoothLambda              decay of the smooth weights
 * @param crossSampleNegatives      also take the local elements of the other samples of the batch as negatives
 *                                  (supported; the original's code for it fails on an undefined
 *                                  {@code bg_as_negative}, so this is its computation with that flag off)
 * @param accuracyTopk              deprecated in the original; kept for config compatibility
 */
public record LocalIntraSampleContrastiveLossConfig(
        @ConfigDefault("local_intra_sample_contrastive") String objectiveType,
        @ConfigDefault("0.3") double distanceThreshold,
        @ConfigDefault("0.3") double similarityTemperature,
        @ConfigDefault("false") boolean temperatureTrainable,
        @ConfigDefault("relative") ThresholdType thresholdType,
        @ConfigDefault("false") boolean negativesFromSameModality,
        @ConfigDefault("true") boolean normalizeByNumNegatives,
        @ConfigDefault("false") boolean smoothWeights,
        @ConfigDefault("1.0") double smoothLambda,
        @ConfigDefault("false") boolean crossSampleNegatives,
        @ConfigDefault("[1, 5]") List<Integer> accuracyTopk) {

    /** How {@code distance_threshold} is measured. */
    public enum ThresholdType {
        /** In grid units (sentence indices for reports). */
        @JsonProperty("absolute") ABSOLUTE,
        /** As a fraction of the grid diagonal. */
        @JsonProperty("relative") RELATIVE
    }

    public LocalIntraSampleContrastiveLossConfig {
        Check.oneOf("objective_type", objectiveType, Set.of("local_intra_sample_contrastive"));
        Check.nonNegative("distance_threshold", distanceThreshold);
        Check.positive("similarity_temperature", similarityTemperature);
        Check.notNull("threshold_type", thresholdType);
        Check.nonNegative("smooth_lambda", smoothLambda);
        accuracyTopk = Check.list("accuracy_topk", accuracyTopk);
    }
}
