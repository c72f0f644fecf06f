package org.lovt.api;

import java.util.List;

import org.lovt.train.Pretrainer;

/** Connects the public {@link PretrainingListener}s to the trainer's listener mechanism. */
final class Listeners {
    private Listeners() {}

    static void attach(Pretrainer trainer, List<PretrainingListener> listeners) {
        if (!listeners.isEmpty()) {
            throw new UnsupportedOperationException("pre-training listeners are not connected yet");
        }
    }
}
