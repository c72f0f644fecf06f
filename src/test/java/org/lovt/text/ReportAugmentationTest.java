package org.lovt.text;

import org.lovt.train.Experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovt.model.LovtModels;
import org.lovt.text.ReportAugmentationConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report augmentation statistics of spec lovt-model §2.6 / §6.2. */
class ReportAugmentationTest {
    static final List<String> REPORT = List.of("a", "b", "c", "d", "e");

    static ReportAugmentationConfig of(String experiment) {
        return Experiments.model(experiment, List.of()).encoderB().dataAugmentation();
    }

    @Test
    void lovtSwapsSentencesGeometricallyAndKeepsThemAll() {
        ReportAugmentation aug = new ReportAugmentation(of("LoVT_100"));
        SplittableRandom rnd = new SplittableRandom(42);
        int unchanged = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            List<String> out = aug.apply(REPORT, rnd);
            List<String> sorted = new ArrayList<>(out);
            sorted.sort(null);
            assertEquals(REPORT, sorted, "a permutation of all sentences");
            if (out.equals(REPORT)) {
                unchanged++;
            }
        }
        // P(no change) = P(k = 0) + P(every swap is a no-op or they cancel) ≈ 0.4 + 0.6·0.4·(1/5) + ... ≈ 0.45
        double p = unchanged / (double) n;
        assertTrue(p > 0.42 && p < 0.50, "unchanged fraction " + p);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += ReportAugmentation.geometric(0.4, rnd);
        }
        assertEquals(1.5, mean / n, 0.05, "mean number of swaps");
    }

    @Test
    void clipAndConvirtKeepOneRandomSentence() {
        for (String e : List.of("CLIP_100", "ConVIRT_100")) {
            ReportAugmentation aug = new ReportAugmentation(of(e));
            SplittableRandom rnd = new SplittableRandom(1);
            int[] counts = new int[5];
            for (int i = 0; i < 5000; i++) {
                List<String> out = aug.apply(REPORT, rnd);
                assertEquals(1, out.size(), e);
                counts[REPORT.indexOf(out.get(0))]++;
            }
            for (int c : counts) {
                assertTrue(c > 850 && c < 1150, e + " picks uniformly: " + java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void sameSeedSameResultAndNoAugmentationWhenOff() {
        ReportAugmentation aug = new ReportAugmentation(of("LoVT_100"));
        List<List<String>> a = new ArrayList<>();
        List<List<String>> b = new ArrayList<>();
        SplittableRandom r1 = new SplittableRandom(9);
        SplittableRandom r2 = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            a.add(aug.apply(REPORT, r1));
            b.add(aug.apply(REPORT, r2));
        }
        assertEquals(a, b);
        assertNotEquals(a, java.util.Collections.nCopies(50, REPORT));
        ReportAugmentationConfig off = new ReportAugmentationConfig(false, null, 0.6, null, List.of(0.6, 1.0), false, 0.2);
        assertEquals(REPORT, new ReportAugmentation(off).apply(REPORT, new SplittableRandom(0)));
    }
}
