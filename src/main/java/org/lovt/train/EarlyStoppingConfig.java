package org.lovt.train;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;

/**
 * {@code callback.early_stopping} ({@code configs/callback/early_stopping.yaml}): Lightning's {@code EarlyStopping}
 * arguments with Lightning 1.4 defaults (the monitored metric is mandatory here).
 *
 * @param monitor  metric to watch ({@code val/total_loss})
 * @param patience validation epochs without improvement before stopping (10 LoVT/CLIP, 15 ConVIRT)
 * @param mode     whether lower or higher is better
 * @param minDelta smallest change that counts as an improvement
 * @param verbose  log decisions
 */
public record EarlyStoppingConfig(
        String monitor,
        @ConfigDefault("3") int patience,
        @ConfigDefault("min") MonitorMode mode,
        @ConfigDefault("0.0") double minDelta,
        @ConfigDefault("false") boolean verbose) {

    public EarlyStoppingConfig {
        Check.notNull("monitor", monitor);
        Check.nonNegative("patience", patience);
        Check.notNull("mode", mode);
        Check.nonNegative("min_delta", minDelta);
    }
}
