package org.lovt.data.datasets.synthetic;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.lovt.LovtException;

/**
 * Runs {@code work(i)} for i = 0 .. n-1 on a few threads and hands the results to {@code sink} on the calling thread
 * in index order, with a bounded number in flight (so memory stays flat for any n). Samples are independent and
 * deterministic, so the output does not depend on the thread count.
 */
final class OrderedParallel {
    private OrderedParallel() {}

    @FunctionalInterface
    interface Work<R> {
        R apply(int index) throws IOException;
    }

    @FunctionalInterface
    interface Sink<R> {
        void accept(R result) throws IOException;
    }

    static <R> void run(int n, int threads, Work<R> work, Sink<R> sink) throws IOException {
        if (threads <= 1) {
            for (int i = 0; i < n; i++) {
                sink.accept(work.apply(i));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synthetic-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<R>> inFlight = new ArrayDeque<>();
            int window = 4 * threads;
            for (int i = 0; i < n; i++) {
                int index = i;
                inFlight.add(pool.submit(() -> work.apply(index)));
                if (inFlight.size() >= window) {
                    sink.accept(take(inFlight.poll()));
                }
            }
            while (!inFlight.isEmpty()) {
                sink.accept(take(inFlight.poll()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R take(Future<R> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LovtException("interrupted while writing synthetic data", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new LovtException("writing a synthetic sample failed: " + c, c);
        }
    }
}
