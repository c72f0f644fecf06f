package org.lovt.text;

import org.bytedeco.pytorch.EmbeddingImpl;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Hugging Face {@code BertEmbeddings}: word + absolute position + token type, then LayerNorm and dropout. */
public final class BertEmbeddings extends Module {
    private final BertConfig config;
    final EmbeddingImpl wordEmbeddings;
    final EmbeddingImpl positionEmbeddings;
    final EmbeddingImpl tokenTypeEmbeddings;
    final LayerNormImpl layerNorm;

    BertEmbeddings(BertConfig config) {
        this.config = config;
        wordEmbeddings = register_module("word_embeddings",
                new EmbeddingImpl(config.vocabSize(), config.hiddenSize()));
        positionEmbeddings = register_module("position_embeddings",
                new EmbeddingImpl(config.maxPositionEmbeddings(), config.hiddenSize()));
        tokenTypeEmbeddings = register_module("token_type_embeddings",
                new EmbeddingImpl(config.typeVocabSize(), config.hiddenSize()));
        layerNorm = register_module("LayerNorm", BertLayer.layerNorm(config));
    }

    /** (B, T) int64 ids and token types → (B, T, H); positions are 0..T−1. */
    public Tensor forward(Tensor inputIds, Tensor tokenTypeIds) {
        long t = inputIds.size(1);
        Tensor positions = torch.arange(new org.bytedeco.pytorch.Scalar(t)).unsqueeze(0);  // (1, T) int64
        Tensor e = wordEmbeddings.forward(inputIds)                                        // (B, T, H)
                .add(tokenTypeEmbeddings.forward(tokenTypeIds))
                .add(positionEmbeddings.forward(positions));
        return torch.dropout(layerNorm.forward(e), config.hiddenDropoutProb(), is_training());
    }
}
