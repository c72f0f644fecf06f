package org.lovt.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.lovt.LovtException;
import org.lovt.torch.dist.DistributedShards;

/**
 * A multi-threaded, prefetching, reproducible batch loader, like PyTorch's {@code DataLoader} with
 * {@code num_workers}, {@code prefetch_factor}, {@code shuffle} and {@code drop_last}.
 *
 * <p><b>Reproducible and resumable.</b> A batch is a pure function of (seed, epoch, batch index): the epoch's sample
 * order is a permutation drawn from (seed, epoch) (identity without shuffling), and sample {@code i} is loaded with
 * its own {@link SplittableRandom} derived from (seed, epoch, i) ({@link #sampleRandom}). Batch {@code k} of epoch
 * {@code e} is therefore the same bytes whatever the number of workers or the thread timing, and
 * {@link #epoch(int, int) epoch(e, k)} resumes mid-epoch exactly where an interrupted run stopped.
 *
 * <p><b>Threads.</b> Each worker assembles whole batches (load every sample, then collate), as PyTorch's workers do.
 * At most {@code prefetchBatches} batches are in flight or waiting; they are handed out strictly in order. The
 * threads are daemons named {@code lovt-loader-N-k}; {@link #close()} stops them and waits for them to end. A
 * failure in a worker reaches the consumer as a {@link DataLoaderException} naming the epoch, batch, sample index
 * and the sample's description (its file or id), from the {@code next()} call for that batch.
 *
 * <p><b>Workers never create libtorch tensors</b>; samples and batches stay in Java memory (arrays,
 * {@link org.lovt.torch.HostTensor}) and the trainer converts a batch inside its own step scope. Three reasons:
 * JavaCPP's {@code PointerScope} is thread-local, so a tensor made in a worker belongs to no step scope (or to a
 * worker scope that closes before the consumer uses it) and would be freed only by the garbage collector, which does
 * not see native memory (unbounded growth, libtorch-java.md §1); handing native tensors across threads would blur
 * which lifetime owns them; and libtorch ops in workers would compete with the trainer's intra-op thread pool for
 * the same cores.
 *
 * @param <T> the example type a {@link SampleSource} produces
 * @param <B> the batch type the collate function makes
 */
public final class DataLoader<T, B> implements AutoCloseable {
    private static final AtomicInteger LOADERS = new AtomicInteger();
    private static final long SHUFFLE_SALT = 0x5DEECE66DL;

    private final SampleSource<T> source;
    private final Function<List<T>, B> collate;
    private final LoaderOptions options;
    private final ExecutorService pool;
    private volatile boolean closed;

    /** A loader over {@code source}; starts {@code options.numWorkers()} threads (none for 0). */
    public DataLoader(SampleSource<T> source, Function<List<T>, B> collate, LoaderOptions options) {
        this.source = source;
        this.collate = collate;
        this.options = options;
        if (options.numWorkers() > 0) {
            int id = LOADERS.incrementAndGet();
            AtomicInteger k = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "lovt-loader-" + id + "-" + k.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(options.numWorkers(), tf);
        } else {
            this.pool = null;
        }
    }

    /** The options. */
    public LoaderOptions options() {
        return options;
    }

