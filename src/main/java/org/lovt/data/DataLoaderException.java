package org.lovt.data;

import org.lovt.LovtException;

/** A sample failed to load or a batch failed to collate in a {@link DataLoader}; says which. */
public class DataLoaderException extends LovtException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final int sampleIndex;

    DataLoaderException(int epoch, int batch, int sampleIndex, String what, Throwable cause) {
        super("epoch " + epoch + ", batch " + batch + (sampleIndex >= 0 ? ", sample " + sampleIndex : "")
                + " (" + what + "): " + cause.getMessage(), cause);
        this.epoch = epoch;
        this.batch = batch;
        this.sampleIndex = sampleIndex;
    }

    /** The same failure raised again in the consumer's thread (the worker's exception is the cause). */
    DataLoaderException(DataLoaderException inWorker) {
        super(inWorker.getMessage(), inWorker);
        this.epoch = inWorker.epoch;
        this.batch = inWorker.batch;
        this.sampleIndex = inWorker.sampleIndex;
    }

    /** The epoch. */
    public int epoch() {
        return epoch;
    }

    /** The batch index within the epoch. */
    public int batch() {
        return batch;
    }

    /** The failing sample's dataset index, or −1 when the collate function failed. */
    public int sampleIndex() {
        return sampleIndex;
    }
}
