package org.lovt.data.datasets.prepare;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.lovt.LovtException;
import org.lovt.util.ProgressLine;

/**
 * Processes samples on several threads. A task that throws a {@link LovtException} has met bad input: the sample
 * is skipped and reported (id, file, reason) and the others go on. Anything else (a failed write, a bug) stops all
 * workers and is rethrown; a failed write becomes a {@link LovtException} naming the file.
 */
final class SampleRunner {
    private SampleRunner() {}

    /** Work on one sample; returns its result or throws {@link LovtException} for bad input. */
    @FunctionalInterface
    public interface Task<S, R> {
        R process(S sample);
    }

    /**
     * Runs {@code task} on every item with {@code threads} workers.
     *
     * @param fileOf the main source file of a sample (named in the report when it is skipped)
     * @return per item its result, or null where it was skipped; in item order
     */
    public static <S, R> List<R> run(List<S> items, Function<S, String> idOf, Function<S, String> fileOf,
                                     int threads, ProgressLine progress, PrepareReport report, Task<S, R> task) {
        int n = items.size();
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        Runnable worker = () -> {
            int i;
            while (fatal.get() == null && (i = next.getAndIncrement()) < n) {
                S item = items.get(i);
                try {
                    R r = task.process(item);
                    synchronized (results) {
                        results.set(i, r);
                    }
                } catch (LovtException e) {
                    report.skip(idOf.apply(item), fileOf.apply(item), e.getMessage());
                } catch (Throwable t) {
                    fatal.compareAndSet(null, t);
                    return;
                }
                progress.step();
            }
        };
        int nThreads = Math.max(1, Math.min(threads, Math.max(1, n)));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            Thread th = new Thread(worker, "lovt-prepare-" + (t + 1));
            th.setDaemon(true);
            workers.add(th);
            th.start();
        }
        try {
            for (Thread th : workers) {
                th.join();
            }
        } catch (InterruptedException e) {
            fatal.compareAndSet(null, e);
            Thread.currentThread().interrupt();
            for (Thread th : workers) {
                th.interrupt();
            }
        }
        Throwable t = fatal.get();
        if (t != null) {
            if (t instanceof UncheckedIOException io) {
                throw new LovtException(io.getMessage(), io);
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("preparation interrupted", t);
        }
        progress.finish();
        synchronized (results) {
            return results;
        }
    }
}
