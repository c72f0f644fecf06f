package org.lovt.api;

import java.util.List;

/**
 * A report's representations. Sentences that did not fit in the language model's token budget (the original's
 * packing keeps whole sentences in order while they fit) are not embedded and not listed.
 *
 * @param sentences          the embedded sentences, in report order
 * @param global             the report encoder's global feature {@code y_g}
 * @param sentenceFeatures   per sentence the feature {@code y_l} (max-pooled token features), (N, d_l)
 * @param projectedGlobal    {@code z_g}, the global embedding in the space shared with scans
 * @param projectedSentences {@code z_l}, (N, d_z) sentence embeddings in the shared space
 */
public record ReportEmbedding(List<String> sentences, float[] global, float[][] sentenceFeatures,
                              float[] projectedGlobal, float[][] projectedSentences) {
    public ReportEmbedding {
        sentences = List.copyOf(sentences);
        if (sentenceFeatures.length != sentences.size() || projectedSentences.length != sentences.size()) {
            throw new IllegalArgumentException(sentences.size() + " sentences but " + sentenceFeatures.length
                    + " features and " + projectedSentences.length + " embeddings");
        }
    }
}
