package org.lovt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

/** Ordering, determinism, resumption, errors and shutdown of {@link DataLoader}. */
class DataLoaderTest {
    /** Sample = {index, first draw of its stream}; loads take a random, seed-independent time. */
    private static final class Source implements SampleSource<long[]> {
        final int n;
        final int failAt;
        final AtomicInteger loads = new AtomicInteger();

        Source(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public long[] load(int index, SplittableRandom rnd) {
            loads.incrementAndGet();
            if (index == failAt) {
                throw new LovtException("cannot decode image /data/files/p10/s5/view" + index + ".jpg: corrupt");
            }
            try {
                Thread.sleep((long) (Math.random() * 3)); // jitter the thread timing on purpose
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LovtException("interrupted");
            }
            return new long[] {index, rnd.nextLong()};
        }

        @Override
        public String describe(int index) {
            return "study s" + index;
        }
    }

    private static List<long[]> collate(List<long[]> items) {
        return new ArrayList<>(items);
    }

    private final List<DataLoader<?, ?>> open = new ArrayList<>();

    private DataLoader<long[], List<long[]>> loader(Source src, int batch, boolean shuffle, boolean dropLast,
                                                    int workers, long seed) {
        DataLoader<long[], List<long[]>> l = new DataLoader<>(src, DataLoaderTest::collate,
                LoaderOptions.of(batch, shuffle, dropLast, workers, seed));
        open.add(l);
        return l;
    }

    @AfterEach
    void closeAll() {
        open.forEach(DataLoader::close);
    }

    private static List<String> epoch(DataLoader<long[], List<long[]>> l, int epoch, int start) {
        List<String> out = new ArrayList<>();
        try (DataLoader<long[], List<long[]>>.Epoch it = l.epoch(epoch, start)) {
            while (it.hasNext()) {
                StringBuilder sb = new StringBuilder();
                for (long[] s : it.next()) {
                    sb.append(s[0]).append(':').append(s[1]).append(' ');
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void batchesAreTheSameWhateverTheNumberOfWorkers() {
        List<String> serial = epoch(loader(new Source(103, -1), 8, true, false, 0, 5), 2, 0);
        assertEquals(13, serial.size());
        assertEquals(7, serial.get(12).split(" ").length, "last batch has 103 - 96 samples");
        for (int workers : new int[] {1, 2, 5}) {
            assertEquals(serial, epoch(loader(new Source(103, -1), 8, true, false, workers, 5), 2, 0),
                    workers + " workers");
        }
    }

    @Test
    void shufflingIsAPermutationPerEpochFromTheSeed() {
        DataLoader<long[], List<long[]>> l = loader(new Source(50, -1), 4, true, false, 0, 11);
        int[] e0 = l.order(0);
        int[] e1 = l.order(1);
        assertArrayEquals(e0, loader(new Source(50, -1), 4, true, false, 2, 11).order(0));
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, loader(new Source(50, -1), 4, true, false, 0, 12).order(0)));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        int[] plain = loader(new Source(50, -1), 4, false, false, 0, 11).order(3);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, plain[i]);
        }
    }

    @Test
    void sampleStreamsDependOnSeedEpochAndIndexOnly() {
        long a = DataLoader.sampleRandom(1, 2, 3).nextLong();
        assertEquals(a, DataLoader.sampleRandom(1, 2, 3).nextLong());
        assertNotEquals(a, DataLoader.sampleRandom(1, 2, 4).nextLong());
        assertNotEquals(a, DataLoader.sampleRandom(1, 3, 3).nextLong());
        assertNotEquals(a, DataLoader.sampleRandom(2, 2, 3).nextLong());
        // a sample gets the same stream at any batch position: compare shuffled vs unshuffled loading
        List<String> shuffled = epoch(loader(new Source(20, -1), 20, true, false, 0, 9), 0, 0);
        List<String> ordered = epoch(loader(new Source(20, -1), 20, false, false, 0, 9), 0, 0);
        List<String> s1 = new ArrayList<>(List.of(shuffled.get(0).split(" ")));
        List<String> s2 = new ArrayList<>(List.of(ordered.get(0).split(" ")));
        s1.sort(null);
        s2.sort(null);
        assertEquals(s2, s1);
    }

