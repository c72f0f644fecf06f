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

    private record Adapter(PretrainingListener listener, LovtEncoder view) implements TrainListener<Object> {
        @Override
        public void onFitStart(Fit fit) {
            listener.onStart(view);
        }

        @Override
        public void onTrainBatchEnd(Fit fit, BatchEnd end) {
            listener.onBatch(end.epoch(), end.batch() + 1, end.batchesPerEpoch(), fit.state().optimizerSteps(),
                    end.learningRate(), end.metrics());
        }

        @Override
        public void onEpochEnd(Fit fit, EpochEnd end) {
            listener.onEpoch(end.epoch(), end.validation(), end.monitored(), end.best());
        }
    }
}
