package org.lovt.train;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

import java.util.Set;

/**
 * The {@code trainer:} block: the PyTorch Lightning {@code Trainer} arguments the original configs set
 * ({@code configs/base_config.yaml}, experiments), with Lightning 1.4 defaults. The original passes this block to
 * {@code Trainer(**trainer)} as a free dict; here it is strict, so a typo fails instead of being ignored.
 *
 * @param precision             16 (mixed precision autocast, as trained) or 32/64
 * @param ampLevel              apex optimisation level; ignored by native AMP, kept so the original value loads;
 *                              null = unset
 * @param accumulateGradBatches micro-batches per optimizer step (16 for LoVT/CLIP, 1 for ConVIRT)
 * @param gradientClipVal       gradient norm clipping; 0 = off (no shipped config clips)
 * @param fastDevRun            run one batch of train/val only (the original's {@code debug} mode sets it)
 */
public record TrainerConfig(
        @ConfigDefault("32") int precision,
        @Nullable @ConfigDefault("null") String ampLevel,
        @ConfigDefault("1") int accumulateGradBatches,
        @ConfigDefault("0.0") double gradientClipVal,
        @ConfigDefault("false") boolean fastDevRun) {

    public TrainerConfig {
        Check.that(Set.of(16, 32, 64).contains(precision), "precision", "must be 16, 32 or 64, got " + precision);
        Check.positive("accumulate_grad_batches", accumulateGradBatches);
        Check.nonNegative("gradient_clip_val", gradientClipVal);
    }
}
