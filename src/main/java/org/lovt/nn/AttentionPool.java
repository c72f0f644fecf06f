package org.lovt.nn;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.TorchScript;

/**
 * LoVT's {@code GlobalAvgAttentionAggregator} (spec §1.3, §2.5): multi-head attention whose single query is the
 * mean of the local features. Parameters are those of PyTorch's {@code nn.MultiheadAttention}, registered under
 * {@code attention.{in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias}} so original checkpoints load.
 *
 * <p>The returned weights are the attention probabilities averaged over heads (PyTorch 1.10's default), which
 * LoVT uses as local weights. With a mask, the query divides the zero-filled sum by the number of slots N, not by
 * each row's valid count — the original's quirk, reproduced.
 */
public final class AttentionPool extends Module {
    private final int numHeads;
    private final Tensor inProjWeight;
    private final Tensor inProjBias;
    private final LinearImpl outProj;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    /** Result: pooled features (B, d) and head-averaged weights (B, N). */
    public record Output(Tensor pooled, Tensor weights) {}

    public AttentionPool(long d, int numHeads) {
        if (d % numHeads != 0) {
            throw new LovtException("attention pool: d " + d + " is not a multiple of num_heads " + numHeads);
        }
        this.numHeads = numHeads;
        Module attention = Modules.container(this, "attention", containers);
        // Keep our own handles: register_parameter returns a reference into the module's parameter vector, which
        // dangles once the next registration grows that vector (a crash seen in testing).
        inProjWeight = torch.empty(3 * d, d);
        inProjBias = torch.zeros(3 * d);
        attention.register_parameter("in_proj_weight", inProjWeight);
        attention.register_parameter("in_proj_bias", inProjBias);
        outProj = attention.register_module("out_proj", new LinearImpl(new LinearOptions(d, d)));
        // nn.MultiheadAttention._reset_parameters: xavier-uniform in_proj, zero biases; out_proj weight keeps
        // Linear's default kaiming-uniform.
        try (NoGradGuard g = new NoGradGuard()) {
            torch.xavier_uniform_(inProjWeight);
            outProj.bias().zero_();
        }
    }

    /** x (B, N, d), mask (B, N) bool (true = valid) or null. */
    public Output forward(Tensor x, Tensor mask) {
        Tensor[] r = TorchScript.lovt("attention_pool", x, mask, inProjWeight, inProjBias, outProj.weight(),
                outProj.bias(), numHeads);
        return new Output(r[0], r[1]);                                          // (B, d), (B, N)
    }
}
