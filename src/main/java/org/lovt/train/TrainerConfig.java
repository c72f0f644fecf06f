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
 * @param precision             16 (mixed precision autocast, as trained) or 32/64 (both float32 here). With 16 on a
 *                              CUDA device: autocast to {@code amp_dtype} (float16 with dynamic loss scaling, as the
 *                              original's native AMP; or bfloat16); on the CPU float32 (Lightning 1.4 offers AMP on
 *                              GPUs only) unless {@code amp_on_cpu}
 * @param ampDtype              extension: {@code float16} (default, the original's) or {@code bfloat16}
 * @param ampOnCpu              extension: with precision 16, autocast on the CPU too ({@code bfloat16} needs a CPU
 *                              with native bfloat16 instructions; {@code float16} on a CPU is for testing)
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
        @ConfigDefault("false") boolean fastDevRun,
        @ConfigDefault("float16") AmpDtype ampDtype,
        @ConfigDefault("false") boolean ampOnCpu) {

    /** The low-precision type of autocast. */
    public enum AmpDtype {
        @com.fasterxml.jackson.annotation.JsonProperty("float16") FLOAT16,
        @com.fasterxml.jackson.annotation.JsonProperty("bfloat16") BFLOAT16
    }

    public TrainerConfig {
        Check.that(Set.of(16, 32, 64).contains(precision), "precision", "must be 16, 32 or 64, got " + precision);
        Check.positive("accumulate_grad_batches", accumulateGradBatches);
        Check.nonNegative("gradient_clip_val", gradientClipVal);
    }
}
