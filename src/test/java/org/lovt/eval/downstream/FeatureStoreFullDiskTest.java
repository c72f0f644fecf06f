package org.lovt.eval.downstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.testing.SmallDisk;

/**
 * The spilled feature cache of a frozen evaluation on a full disk (a 1 MB tmpfs; root only, skipped elsewhere): the
 * write fails with an error naming the cache file, what was stored before stays readable, and closing the store
 * leaves no file behind.
 */
class FeatureStoreFullDiskTest {
    @TempDir
    Path tmp;
    Path disk;

    @AfterEach
    void unmount() throws Exception {
        SmallDisk.unmount(disk);
    }

    @Test
    void aWriteOnAFullDiskNamesTheCacheFileAndLeavesNothing() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("disk"), "1m");
        Path spill = disk.resolve("features");
        int floats = 16 * 1024; // 64 KB per sample
        try (FeatureStore s = new FeatureStore(64, Map.of("conv5", floats), 0, spill)) {
            float[] first = new float[floats];
            java.util.Arrays.fill(first, 1.5f);
            s.put("conv5", 0, first);
            SmallDisk.fill(disk, 0);
            LovtException e = assertThrows(LovtException.class, () -> {
                for (int i = 1; i < 64; i++) {
                    s.put("conv5", i, new float[floats]);
                }
            });
            assertTrue(e.getMessage().startsWith("cannot write the feature cache " + spill), e.getMessage());
            assertArrayEquals(first, s.gather("conv5", new int[] {0}), "what was stored before stays readable");
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertEquals(List.of(), files.toList(), "no cache file is left");
        }
    }
}
