package org.lovt.text;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovt.LovtException;
import org.lovt.text.ReportAugmentationConfig;

/**
 * LoVT's report augmentation ({@code ReportDataTransform}, spec lovt-model §2.6), applied per sample to the list of
 * sentences in the order shuffle → sample → duplicate. Validation and test use the report unchanged.
 *
 * <ul>
 *   <li>{@code random_swaps}: k ~ Geometric(1 − swap_prob) on {0, 1, 2, ...} (P(k) = swap_prob^k (1 − swap_prob)),
 *       then k swaps of two positions drawn uniformly with replacement (a swap with itself changes nothing);</li>
 *   <li>{@code random_sentence}: one uniformly chosen sentence;</li>
 *   <li>{@code random_crop}: a contiguous run of a uniformly drawn fraction in {@code sentence_crop_range} of the
 *       sentences (at least one);</li>
 *   <li>{@code duplicate_sentences}: each sentence is repeated once with probability {@code duplication_prob}.</li>
 * </ul>
 */
public final class ReportAugmentation {
    private final ReportAugmentationConfig config;

    public ReportAugmentation(ReportAugmentationConfig config) {
        this.config = config;
    }

    /** The augmented sentence list for one training sample (the input is not modified). */
    public List<String> apply(List<String> sentences, SplittableRandom rnd) {
        if (!config.augment() || sentences.isEmpty()) {
            return List.copyOf(sentences);
        }
        List<String> s = new ArrayList<>(sentences);
        if (config.sentenceShuffling() != null) {
            int k = geometric(1 - config.swapProb(), rnd);
            for (int i = 0; i < k; i++) {
                int a = rnd.nextInt(s.size());
                int b = rnd.nextInt(s.size());
                String t = s.get(a);
                s.set(a, s.get(b));
                s.set(b, t);
            }
        }
        if (config.sentenceSampling() != null) {
            s = switch (config.sentenceSampling()) {
                case RANDOM_SENTENCE -> List.of(s.get(rnd.nextInt(s.size())));
                case RANDOM_CROP -> crop(s, rnd);
            };
        }
        if (config.duplicateSentences()) {
            List<String> d = new ArrayList<>();
            for (String x : s) {
                d.add(x);
                if (rnd.nextDouble() < config.duplicationProb()) {
                    d.add(x);
                }
            }
            s = d;
        }
        return s;
    }

    private List<String> crop(List<String> s, SplittableRandom rnd) {
        List<Double> range = config.sentenceCropRange();
        double f = range.get(0) + rnd.nextDouble() * (range.get(1) - range.get(0));
        int n = Math.max(1, (int) Math.round(f * s.size()));
        int start = rnd.nextInt(s.size() - n + 1);
        return new ArrayList<>(s.subList(start, start + n));
    }

    /** Number of failures before the first success, success probability p (p in (0, 1]). */
    static int geometric(double p, SplittableRandom rnd) {
        if (!(p > 0 && p <= 1)) {
            throw new LovtException("swap_prob must be in [0, 1), got " + (1 - p));
        }
        int k = 0;
        while (rnd.nextDouble() >= p) {
            k++;
        }
        return k;
    }
}
