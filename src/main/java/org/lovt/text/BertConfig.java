package org.lovt.text;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.LovtException;

/**
 * The architecture fields of a Hugging Face {@code BertConfig} ({@code config.json}). Other keys of the file
 * ({@code architectures}, {@code model_type}, ...) are Hugging Face bookkeeping and are ignored.
 *
 * @param layerNormEps LayerNorm epsilon; BERT uses 1e-12, not PyTorch's 1e-5
 * @param hiddenAct    only {@code gelu} (exact, erf-based) is supported, as Bio_ClinicalBERT uses
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, String hiddenAct, double hiddenDropoutProb,
                         double attentionProbsDropoutProb, int maxPositionEmbeddings, int typeVocabSize,
                         double initializerRange, double layerNormEps, int padTokenId) {

    public BertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new LovtException("bert hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
        if (!"gelu".equals(hiddenAct)) {
            throw new LovtException("bert hidden_act '" + hiddenAct + "' is not supported (only exact 'gelu')");
        }
        probability("hidden_dropout_prob", hiddenDropoutProb);
        probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (!(layerNormEps > 0)) {
            throw new LovtException("bert layer_norm_eps must be positive, got " + layerNormEps);
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new LovtException("bert pad_token_id " + padTokenId + " is outside the vocabulary");
        }
    }

    private static void positive(String key, int v) {
        if (v < 1) {
            throw new LovtException("bert " + key + " must be positive, got " + v);
        }
    }

    private static void probability(String key, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new LovtException("bert " + key + " must be in [0, 1), got " + p);
        }
    }

    /** Size of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** The same architecture with dropout switched off (for deterministic comparisons). */
    public BertConfig withoutDropout() {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                0.0, 0.0, maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps, padTokenId);
    }

    /** Reads a Hugging Face {@code config.json}; missing architecture keys raise an exception naming file and key. */
    public static BertConfig fromJson(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new LovtException(file + ": no such file");
        } catch (IOException e) {
            throw new LovtException(file + ": not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new LovtException(file + ": not a JSON object");
        }
        String type = n.path("model_type").asText("bert");
        if (!type.equals("bert")) {
            throw new LovtException(file + ": model_type '" + type + "' is not bert");
        }
        try {
            return new BertConfig(intKey(file, n, "vocab_size", null), intKey(file, n, "hidden_size", 768),
                    intKey(file, n, "num_hidden_layers", 12), intKey(file, n, "num_attention_heads", 12),
                    intKey(file, n, "intermediate_size", 3072), n.path("hidden_act").asText("gelu"),
                    doubleKey(file, n, "hidden_dropout_prob", 0.1), doubleKey(file, n, "attention_probs_dropout_prob", 0.1),
                    intKey(file, n, "max_position_embeddings", 512), intKey(file, n, "type_vocab_size", 2),
                    doubleKey(file, n, "initializer_range", 0.02), doubleKey(file, n, "layer_norm_eps", 1e-12),
                    intKey(file, n, "pad_token_id", 0));
        } catch (LovtException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new LovtException(file + ": " + e.getMessage());
        }
    }

    /** Hugging Face defaults apply to absent keys, as {@code BertConfig.from_pretrained} does; vocab_size is required. */
    private static int intKey(Path file, JsonNode n, String key, Integer dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new LovtException(file + ": missing key '" + key + "'");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new LovtException(file + ": key '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double doubleKey(Path file, JsonNode n, String key, double dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new LovtException(file + ": key '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }
}