    @Test
    void dropLastDropsTheShortBatch() {
        assertEquals(12, loader(new Source(103, -1), 8, true, true, 0, 1).batchesPerEpoch());
        assertEquals(13, loader(new Source(103, -1), 8, true, false, 0, 1).batchesPerEpoch());
        assertEquals(12, loader(new Source(96, -1), 8, true, false, 0, 1).batchesPerEpoch());
        List<String> batches = epoch(loader(new Source(103, -1), 8, true, true, 2, 1), 0, 0);
        assertEquals(12, batches.size());
        batches.forEach(b -> assertEquals(8, b.split(" ").length));
    }

    @Test
    void resumingAtBatchKGivesTheUninterruptedBatches() {
        List<String> full = epoch(loader(new Source(61, -1), 5, true, false, 3, 77), 4, 0);
        List<String> resumed = epoch(loader(new Source(61, -1), 5, true, false, 2, 77), 4, 7);
        assertEquals(full.subList(7, full.size()), resumed);
        DataLoader<long[], List<long[]>> serial = loader(new Source(61, -1), 5, true, false, 0, 77);
        StringBuilder sb = new StringBuilder();
        for (long[] s : serial.batch(4, 9)) {
            sb.append(s[0]).append(':').append(s[1]).append(' ');
        }
        assertEquals(full.get(9), sb.toString());
    }

    @Test
    void workerFailuresReachTheConsumerWithSampleAndFile() {
        Source src = new Source(40, 13);
        DataLoader<long[], List<long[]>> l = loader(src, 4, false, false, 3, 1);
        DataLoader<long[], List<long[]>>.Epoch it = l.epoch(0);
        for (int b = 0; b < 3; b++) {
            assertEquals(4, it.next().size());
        }
        DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
        assertEquals(3, e.batch());
        assertEquals(13, e.sampleIndex());
        assertEquals(0, e.epoch());
        assertTrue(e.getMessage().contains("study s13"), e.getMessage());
        assertTrue(e.getMessage().contains("/data/files/p10/s5/view13.jpg"), e.getMessage());
        assertFalse(it.hasNext(), "the epoch ends after a failure");
        // in the calling thread too
        DataLoader<long[], List<long[]>>.Epoch serialEpoch = loader(new Source(40, 13), 4, false, false, 0, 1).epoch(0);
        for (int b = 0; b < 3; b++) {
            serialEpoch.next();
        }
        DataLoaderException serial = assertThrows(DataLoaderException.class, serialEpoch::next);
        assertEquals(13, serial.sampleIndex());
        assertFalse(serialEpoch.hasNext());
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        Source src = new Source(100, -1);
        DataLoader<long[], List<long[]>> l = new DataLoader<>(src, DataLoaderTest::collate,
                new LoaderOptions(1, false, false, 2, 3, 0));
        open.add(l);
        DataLoader<long[], List<long[]>>.Epoch it = l.epoch(0);
        Thread.sleep(300);
        assertEquals(3, src.loads.get(), "3 batches of 1 loaded ahead, no more");
        it.next();
        Thread.sleep(200);
        assertEquals(4, src.loads.get());
        it.close();
    }

    @Test
    void closeLeavesNoThreads() {
        long before = loaderThreads();
        Source src = new Source(500, -1);
        DataLoader<long[], List<long[]>> l = new DataLoader<>(src, DataLoaderTest::collate,
                LoaderOptions.of(4, true, false, 4, 3));
        DataLoader<long[], List<long[]>>.Epoch it = l.epoch(0);
        it.next();
        assertTrue(loaderThreads() > before);
        l.close(); // with batches still in flight
        assertEquals(before, loaderThreads());
        assertThrows(IllegalStateException.class, () -> l.epoch(1));
        l.close(); // idempotent
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lovt-loader-") && t.isAlive()).count();
    }
}
