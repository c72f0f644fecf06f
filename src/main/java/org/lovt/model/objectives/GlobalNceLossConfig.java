package org.lovt.model.objectives;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;

import java.util.List;
import java.util.Set;

/**
 * Global image–report InfoNCE: {@code GlobalNceLossConfig} of the original
 * ({@code src/models/objectives/global_alignment.py}; spec lovt-model.md §4.1). Shipped as
 * {@code objective/global_contrastive}.
 *
 * <p>⚠ The dataclass default {@code negatives_from_same_modality: true} differs from the shipped YAML
 * ({@code false}, i.e. negatives only from the other modality), which every experiment uses.
 *
 * @param objectiveType             always {@code global_nce}
 * @param similarityTemperature     τ of the softmax over cosine similarities
 * @param temperatureTrainable      learn τ
 * @param negativesFromSameModality also use the other samples of the anchor's own modality as negatives
 * @param accuracyTopk              k values of the reported retrieval accuracies
 */
public record GlobalNceLossConfig(
        @ConfigDefault("global_nce") String objectiveType,
        @ConfigDefault("0.1") double similarityTemperature,
        @ConfigDefault("false") boolean temperatureTrainable,
        @ConfigDefault("true") boolean negativesFromSameModality,
        @ConfigDefault("[1, 5]") List<Integer> accuracyTopk) {

    public GlobalNceLossConfig {
        Check.oneOf("objective_type", objectiveType, Set.of("global_nce"));
        Check.positive("similarity_temperature", similarityTemperature);
        accuracyTopk = Check.list("accuracy_topk", accuracyTopk);
        for (int k : accuracyTopk) {
            Check.positive("accuracy_topk", k);
        }
    }
}
