package org.lovt.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.lovt.LovtException;

/**
 * The contract every fuzz target checks on every input (README "Reliability"): the call returns or throws one of the
 * project's documented exceptions ({@link LovtException} and its subclasses, whose messages name the input); it
 * finishes within a time limit (a hang is a finding); and the Java heap it allocates stays within a bound set by the
 * input's size, so that a header claiming a huge tensor, image or string fails before anything of the claimed size
 * is allocated. Anything else ({@code IndexOutOfBoundsException}, {@code NumberFormatException},
 * {@code OutOfMemoryError}, a native crash that kills the JVM) fails the target.
 *
 * <p>The call runs on one worker thread so that a hang can be reported instead of blocking the run, and so that the
 * bytes it allocates can be counted ({@code com.sun.management.ThreadMXBean}).
 */
public final class FuzzContract {
    /** Time limit per input. Generous: the slowest legitimate inputs of the corpora take milliseconds. */
    public static final long TIME_LIMIT_MS = Long.getLong("lovt.fuzz.timeLimitMs", 10_000);
    /** Heap every call may allocate regardless of its input (parsers, small buffers, JSON trees). */
    public static final long BASE_ALLOCATION = 64L << 20;

    private static ExecutorService worker = newWorker();
    private static final AtomicLong WORKER_ID = new AtomicLong();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {}

    /** The code under test. */
    @FunctionalInterface
    public interface Target {
        void run() throws Exception;
    }

    /**
     * Runs {@code target} and checks the contract.
     *
     * @param what       the format, for messages
     * @param inputBytes the size of the input, which scales the allocation bound
     * @param bytesPerInputByte how many heap bytes per input byte a legitimate decode may need (a decompressor
     *                   legitimately expands its input; a parser needs a small constant)
     */
    public static void check(String what, long inputBytes, long bytesPerInputByte, Target target) {
        check(what, inputBytes, BASE_ALLOCATION, bytesPerInputByte, target);
    }

    /** As {@link #check(String, long, long, Target)}, with a target's own input-independent allowance. */
    public static synchronized void check(String what, long inputBytes, long baseAllocation, long bytesPerInputByte,
                                          Target target) {
        long limit = baseAllocation + bytesPerInputByte * inputBytes;
        long allocated = run(what, inputBytes, target);
        if (allocated > limit) {
            // A first call also pays for class initialisation (AWT, ICU, codecs); the input is judged on a second.
            allocated = run(what, inputBytes, target);
        }
        if (allocated > limit) {
            throw new AssertionError(what + ": allocated " + allocated + " bytes of heap for an input of "
                    + inputBytes + " bytes (limit " + limit + "): an allocation follows a claimed size before it "
                    + "is validated");
        }
    }

    /** Runs the target once on the worker; returns the heap bytes it allocated. */
    private static long run(String what, long inputBytes, Target target) {
        Future<long[]> f = worker.submit(() -> {
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            try {
                target.run();
            } catch (LovtException expected) {
                if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                    throw new AssertionError(what + ": a " + expected.getClass().getSimpleName()
                            + " without a message", expected);
                }
            }
            return new long[] {THREADS.getThreadAllocatedBytes(id) - before};
        });
        try {
            return f.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS)[0];
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the hung thread is abandoned (daemon)
            throw new AssertionError(what + ": no result within " + TIME_LIMIT_MS + " ms (a hang) for an input of "
                    + inputBytes + " bytes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(what + ": " + c.getClass().getName() + " is not one of the documented "
                    + "exceptions (LovtException and its subclasses): " + c.getMessage(), c);
        }
    }

    /** Writes {@code data} to a reusable scratch file of the calling test (in memory where /dev/shm exists). */
    public static Path scratch(String name, byte[] data) {
        try {
            Path dir = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
                    ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            Path d = dir.resolve("lovt-fuzz-" + ProcessHandle.current().pid());
            Files.createDirectories(d);
            d.toFile().deleteOnExit();
            Path f = d.resolve(name);
            Files.write(f, data);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lovt-fuzz-" + WORKER_ID.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