    /** Batches per epoch: {@code n / batch} with drop_last, else rounded up ({@code n}: this shard's samples). */
    public int batchesPerEpoch() {
        int n = samplesPerEpoch();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** Samples this loader reads per epoch: the dataset's, or its shard's share (padded as PyTorch pads). */
    public int samplesPerEpoch() {
        LoaderOptions.Shard s = options.shard();
        return s == null ? source.size() : DistributedShards.perRank(source.size(), s.worldSize(), false);
    }

    /**
     * The dataset indices of epoch {@code epoch} in load order: a permutation from (seed, epoch) when shuffling;
     * with a shard, PyTorch's {@code DistributedSampler} order for this rank instead (seeded {@code seed + epoch}).
     */
    public int[] order(int epoch) {
        LoaderOptions.Shard shard = options.shard();
        if (shard != null) {
            return DistributedShards.indices(source.size(), shard.rank(), shard.worldSize(), options.seed(), epoch,
                    options.shuffle(), false);
        }
        int n = source.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (options.shuffle()) {
            SplittableRandom rnd = new SplittableRandom(mix(mix(options.seed() ^ SHUFFLE_SALT) + epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** The random stream of dataset sample {@code index} in {@code epoch} for a run seed. */
    public static SplittableRandom sampleRandom(long seed, int epoch, int index) {
        long h = mix(seed + 0x9E3779B97F4A7C15L);
        h = mix(h ^ (epoch * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL));
        h = mix(h ^ (index * 0xD6E8FEB86659FD93L + 0x2545F4914F6CDD1DL));
        return new SplittableRandom(h);
    }

    /** The batches of {@code epoch} from the first. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of {@code epoch} from batch {@code startBatch} on (resume). */
    public Epoch epoch(int epoch, int startBatch) {
        if (closed) {
            throw new IllegalStateException("the loader is closed");
        }
        if (startBatch < 0 || startBatch > batchesPerEpoch()) {
            throw new LovtException("start batch " + startBatch + " is outside 0.." + batchesPerEpoch());
        }
        return new Epoch(epoch, startBatch);
    }

    /** Batch {@code batch} of {@code epoch}, loaded in the calling thread. */
    public B batch(int epoch, int batch) {
        return load(epoch, order(epoch), batch);
    }

    private B load(int epoch, int[] order, int batch) {
        int from = batch * options.batchSize();
        int to = Math.min(from + options.batchSize(), order.length);
        List<T> items = new ArrayList<>(to - from);
        for (int p = from; p < to; p++) {
            int index = order[p];
            try {
                items.add(source.load(index, sampleRandom(options.seed(), epoch, index)));
            } catch (RuntimeException e) {
                throw new DataLoaderException(epoch, batch, index, describe(index), e);
            }
        }
        try {
            return collate.apply(items);
        } catch (RuntimeException e) {
            throw new DataLoaderException(epoch, batch, -1, "collate", e);
        }
    }

    private String describe(int index) {
        try {
            return source.describe(index);
        } catch (RuntimeException e) {
            return "sample " + index;
        }
    }

    /** Stops the workers (interrupting loads in progress) and waits for them to end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new LovtException("data loader workers did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The batches of one epoch in order; close it to cancel the batches loaded ahead (e.g. when stopping early).
     * Not thread-safe: one consumer.
     */
    public final class Epoch implements Iterator<B>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int end;
        private final ArrayDeque<Future<B>> ahead = new ArrayDeque<>();
        private int nextToSubmit;
        private int nextToReturn;

        private Epoch(int epoch, int start) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.end = batchesPerEpoch();
            this.nextToSubmit = start;
            this.nextToReturn = start;
            fill();
        }

        /** The index of the batch the next {@link #next()} returns. */
        public int nextBatchIndex() {
            return nextToReturn;
        }

        private void fill() {
            if (pool == null) {
                return;
            }
            while (ahead.size() < options.prefetchBatches() && nextToSubmit < end) {
                int b = nextToSubmit++;
                ahead.add(pool.submit(() -> load(epoch, order, b)));
            }
        }

        @Override
        public boolean hasNext() {
            return nextToReturn < end;
        }

        @Override
        public B next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has " + end + " batches");
            }
            if (closed) {
                throw new IllegalStateException("the loader is closed");
            }
            int b = nextToReturn++;
            if (pool == null) {
                try {
                    return load(epoch, order, b);
                } catch (RuntimeException e) {
                    close(); // the epoch ends after a failure, as with workers
                    throw e;
                }
            }
            Future<B> f = ahead.poll();
            fill();
            try {
                return f.get();
            } catch (ExecutionException e) {
                close();
                Throwable c = e.getCause();
                if (c instanceof DataLoaderException d) {
                    // Rethrown from the consumer's thread so that its stack shows where the batch was wanted.
                    throw new DataLoaderException(d);
                }
                throw new DataLoaderException(epoch, b, -1, "loader worker", c);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new LovtException("interrupted while waiting for batch " + b + " of epoch " + epoch, e);
            } catch (CancellationException e) {
                throw new IllegalStateException("batch " + b + " was cancelled (the loader is closed)", e);
            }
        }

        /** Cancels the batches loaded ahead; the epoch ends. */
        @Override
        public void close() {
            for (Future<B> f : ahead) {
                f.cancel(true);
            }
            ahead.clear();
            nextToReturn = end;
            nextToSubmit = end;
        }
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
