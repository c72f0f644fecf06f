package org.lovt.model.objectives;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;
import org.lovt.torch.TorchScript;

/**
 * LoVT's local intra-sample contrastive loss (spec §4.2-4.4): within each sample, each local element is contrasted
 * with the attended representations of all valid elements of the same sample (and vice versa), with soft positive
 * targets from a spatial neighbourhood (scans) or the identity (reports).
 */
public final class LocalIntraSampleContrastiveLoss {
    private final double temperature;
    private final double distanceThreshold;
    private final boolean relativeThreshold;
    private final boolean smoothWeights;
    private final double smoothLambda;
    private final boolean crossSampleNegatives;

    /** Losses of both directions: {@code l2att} (anchor local element) and {@code att2l} (anchor attended one). */
    public record Result(Tensor l2att, Tensor att2l) {}

    /**
     * @param distanceThreshold positives lie within this distance (0.5 relative for scans, 0 absolute for reports)
     * @param relativeThreshold distances in units of the grid diagonal (true) or of elements (false)
     * @param smoothWeights     positive weight exp(−λ·d) (true) or 1 (false)
     */
    public LocalIntraSampleContrastiveLoss(double temperature, double distanceThreshold, boolean relativeThreshold,
                                           boolean smoothWeights, double smoothLambda) {
        this(temperature, distanceThreshold, relativeThreshold, smoothWeights, smoothLambda, false);
    }

    /**
     * As above; with {@code crossSampleNegatives} the local elements of the other samples of the batch are negatives
     * too ({@code cross_sample_negatives} of the original, whose code for it raises an AttributeError on
     * {@code bg_as_negative}; this is its computation with that flag off). No shipped experiment uses it.
     */
    public LocalIntraSampleContrastiveLoss(double temperature, double distanceThreshold, boolean relativeThreshold,
                                           boolean smoothWeights, double smoothLambda, boolean crossSampleNegatives) {
        if (!(temperature > 0)) {
            throw new LovtException("local contrastive similarity_temperature must be > 0, got " + temperature);
        }
        if (!(distanceThreshold >= 0)) {
            throw new LovtException("local contrastive distance_threshold must be >= 0, got " + distanceThreshold);
        }
        this.temperature = temperature;
        this.distanceThreshold = distanceThreshold;
        this.relativeThreshold = relativeThreshold;
        this.smoothWeights = smoothWeights;
        this.smoothLambda = smoothLambda;
        this.crossSampleNegatives = crossSampleNegatives;
    }

    /**
     * Raw positive weights (N×N) for a local structure: a 2-D grid {@code {H, W}} or a 1-D sequence {@code {N}}.
     * Element coordinates are row-major grid positions (or indices); with a relative threshold they are divided
     * by the diagonal {@code sqrt(H² + W²)} (or N).
     */
    public float[] positiveWeights(int... structure) {
        int n = Arrays.stream(structure).reduce(1, (a, b) -> a * b);
        double diag = Math.sqrt(Arrays.stream(structure).mapToDouble(s -> (double) s * s).sum());
        double scale = relativeThreshold ? diag : 1.0;
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            int[] ci = coords(i, structure);
            for (int j = 0; j < n; j++) {
                int[] cj = coords(j, structure);
                double sq = 0;
                for (int k = 0; k < ci.length; k++) {
                    double dk = (ci[k] - cj[k]) / scale;
                    sq += dk * dk;
                }
                double d = Math.sqrt(sq);
                if (d <= distanceThreshold) {
                    w[i * n + j] = smoothWeights ? (float) Math.exp(-smoothLambda * d) : 1f;
                }
            }
        }
        return w;
    }

    private static int[] coords(int index, int[] structure) {
        int[] c = new int[structure.length];
        for (int k = structure.length - 1; k >= 0; k--) {
            c[k] = index % structure[k];
            index /= structure[k];
        }
        return c;
    }

    /**
     * zl, zl_att (B, N, d); mask (B, N) bool or null; weights (B, N) or null (uniform); structure as in
     * {@link #positiveWeights}.
     */
    public Result compute(Tensor zl, Tensor zlAtt, Tensor mask, Tensor weights, int... structure) {
        int n = Arrays.stream(structure).reduce(1, (a, b) -> a * b);
        if (zl.size(1) != n) {
            throw new LovtException("local features have " + zl.size(1) + " elements but the structure "
                    + Arrays.toString(structure) + " has " + n);
        }
        Tensor pos = Tensors.floats(positiveWeights(structure), n, n).to(zl.device(), zl.scalar_type());
        Tensor[] r = TorchScript.lovt("local_intra_contrastive", zl, zlAtt, mask, weights, pos, temperature,
                crossSampleNegatives);
        return new Result(r[0], r[1]);
    }
}
