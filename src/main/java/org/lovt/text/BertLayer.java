package org.lovt.text;

import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One post-LayerNorm BERT encoder layer with Hugging Face's module tree, so parameter names are
 * {@code attention.self.{query,key,value}}, {@code attention.output.{dense,LayerNorm}}, {@code intermediate.dense},
 * {@code output.{dense,LayerNorm}}.
 */
public final class BertLayer extends Module {
    private final BertConfig config;
    private final LinearImpl query;
    private final LinearImpl key;
    private final LinearImpl value;
    private final LinearImpl attentionDense;
    private final LayerNormImpl attentionNorm;
    private final LinearImpl intermediateDense;
    private final LinearImpl outputDense;
    private final LayerNormImpl outputNorm;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    BertLayer(BertConfig config) {
        this.config = config;
        int h = config.hiddenSize();
        Module attention = org.lovt.nn.Modules.container(this, "attention", containers);
        Module self = org.lovt.nn.Modules.container(attention, "self", containers);
        query = self.register_module("query", linear(h, h));
        key = self.register_module("key", linear(h, h));
        value = self.register_module("value", linear(h, h));
        Module attentionOutput = org.lovt.nn.Modules.container(attention, "output", containers);
        attentionDense = attentionOutput.register_module("dense", linear(h, h));
        attentionNorm = attentionOutput.register_module("LayerNorm", layerNorm(config));
        Module intermediate = org.lovt.nn.Modules.container(this, "intermediate", containers);
        intermediateDense = intermediate.register_module("dense", linear(h, config.intermediateSize()));
        Module output = org.lovt.nn.Modules.container(this, "output", containers);
        outputDense = output.register_module("dense", linear(config.intermediateSize(), h));
        outputNorm = output.register_module("LayerNorm", layerNorm(config));
    }

    static LinearImpl linear(long in, long out) {
        return new LinearImpl(new LinearOptions(in, out));
    }

    /** LayerNorm over the hidden size with BERT's epsilon (1e-12). */
    static LayerNormImpl layerNorm(BertConfig config) {
        LayerNormOptions o = new LayerNormOptions(new LongVector(new long[] {config.hiddenSize()}));
        o.eps().put(config.layerNormEps());
        return new LayerNormImpl(o);
    }

    /**
     * (B, T, H) hidden states and the additive key mask (B, 1, 1, T) (0 for tokens, a large negative number for
     * padding) → (B, T, H).
     */
    public Tensor forward(Tensor hidden, Tensor additiveMask) {
        long b = hidden.size(0);
        long t = hidden.size(1);
        int heads = config.numAttentionHeads();
        int d = config.headDim();
        Tensor q = heads(query.forward(hidden), b, t, heads, d);                 // (B, heads, T, d)
        Tensor k = heads(key.forward(hidden), b, t, heads, d);                   // (B, heads, T, d)
        Tensor v = heads(value.forward(hidden), b, t, heads, d);                 // (B, heads, T, d)
        Tensor scores = q.matmul(k.transpose(-1, -2)).div(new org.bytedeco.pytorch.Scalar(Math.sqrt(d)))
                .add(additiveMask);                                              // (B, heads, T, T)
        Tensor probs = torch.dropout(scores.softmax(-1), config.attentionProbsDropoutProb(), is_training());
        Tensor context = probs.matmul(v).transpose(1, 2).reshape(b, t, (long) heads * d);   // (B, T, H)
        Tensor attended = attentionNorm.forward(dropout(attentionDense.forward(context)).add(hidden));
        Tensor inner = torch.gelu(intermediateDense.forward(attended));          // (B, T, I), exact erf GELU
        return outputNorm.forward(dropout(outputDense.forward(inner)).add(attended));   // (B, T, H)
    }

    private Tensor dropout(Tensor x) {
        return torch.dropout(x, config.hiddenDropoutProb(), is_training());
    }

    private static Tensor heads(Tensor x, long b, long t, int heads, int d) {
        return x.view(b, t, heads, d).transpose(1, 2);
    }
}
