package org.lovt.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

import java.util.List;

/**
 * Pre-training report augmentation on the list of sentences: {@code ReportAugmentationConfig} of the original
 * ({@code src/models/text/report_transforms.py}; spec lovt-model.md §2.6). Applied as shuffle → sample →
 * duplicate; never at validation/test.
 *
 * <p>⚠ The dataclass default of {@code sentence_sampling} is {@code random_sentence}; both shipped report encoder
 * files override it with {@code null} (all sentences), and ConVIRT/CLIP set it back to {@code random_sentence}.
 *
 * @param augment            master switch for training-time augmentation
 * @param sentenceShuffling  sentence order change; null = original order
 * @param swapProb           {@code random_swaps}: number of swaps ~ Geometric(1 − swap_prob)
 * @param sentenceSampling   which sentences to keep; null = all
 * @param sentenceCropRange  {@code random_crop}: kept fraction range
 * @param duplicateSentences randomly duplicate sentences
 * @param duplicationProb    number of duplicates ~ Geometric(1 − duplication_prob)
 */
public record ReportAugmentationConfig(
        @ConfigDefault("true") boolean augment,
        @Nullable @ConfigDefault("null") SentenceShuffling sentenceShuffling,
        @ConfigDefault("0.6") double swapProb,
        @Nullable @ConfigDefault("random_sentence") SentenceSampling sentenceSampling,
        @ConfigDefault("[0.6, 1.0]") List<Double> sentenceCropRange,
        @ConfigDefault("false") boolean duplicateSentences,
        @ConfigDefault("0.2") double duplicationProb) {

    /** Sentence order changes ({@code RandomIndexSwapper}). */
    public enum SentenceShuffling {
        @JsonProperty("random_swaps") RANDOM_SWAPS
    }

    /** Sentence subsets: one random sentence, or a random contiguous crop. */
    public enum SentenceSampling {
        @JsonProperty("random_sentence") RANDOM_SENTENCE,
        @JsonProperty("random_crop") RANDOM_CROP
    }

    public ReportAugmentationConfig {
        // Geometric(1 - p) needs p < 1 to terminate.
        Check.that(swapProb >= 0 && swapProb < 1, "swap_prob", "must be in [0, 1), got " + swapProb);
        sentenceCropRange = Check.range("sentence_crop_range", sentenceCropRange, Double.MIN_VALUE, 1.0);
        Check.that(duplicationProb >= 0 && duplicationProb < 1, "duplication_prob",
                "must be in [0, 1), got " + duplicationProb);
    }
}
