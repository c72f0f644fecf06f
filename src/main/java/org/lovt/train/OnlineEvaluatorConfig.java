package org.lovt.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;

import java.util.Set;

/**
 * One online linear probe trained during pre-training on frozen global features: {@code OnlineEvaluatorConfig}
 * of the original ({@code src/models/downstream/online_evaluation.py}; spec lovt-model.md §4.9). Shipped as
 * {@code online_eval/chexpert_bin_scan}, {@code chexpert_bin_report}, {@code chexpert_bin_joint}.
 *
 * @param task           the probe's task; only {@code chexpert_binary} (5 CheXpert labels, BCE) exists
 * @param sourceModality which global feature is probed
 * @param nonlinear      MLP head instead of a linear one
 * @param dHidden        hidden size of the MLP head
 * @param dropoutProb    dropout before the head
 */
public record OnlineEvaluatorConfig(
        @ConfigDefault("chexpert_binary") String task,
        @ConfigDefault("a") SourceModality sourceModality,
        @ConfigDefault("false") boolean nonlinear,
        @ConfigDefault("512") int dHidden,
        @ConfigDefault("0.2") double dropoutProb) {

    /** Probed representation: scan ({@code yg_a}), report ({@code yg_b}) or both concatenated. */
    public enum SourceModality {
        @JsonProperty("a") A,
        @JsonProperty("b") B,
        @JsonProperty("a&b") A_AND_B
    }

    public OnlineEvaluatorConfig {
        Check.oneOf("task", task, Set.of("chexpert_binary"));
        Check.notNull("source_modality", sourceModality);
        Check.positive("d_hidden", dHidden);
        Check.dropout("dropout_prob", dropoutProb);
    }
}
