package org.lovt.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line of a run: per batch the epoch, batch, rate, ETA, loss, learning rate and samples/s (redrawn in
 * place on a terminal, every 10 s in a log); per epoch the monitored metric, whether it is the best, and the extra
 * validation metrics.
 */
public final class TrainProgress implements TrainListener<Object> {
    private final Progress progress;

    public TrainProgress(PrintStream out) {
        this.progress = new Progress(out, 10);
    }

    /** "epoch 3/100", or "epoch 3" for a run without an epoch limit. */
    static String epochLabel(Fit fit, int epoch) {
        return fit.maxEpochs() == Integer.MAX_VALUE ? "epoch " + (epoch + 1)
                : String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, fit.maxEpochs());
    }

    @Override
    public void onTrainBatchEnd(Fit fit, BatchEnd end) {
        long done = end.batch() + 1 - end.firstBatch();
        double seconds = Math.max(1e-9, (System.nanoTime() - end.epochStartNanos()) / 1e9);
        Double loss = end.metrics().get("total_loss");
        progress.update(epochLabel(fit, end.epoch()) + " batch", done, end.batchesPerEpoch() - end.firstBatch(),
                end.epochStartNanos(), "batch", String.format(Locale.ROOT, "loss %.4f  lr %.2e  %.1f samples/s",
                        loss != null ? loss : Double.NaN, end.learningRate(), done * (double) end.samples() / seconds),
                false);
    }

    @Override
    public void onEpochEnd(Fit fit, EpochEnd end) {
        StringBuilder extra = new StringBuilder();
        end.extra().forEach((k, v) -> extra.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        progress.update(epochLabel(fit, end.epoch()), end.batchesPerEpoch(), end.batchesPerEpoch(),
                end.epochStartNanos(), "batch", String.format(Locale.ROOT, "%s %.4f%s%s", fit.monitor(),
                        end.monitored(), end.best() ? " (best)" : "", extra), true);
    }
}
