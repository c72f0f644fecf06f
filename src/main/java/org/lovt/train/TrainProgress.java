package org.lovt.train;

import java.io.PrintStream;
import java.util.Locale;

import org.lovt.util.ProgressLine;

/**
 * The progress line of a run ({@link ProgressLine}: redrawn in place on a terminal, a line every 10 s in a log): per
 * batch the epoch, batches done, rate, ETA, loss, learning rate, samples/s and the share of the epoch's time so far
 * that the training thread waited for the data loader ({@code data wait 3%}: more than a few percent means the run
 * is input-bound: add loader workers or an image cache); at the end of an epoch the monitored
 * metric, whether it is the best, and the extra validation metrics, e.g.
 * {@code epoch 3/100: 412/412 batches (100.0%), 2.1 batches/s, ETA 0:00:00, val/total_loss 4.1234 (best)}.
 */
public final class TrainProgress implements TrainListener<Object> {
    private final PrintStream out;
    private ProgressLine line;

    public TrainProgress(PrintStream out) {
        this.out = out;
    }

    /** "epoch 3/100", or "epoch 3" for a run without an epoch limit. */
    static String epochLabel(Fit fit, int epoch) {
        return fit.maxEpochs() == Integer.MAX_VALUE ? "epoch " + (epoch + 1)
                : String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, fit.maxEpochs());
    }

    @Override
    public void onTrainEpochStart(Fit fit, int epoch, long firstBatch) {
        // The batch count is known only at the first batch end; a resumed epoch counts its remaining batches.
        line = null;
    }

    @Override
    public void onTrainBatchEnd(Fit fit, BatchEnd end) {
        if (line == null) {
            line = ProgressLine.on(out, epochLabel(fit, end.epoch()), end.batchesPerEpoch() - end.firstBatch(),
                    "batches");
        }
        long done = end.batch() + 1 - end.firstBatch();
        double seconds = Math.max(1e-9, (System.nanoTime() - end.epochStartNanos()) / 1e9);
        Double loss = end.metrics().get("total_loss");
        line.update(done, String.format(Locale.ROOT, "loss %.4f, lr %.2e, %.1f samples/s, data wait %.0f%%",
                loss != null ? loss : Double.NaN, end.learningRate(), done * (double) end.samples() / seconds,
                100 * end.dataWaitFraction()));
    }

    /** Shown at once, so that a long validation is not mistaken for a stall: {@code ..., validating}. */
    @Override
    public void onValidationStart(Fit fit, int epoch) {
        if (line == null) {
            line = ProgressLine.on(out, epochLabel(fit, epoch), -1, "batches");
        }
        line.show("validating");
    }

    @Override
    public void onEpochEnd(Fit fit, EpochEnd end) {
        StringBuilder extra = new StringBuilder();
        end.extra().forEach((k, v) -> extra.append(String.format(Locale.ROOT, ", %s %.4f", k, v)));
        String details = String.format(Locale.ROOT, "%s %.4f%s%s", fit.monitor(), end.monitored(),
                end.best() ? " (best)" : "", extra);
        if (line == null) {
            line = ProgressLine.on(out, epochLabel(fit, end.epoch()), end.batchesPerEpoch(), "batches");
        }
        line.finish(line.done(), details);
        line = null;
    }
}
