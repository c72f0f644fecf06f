package org.lovt.api;

import java.util.List;

import org.lovt.train.Fit;
import org.lovt.train.Pretrainer;
import org.lovt.train.TrainListener;

/** Connects the public {@link PretrainingListener}s to the trainer's {@link TrainListener}s. */
final class Listeners {
    private Listeners() {}

    /** Adds one trainer listener per public listener, after the trainer's own (checkpoints are written first). */
    static void attach(Pretrainer trainer, List<PretrainingListener> listeners, LovtEncoder view) {
        for (PretrainingListener l : listeners) {
            trainer.addListener(new Adapter(l, view));
        }
    }

    private static final class Adapter implements TrainListener<Object> {
        private final PretrainingListener listener;
        private final LovtEncoder view;
        private BatchEnd last; // the latest batch of the epoch being trained, until its timing is reported
        private long lastEndNanos;

        Adapter(PretrainingListener listener, LovtEncoder view) {
            this.listener = listener;
            this.view = view;
        }

        @Override
        public void onFitStart(Fit fit) {
            listener.onStart(view);
        }

        @Override
        public void onTrainEpochStart(Fit fit, int epoch, long firstBatch) {
            last = null;
        }

        @Override
        public void onTrainBatchEnd(Fit fit, BatchEnd end) {
            last = end;
            lastEndNanos = System.nanoTime();
            listener.onBatch(end.epoch(), end.batch() + 1, end.batchesPerEpoch(), fit.state().optimizerSteps(),
                    end.learningRate(), end.metrics());
        }

        @Override
        public void onTrainInterrupted(Fit fit) {
            reportTiming();
        }

        @Override
        public void onValidationStart(Fit fit, int epoch) {
            reportTiming();
        }

        private void reportTiming() {
            if (last != null) {
                BatchEnd b = last;
                last = null;
                listener.onTrainEpochEnd(b.epoch(), b.batch() + 1 - b.firstBatch(),
                        (lastEndNanos - b.epochStartNanos()) / 1e9, b.dataWaitNanos() / 1e9);
            }
        }

        @Override
        public void onEpochEnd(Fit fit, EpochEnd end) {
            listener.onEpoch(end.epoch(), end.validation(), end.monitored(), end.best());
        }
    }
}
