package org.lovt.model;

import org.lovt.text.ReportAugmentationConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

import java.util.Set;

/**
 * The report (modality b) encoder: {@code ReportEncoderConfig} of the original
 * ({@code src/models/text/report_encoder.py}; spec lovt-model.md §2). Shipped as
 * {@code report_encoder/bioclinicalbert_sentatt} (LoVT) and {@code report_encoder/bioclinicalbert_sentences}
 * (ConVIRT, CLIP).
 *
 * @param encoderCls                 encoder class marker of the original, always {@code ReportEncoderModel}
 * @param modality                   always {@code report}
 * @param languageEncoder            Hugging Face model id ({@code emilyalsentzer/Bio_ClinicalBERT}); the weights come
 *                                   from the user config's {@code models.pretrained.bio_clinicalbert}
 * @param maxLength                  max tokens per report including [CLS] and [SEP]
 * @param freezeEmbeddings           no gradient for the embedding layer
 * @param freezeEncoderLayers        no gradient for the first n transformer layers
 * @param globalAggregator           pooling into the global report feature
 * @param globalFromLocal            pool the sentence features (true) or the token features (false)
 * @param localWeightsFromAggregator return the aggregator's attention as local-loss weights
 * @param localFrom                  local features are tokens or sentences
 * @param sentenceEncodingMode       encode all sentences of a report jointly or each on its own
 * @param sentenceAggregator         pooling of tokens into a sentence feature
 * @param projectLanguageEmbeddings  project BERT outputs to {@code d}
 * @param d                          that projection's size; null = BERT hidden size (768)
 * @param dataAugmentation           training-time sentence augmentation
 */
public record ReportEncoderConfig(
        @JsonProperty("_encoder_cls_") @ConfigDefault("ReportEncoderModel") String encoderCls,
        @ConfigDefault("report") String modality,

        String languageEncoder,
        int maxLength,
        @ConfigDefault("true") boolean freezeEmbeddings,
        @ConfigDefault("0") int freezeEncoderLayers,

        @ConfigDefault("max") Aggregator globalAggregator,
        @ConfigDefault("false") boolean globalFromLocal,
        @ConfigDefault("false") boolean localWeightsFromAggregator,

        @ConfigDefault("tokens") LocalFrom localFrom,
        @ConfigDefault("joint") SentenceEncodingMode sentenceEncodingMode,
        @ConfigDefault("max") Aggregator sentenceAggregator,

        @ConfigDefault("false") boolean projectLanguageEmbeddings,
        @Nullable @ConfigDefault("null") Integer d,

        @ConfigDefault("{}") ReportAugmentationConfig dataAugmentation) {

    /** Local features of a report. */
    public enum LocalFrom {
        @JsonProperty("tokens") TOKENS,
        @JsonProperty("sentences") SENTENCES
    }

    /** How sentences go through BERT. */
    public enum SentenceEncodingMode {
        /** All sentences of a report concatenated into one sequence, split back afterwards. */
        @JsonProperty("joint") JOINT,
        /** Each sentence its own sequence. */
        @JsonProperty("independent") INDEPENDENT
    }

    public ReportEncoderConfig {
        Check.oneOf("_encoder_cls_", encoderCls, Set.of("ReportEncoderModel"));
        Check.oneOf("modality", modality, Set.of("report"));
        Check.notNull("language_encoder", languageEncoder);
        // Room for [CLS] and [SEP] plus at least one token; BERT has 512 positions.
        Check.that(maxLength >= 3 && maxLength <= 512, "max_length", "must be in [3, 512], got " + maxLength);
        Check.nonNegative("freeze_encoder_layers", freezeEncoderLayers);
        Check.notNull("global_aggregator", globalAggregator);
        Check.notNull("local_from", localFrom);
        Check.notNull("sentence_encoding_mode", sentenceEncodingMode);
        Check.notNull("sentence_aggregator", sentenceAggregator);
        if (d != null) {
            Check.positive("d", d);
        }
        if (localWeightsFromAggregator) {
            Check.that(globalAggregator == Aggregator.AVGPOOL_ATTENTION, "local_weights_from_aggregator",
                    "needs global_aggregator: avgpool_attention");
            // Weights over sentences only make sense when the aggregator pools the sentence features.
            Check.that(globalFromLocal, "local_weights_from_aggregator", "needs global_from_local: true");
        }
        Check.notNull("data_augmentation", dataAugmentation);
    }
}
