package org.lovt.train;

import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

/**
 * The {@code callback:} block. The original holds a free dict of Hydra-instantiated callbacks; the JVM port knows
 * the two that pre-training uses. Delete one with {@code ~callback.early_stopping}.
 *
 * @param modelCheckpoint checkpointing; null = no checkpoints
 * @param earlyStopping   early stopping; null = run until {@code max_epochs}
 */
public record CallbackConfig(
        @Nullable @ConfigDefault("null") ModelCheckpointConfig modelCheckpoint,
        @Nullable @ConfigDefault("null") EarlyStoppingConfig earlyStopping) {
}
