package org.lovt.eval.downstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feature cache gives back what was put, on the heap and spilled to files, and leaves no file behind. */
class FeatureStoreTest {
    @TempDir
    Path tmp;

    @Test
    void heapAndFileStoresGatherTheSameRecords() throws Exception {
        Map<String, Integer> layers = Map.of("conv3", 12, "conv5", 5);
        int n = 9;
        SplittableRandom rnd = new SplittableRandom(3);
        float[][][] data = new float[2][n][];
        try (FeatureStore heap = new FeatureStore(n, layers, Long.MAX_VALUE, tmp.resolve("a"));
             FeatureStore file = new FeatureStore(n, layers, 100, tmp.resolve("b"))) {
            assertTrue(heap.inMemory());
            assertFalse(file.inMemory());
            int l = 0;
            for (String layer : new String[] {"conv3", "conv5"}) {
                for (int i = n - 1; i >= 0; i--) {               // written out of order
                    float[] v = new float[layers.get(layer)];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = (float) rnd.nextDouble();
                    }
                    data[l][i] = v;
                    heap.put(layer, i, v.clone());
                    file.put(layer, i, v.clone());
                }
                int[] idx = {4, 0, 8, 4};
                float[] expected = new float[idx.length * v(layers, layer)];
                for (int k = 0; k < idx.length; k++) {
                    System.arraycopy(data[l][idx[k]], 0, expected, k * v(layers, layer), v(layers, layer));
                }
                assertArrayEquals(expected, heap.gather(layer, idx));
                assertArrayEquals(expected, file.gather(layer, idx));
                l++;
            }
        }
        try (var files = Files.list(tmp.resolve("b"))) {
            assertEquals(0, files.count(), "no file is left behind (the JDK unlinks DELETE_ON_CLOSE files at once on Linux)");
        }
    }

    private static int v(Map<String, Integer> layers, String layer) {
        return layers.get(layer);
    }

    @Test
    void aRecordOfTheWrongSizeIsRefused() {
        try (FeatureStore s = new FeatureStore(2, Map.of("conv5", 4), Long.MAX_VALUE, tmp)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.lovt.LovtException.class,
                    () -> s.put("conv5", 0, new float[3]));
            assertTrue(e.getMessage().contains("conv5") && e.getMessage().contains("4"), e.getMessage());
        }
    }
}
