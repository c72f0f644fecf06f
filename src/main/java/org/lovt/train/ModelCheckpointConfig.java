package org.lovt.train;

import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

/**
 * {@code callback.model_checkpoint} ({@code configs/callback/checkpoint.yaml}): Lightning's
 * {@code ModelCheckpoint} arguments with Lightning 1.4 defaults. The original's {@code _target_} class path is
 * dropped (there is one implementation).
 *
 * @param monitor   metric deciding the best checkpoint; null = keep only the last
 * @param saveTopK  how many best checkpoints to keep (-1 = all)
 * @param saveLast  also keep the last epoch's checkpoint
 * @param mode      whether lower or higher {@code monitor} is better
 * @param verbose   log each save
 * @param dirpath   folder, relative to the run folder; null = default
 * @param filename  file name pattern, e.g. {@code pretrain-{epoch:04d}}; null = default
 */
public record ModelCheckpointConfig(
        @Nullable @ConfigDefault("null") String monitor,
        @ConfigDefault("1") int saveTopK,
        @ConfigDefault("false") boolean saveLast,
        @ConfigDefault("min") MonitorMode mode,
        @ConfigDefault("false") boolean verbose,
        @Nullable @ConfigDefault("null") String dirpath,
        @Nullable @ConfigDefault("null") String filename) {

    public ModelCheckpointConfig {
        Check.that(saveTopK >= -1, "save_top_k", "must be >= -1, got " + saveTopK);
        Check.notNull("mode", mode);
    }
}
