package org.lovt.nn;

import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.torch.TorchScript;

/**
 * LoVT's symmetric {@code CrossAttention} (spec §3.2): shared key/value/output projections for both directions,
 * scaled dot-product similarity of the keys, output BatchNorm ({@code attention_norm: batch}) applied to each
 * direction (so its running statistics are updated twice per step, as in the original).
 */
public final class CrossAttention extends Module {
    private final LinearImpl key;
    private final LinearImpl value;
    private final LinearImpl output;
    private final BatchNorm1dImpl norm;
    private final double temperature;

    /** zl_b2a (B, Na, d): reports attended by each region; zl_a2b (B, Nb, d); probabilities of both directions. */
    public record Output(Tensor b2a, Tensor a2b, Tensor probsB2a, Tensor probsA2b) {}

    public CrossAttention(long d, boolean batchNorm, double temperature) {
        key = register_module("key_projection", new LinearImpl(new LinearOptions(d, d)));
        value = register_module("value_projection", new LinearImpl(new LinearOptions(d, d)));
        output = register_module("output_projection", new LinearImpl(new LinearOptions(d, d)));
        norm = batchNorm ? register_module("norm", SequenceMlp.batchNorm1d(d)) : null;
        this.temperature = temperature;
        for (LinearImpl l : new LinearImpl[] {key, value, output}) {
            Init.kaimingNormalFanOut(l.weight(), false);
            Init.zero(l.bias());
        }
    }

    /** Both directions: zl_a (B, Na, d), zl_b (B, Nb, d), mask_b (B, Nb) bool or null. */
    public Output forward(Tensor zlA, Tensor zlB, Tensor maskB) {
        return forward(zlA, zlB, maskB, true, true);
    }

    /**
     * Only the requested directions go through the output norm (and update its running statistics): the original
     * computes b2a only for a scan-local objective and a2b only for a report-local one. Others are null.
     */
    public Output forward(Tensor zlA, Tensor zlB, Tensor maskB, boolean b2a, boolean a2b) {
        Tensor[] r = TorchScript.lovt("cross_attention", zlA, zlB, maskB, key.weight(), key.bias(), value.weight(),
                value.bias(), output.weight(), output.bias(), temperature);
        return new Output(b2a ? normed(r[0]) : null, a2b ? normed(r[1]) : null, r[2], r[3]);
    }

    /**
     * The GLoRIA-style cross-sample local losses ({@code local_xs_a2b}, {@code local_xs_b2a}) with this module's
     * projections: every sentence of every report attends over the regions of every image of the batch (see
     * {@link org.lovt.model.objectives.CrossSampleLocalLossConfig}). zl_a (B, Na, d), zl_b (B, Nb, d), mask_b (B, Nb)
     * bool. The output norm is not applied (the cosine follows the output projection directly).
     */
    public Tensor[] crossSampleLosses(Tensor zlA, Tensor zlB, Tensor maskB, double aggregationScale,
                                      double similarityTemperature) {
        return TorchScript.lovt("cross_sample_local", zlA, zlB, maskB, key.weight(), key.bias(), value.weight(),
                value.bias(), output.weight(), output.bias(), temperature, aggregationScale, similarityTemperature);
    }

    private Tensor normed(Tensor x) {                                          // (B, N, d), BN over B·N
        return norm == null ? x : norm.forward(x.transpose(1, 2)).transpose(1, 2);
    }
}
