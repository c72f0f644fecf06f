package org.lovt.train;

import java.util.Iterator;

import org.lovt.data.DataLoader;

/** A {@link BatchSource} over the multi-threaded {@link DataLoader}. */
public final class LoaderBatchSource<B> implements BatchSource<B> {
    private final DataLoader<?, B> loader;
    private final long samples;

    public LoaderBatchSource(DataLoader<?, B> loader, long samplesPerEpoch) {
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
    public Iterator<B> epoch(int epoch, long start) {
        return loader.epoch(epoch, (int) start);
    }

    @Override
    public void close() {
        loader.close();
    }
}
