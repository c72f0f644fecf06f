package org.lovt.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * LoVT's validation metric {@code LocalRetrievalMetrics} (src/metrics/retrieval_metrics.py): within each sample,
 * the rank of each local element's true partner among all (valid) candidates by cosine similarity — e.g. region i
 * of {@code zl_a} among the attended representations {@code zl_b2a} — giving top-1/top-5 accuracy, the average
 * retrieval index (0 = ranked first), their versions weighted by the local weights, and the average number of
 * local elements. Accumulated over batches as plain Java numbers; per-sample averages, then the mean over samples.
 */
public final class LocalRetrievalMetrics {
    private static final int[] TOP_K = {1, 5};
    private final double[] accSum = new double[TOP_K.length];
    private final double[] weightedAccSum = new double[TOP_K.length];
    private double indexSum;
    private double weightedIndexSum;
    private double samples;
    private double weightedSamples;
    private double totalLocal;

    /** Adds a batch: local (B, N, d), their partners (B, N, d), mask (B, N) bool or null, weights (B, N) or null. */
    public void update(Tensor local, Tensor partners, Tensor mask, Tensor weights) {
        Tensor a = normalize(local);
        Tensor b = normalize(partners);
        Tensor sims = a.bmm(b.transpose(1, 2));                                           // (B, N, N)
        if (mask != null) {
            sims = sims.masked_fill(mask.logical_not().unsqueeze(1), new Scalar(Double.NEGATIVE_INFINITY));
        }
        Tensor truth = sims.diagonal(0, 1, 2);                                            // (B, N)
        Tensor index = sims.gt(truth.unsqueeze(2)).sum(new long[] {2}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional(torch.ScalarType.Float));    // (B, N)
        long bsz = local.size(0);
        Tensor m = mask != null ? mask.to(torch.ScalarType.Float) : torch.ones_like(index);
        Tensor count = m.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());  // (B)
        Tensor maskedIndex = index.mul(m);
        indexSum += maskedIndex.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .div(count).sum().item_double();
        totalLocal += count.sum().item_double();
        for (int k = 0; k < TOP_K.length; k++) {
            Tensor correct = index.lt(new Scalar((double) TOP_K[k])).to(torch.ScalarType.Float).mul(m);
            accSum[k] += correct.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                    .div(count).sum().item_double();
            if (weights != null) {
                weightedAccSum[k] += weights.mul(correct).sum().item_double();
            }
        }
        if (weights != null) {
            weightedIndexSum += weights.mul(maskedIndex).sum().item_double();
            weightedSamples += bsz;
        }
        samples += bsz;
    }

    private static Tensor normalize(Tensor x) {
        return x.div(torch.clamp_min(x.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)),
                new long[] {-1}, true), new Scalar(1e-12)));
    }

    /** The metrics with the given prefix (e.g. {@code a_l2att_}); empty before any update. */
    public Map<String, Double> compute(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (samples == 0) {
            return out;
        }
        out.put(prefix + "avg_retrieval_index", indexSum / samples);
        for (int k = 0; k < TOP_K.length; k++) {
            out.put(prefix + "top_" + TOP_K[k] + "_acc", accSum[k] / samples);
        }
        if (weightedSamples > 0) {
            out.put(prefix + "weighted_avg_retrieval_index", weightedIndexSum / weightedSamples);
            for (int k = 0; k < TOP_K.length; k++) {
                out.put(prefix + "weighted_top_" + TOP_K[k] + "_acc", weightedAccSum[k] / weightedSamples);
            }
        }
        return out;
    }

    /** Average number of valid local elements per sample. */
    public double averageLocalSize() {
        return samples == 0 ? Double.NaN : totalLocal / samples;
    }
}
