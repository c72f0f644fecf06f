package org.lovt.train;

import java.util.Iterator;

/**
 * Batches of one split, reproducible: the batches of an epoch depend only on the run seed, the epoch and the batch
 * index (order, augmentation), so a resumed run sees exactly the batches an uninterrupted one would.
 *
 * @param <B> the batch type
 */
public interface BatchSource<B> extends AutoCloseable {
    /** Number of batches per epoch. */
    long batchesPerEpoch();

    /** Number of samples per epoch (after dropping an incomplete last batch, if the source does). */
    long samplesPerEpoch();

    /** The batches of {@code epoch} (0-based), starting at batch {@code start}. */
    Iterator<B> epoch(int epoch, long start);

    @Override
    default void close() {}

    /** Stops an epoch's iterator early (a data loader's worker threads), if it holds any resource. */
    static void stop(Iterator<?> it) {
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new org.lovt.LovtException("cannot stop the data loader: " + e.getMessage(), e);
            }
        }
    }
}
