package org.lovt.data;

import org.lovt.LovtException;

/**
 * Settings of a {@link DataLoader}, with PyTorch {@code DataLoader} meanings.
 *
 * @param batchSize       samples per batch
 * @param shuffle         a new permutation of the samples every epoch (from {@code seed} and the epoch)
 * @param dropLast        drop the last, smaller batch
 * @param numWorkers      loader threads; 0 loads in the calling thread
 * @param prefetchBatches batches loaded ahead of the consumer (in flight or done); bounds memory
 * @param seed            the run seed: shuffling and every sample's random stream derive from it
 * @param shard           in a data-parallel job, this process's share of every epoch (PyTorch's
 *                        {@code DistributedSampler}: see {@link org.lovt.torch.dist.DistributedShards}); null reads
 *                        every sample
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int numWorkers, int prefetchBatches,
                            long seed, Shard shard) {

    /** Rank {@code rank} of {@code worldSize} processes. */
    public record Shard(int rank, int worldSize) {
        public Shard {
            if (worldSize < 1 || rank < 0 || rank >= worldSize) {
                throw new LovtException("rank " + rank + " is not in a world of " + worldSize);
            }
        }
    }

    /** Every sample, no shard. */
    public LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int numWorkers, int prefetchBatches,
                         long seed) {
        this(batchSize, shuffle, dropLast, numWorkers, prefetchBatches, seed, null);
    }

    /** These options reading only {@code shard}'s share of each epoch (null: everything). */
    public LoaderOptions withShard(Shard s) {
        return new LoaderOptions(batchSize, shuffle, dropLast, numWorkers, prefetchBatches, seed, s);
    }

    public LoaderOptions {
        if (batchSize < 1) {
            throw new LovtException("batch_size must be positive, got " + batchSize);
        }
        if (numWorkers < 0) {
            throw new LovtException("num_workers must be >= 0, got " + numWorkers);
        }
        if (prefetchBatches < 1) {
            throw new LovtException("prefetch must be at least one batch, got " + prefetchBatches);
        }
    }

    /** PyTorch's default prefetch: 2 batches per worker (at least 1). */
    public static LoaderOptions of(int batchSize, boolean shuffle, boolean dropLast, int numWorkers, long seed) {
        return new LoaderOptions(batchSize, shuffle, dropLast, numWorkers, Math.max(1, 2 * numWorkers), seed);
    }
}
