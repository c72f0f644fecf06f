package org.lovt.train;

import java.util.Iterator;

import org.lovt.data.DataLoader;
import org.lovt.data.PretrainingBatch;

/** A {@link BatchSource} over the multi-threaded {@link DataLoader}. */
public final class LoaderBatchSource implements BatchSource<PretrainingBatch> {
    private final DataLoader<?, PretrainingBatch> loader;
    private final long samples;

    public LoaderBatchSource(DataLoader<?, PretrainingBatch> loader, long samplesPerEpoch) {
        this.loader = loader;
        this.samples = samplesPerEpoch;
    }

    @Override
    public long batchesPerEpoch() {
        return loader.batchesPerEpoch();
    }

    @Override
    public long samplesPerEpoch() {
        return samples;
    }

    @Override
    public Iterator<PretrainingBatch> epoch(int epoch, long start) {
        return loader.epoch(epoch, (int) start);
    }

    @Override
    public void close() {
        loader.close();
    }
}
