package org.lovt.api;

import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Natives;

/**
 * Limits the threads libtorch uses within one operation (intra-op parallelism) until closed, then restores the
 * previous number. The setting is process-wide.
 *
 * <p>Small models gain from fewer threads: for the demo's network one thread runs a training step about 3.5 times
 * faster than two (OpenMP synchronisation per operation dominates), and the other cores go to the data loader.
 * Results may differ in the last bits between thread counts (reductions are split differently).
 *
 * <pre>{@code
 * try (ComputeThreads t = ComputeThreads.limit(1)) {
 *     Pretraining.builder()...build().run();
 * }
 * }</pre>
 */
public final class ComputeThreads implements AutoCloseable {
    private final int previous;
    private boolean closed;

    private ComputeThreads(int previous) {
        this.previous = previous;
    }

    /** Sets libtorch's intra-op threads to {@code threads} (at least 1) until {@link #close()}. */
    public static ComputeThreads limit(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Natives.load();
        int previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        return new ComputeThreads(previous);
    }

    /** The number of threads before {@link #limit}. */
    public int previous() {
        return previous;
    }

    /** Restores the previous number of threads. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            torch.set_num_threads(previous);
        }
    }
}
