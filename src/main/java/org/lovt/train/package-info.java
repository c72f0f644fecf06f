/**
 * Training: the Trainer loop over a TrainTask with TrainListeners (NaN guard, checkpoints, early stopping, metrics log, progress, extra validation, online probes), LoVT pre-training (Pretrainer), LR schedules, checkpoints and run folders.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.train;
