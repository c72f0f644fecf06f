package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Same (seed, index, size) gives the same sample bit for bit; anything else gives another. */
class SyntheticCxrDeterminismTest {
    static void assertSameSample(SyntheticSample a, SyntheticSample b) {
        assertEquals(a.seed(), b.seed());
        assertEquals(a.index(), b.index());
        assertEquals(a.size(), b.size());
        assertEquals(a.view(), b.view());
        assertArrayEquals(a.pixels(), b.pixels(), "pixels");
        assertArrayEquals(a.anatomy(), b.anatomy(), "anatomy");
        assertEquals(a.zones().midlineX(), b.zones().midlineX());
        assertEquals(a.zoneBoxes(), b.zoneBoxes());
        assertEquals(a.findings().size(), b.findings().size());
        for (int i = 0; i < a.findings().size(); i++) {
            Finding fa = a.findings().get(i);
            Finding fb = b.findings().get(i);
            assertEquals(fa.type(), fb.type());
            assertEquals(fa.zone(), fb.zone());
            assertEquals(fa.box(), fb.box());
            assertEquals(fa.anchorX(), fb.anchorX());
            assertEquals(fa.anchorY(), fb.anchorY());
            assertEquals(fa.uncertain(), fb.uncertain());
            assertArrayEquals(fa.mask(), fb.mask(), "mask of finding " + i);
        }
        assertEquals(a.findingsSection(), b.findingsSection());
        assertEquals(a.impression(), b.impression());
        assertEquals(a.cardiomegaly(), b.cardiomegaly());
        assertEquals(a.edema(), b.edema());
        assertEquals(a.labels(), b.labels());
    }

    @Test
    void sameSeedIndexAndSizeGiveIdenticalSamples() {
        for (int index = 0; index < 20; index++) {
            assertSameSample(SyntheticCxr.generate(42, index), SyntheticCxr.generate(42, index));
        }
        assertSameSample(SyntheticCxr.generate(5, 3, 96), SyntheticCxr.generate(5, 3, 96));
        assertSameSample(SyntheticCxr.generate(5, 3, 512), SyntheticCxr.generate(5, 3, 512));
    }

    @Test
    void generationIsIndependentOfThreadsAndOrder() {
        List<SyntheticSample> parallel = IntStream.range(0, 24).parallel()
                .mapToObj(i -> SyntheticCxr.generate(9, 23 - i)).toList();
        for (int i = 0; i < 24; i++) {
            assertSameSample(SyntheticCxr.generate(9, 23 - i), parallel.get(i));
        }
    }

    @Test
    void differentSeedsOrIndicesGiveDifferentSamples() {
        SyntheticSample a = SyntheticCxr.generate(1, 0);
        SyntheticSample b = SyntheticCxr.generate(2, 0);
        SyntheticSample c = SyntheticCxr.generate(1, 1);
        assertFalse(Arrays.equals(a.pixels(), b.pixels()));
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
        assertFalse(Arrays.equals(a.anatomy(), b.anatomy()));
        long distinctReports = IntStream.range(0, 30).mapToObj(i -> SyntheticCxr.generate(1, i).sentences()).distinct()
                .count();
        assertEquals(30, distinctReports, "every report differs");
    }

    @Test
    void datasetSplitsAreIndependentOfEachOthersSize() {
        SyntheticDataset val1 = SyntheticDataset.splits(7, 10, 5, 5, 128).get(1);
        SyntheticDataset val2 = SyntheticDataset.splits(7, 1000, 5, 5, 128).get(1);
        assertSameSample(val1.get(3), val2.get(3));
        SyntheticDataset train = SyntheticDataset.of(7, "train", 5, 128);
        assertFalse(Arrays.equals(train.get(3).pixels(), val1.get(3).pixels()));
        assertThrows(IndexOutOfBoundsException.class, () -> train.get(5));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.of(7, "validate", 5, 128));
        assertThrows(IllegalArgumentException.class, () -> SyntheticCxr.generate(1, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> SyntheticCxr.generate(1, -1, 224));
    }
}
