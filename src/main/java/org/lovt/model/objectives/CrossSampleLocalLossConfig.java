package org.lovt.model.objectives;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;

import java.util.Set;

/**
 * A GLoRIA-style cross-sample local objective (not part of LoVT; YAML key {@code pretrain_model.ll_cross_sample},
 * shipped as {@code objective/report_cross_sample_local}). Each sentence of report i attends, with LoVT's own
 * cross-attention, over the regions of every image j of the batch; report i and image j are scored by a soft maximum
 * over the sentences of the cosine between each sentence and what it attended to in image j; an InfoNCE over the
 * batch then asks the matching image (and report) to score highest. Unlike LoVT's intra-sample losses, which a
 * sentence-keyed choice of <em>any</em> consistent regions satisfies, this term only rewards attention that finds,
 * in the matching image, content the sentence describes (see the README's demo section).
 *
 * <p>Scores follow GLoRIA's local loss (Huang et al., ICCV 2021, eq. 5–7):
 * {@code Z(i, j) = (1/γ2) · log Σ_k exp(γ2 · cos(zl_b[i,k], c[i,k,j]))} over the valid sentences k of report i, with
 * {@code c[i,k,j] = O(Σ_r softmax_r(K(zl_b[i,k]) · K(zl_a[j,r]) / (√d · attention_temperature)) · V(zl_a[j,r]))}
 * (no output norm); losses {@code local_xs_a2b = mean_j CE over reports i of Z(i, j)/τ} (scan anchors) and
 * {@code local_xs_b2a = mean_i CE over images j of Z(i, j)/τ} (report anchors). Both need a weight in
 * {@code loss_weights}.
 *
 * @param objectiveType         always {@code cross_sample_local}
 * @param aggregationScale      γ2 of the soft maximum over sentences (GLoRIA: 5)
 * @param similarityTemperature τ of the InfoNCE over the batch (GLoRIA: 1/γ3 = 0.1)
 */
public record CrossSampleLocalLossConfig(
        @ConfigDefault("cross_sample_local") String objectiveType,
        @ConfigDefault("5.0") double aggregationScale,
        @ConfigDefault("0.1") double similarityTemperature) {

    public CrossSampleLocalLossConfig {
        Check.oneOf("objective_type", objectiveType, Set.of("cross_sample_local"));
        Check.positive("aggregation_scale", aggregationScale);
        Check.positive("similarity_temperature", similarityTemperature);
    }
}
