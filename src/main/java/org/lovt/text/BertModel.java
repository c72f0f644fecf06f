package org.lovt.text;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * Hugging Face {@code BertModel} (no pre-training heads): embeddings, post-LN encoder layers, pooler.
 * Parameter names are Hugging Face's ({@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.3.attention.self.query.weight}, {@code pooler.dense.weight}).
 */
public final class BertModel extends Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private final LinearImpl pooler;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    /** Outputs of one forward pass. */
    public record Output(Tensor lastHiddenState, Tensor poolerOutput, List<Tensor> hiddenStates) {}

    public BertModel(BertConfig config) {
        this.config = config;
        embeddings = register_module("embeddings", new BertEmbeddings(config));
        Module encoder = org.lovt.nn.Modules.container(this, "encoder", containers);
        // Layers registered by index with register_module, which keeps them alive (ModuleListImpl.push_back does
        // not own Java-created modules).
        Module list = org.lovt.nn.Modules.container(encoder, "layer", containers);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(list.register_module(String.valueOf(i), new BertLayer(config)));
        }
        Module poolerModule = org.lovt.nn.Modules.container(this, "pooler", containers);
        pooler = poolerModule.register_module("dense", BertLayer.linear(config.hiddenSize(), config.hiddenSize()));
        initWeights();
    }

    public BertConfig config() {
        return config;
    }

    /**
     * Hugging Face's {@code _init_weights}: Linear and Embedding weights ~ N(0, initializer_range), biases 0, the
     * padding row of the word embeddings 0, LayerNorm weight 1 and bias 0.
     */
    private void initWeights() {
        try (NoGradGuard g = new NoGradGuard()) {
            var params = named_parameters(true);
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                Tensor p = params.get(i).value();
                if (name.contains("LayerNorm")) {
                    continue;                                  // libtorch default: weight 1, bias 0
                }
                if (name.endsWith(".bias")) {
                    p.zero_();
                } else {
                    torch.normal_(p, 0.0, config.initializerRange());
                }
            }
            embeddings.wordEmbeddings.weight().get(config.padTokenId()).zero_();
        }
    }

    /** Freezes the embeddings and/or the first {@code numLayers} encoder layers (requires_grad = false). */
    public void freeze(boolean freezeEmbeddings, int numLayers) {
        if (numLayers < 0 || numLayers > layers.size()) {
            throw new LovtException("cannot freeze " + numLayers + " of " + layers.size() + " BERT layers");
        }
        if (freezeEmbeddings) {
            setRequiresGrad(embeddings, false);
        }
        for (int i = 0; i < numLayers; i++) {
            setRequiresGrad(layers.get(i), false);
        }
    }

    private static void setRequiresGrad(Module m, boolean on) {
        var params = m.parameters(true);
        for (long i = 0; i < params.size(); i++) {
            params.get(i).requires_grad_(on);
        }
    }

    /** Runs BERT on (B, T) int64 ids and a (B, T) 0/1 attention mask, token types 0 (as LoVT calls it). */
    public Output forward(Tensor inputIds, Tensor attentionMask) {
        return forward(inputIds, attentionMask, torch.zeros_like(inputIds));
    }

    /** Runs BERT; all three inputs are (B, T) integer tensors. */
    public Output forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds) {
        if (inputIds.dim() != 2 || inputIds.size(1) > config.maxPositionEmbeddings()) {
            throw new LovtException("BERT input_ids must be (B, T) with T <= " + config.maxPositionEmbeddings()
                    + ", got " + java.util.Arrays.toString(Tensors.shape(inputIds)));
        }
        // Additive mask (B, 1, 1, T): 0 where attended, the dtype's minimum at padding (as current transformers).
        Tensor additive = torch.ones_like(attentionMask).sub(attentionMask).to(torch.ScalarType.Float)
                .mul(new org.bytedeco.pytorch.Scalar(-Float.MAX_VALUE)).unsqueeze(1).unsqueeze(1);
        List<Tensor> hidden = new ArrayList<>();
        Tensor h = embeddings.forward(inputIds, tokenTypeIds);                  // (B, T, H)
        hidden.add(h);
        for (BertLayer layer : layers) {
            h = layer.forward(h, additive);                                     // (B, T, H)
            hidden.add(h);
        }
        Tensor pooled = pooler.forward(h.select(1, 0)).tanh();                  // (B, H) from [CLS]
        return new Output(h, pooled, hidden);
    }

    /** Number of parameters (elements). */
    public long parameterCount() {
        return org.lovt.nn.Modules.parameterCount(this, false);
    }
}
