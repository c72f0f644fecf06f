package org.lovt.model.objectives;

import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.torch.TorchScript;

/**
 * LoVT's global InfoNCE loss between scan and report embeddings (spec §4.1), negatives only from the other
 * modality, fixed temperature (0.1 in every shipped config).
 */
public final class GlobalNceLoss {
    private final double temperature;

    /** Losses {@code global_a2b}, {@code global_b2a} and the top-1/top-5 retrieval accuracies of both directions. */
    public record Result(Tensor a2b, Tensor b2a, Tensor a2bTop1, Tensor a2bTop5, Tensor b2aTop1, Tensor b2aTop5) {}

    public GlobalNceLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new LovtException("global contrastive similarity_temperature must be > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    /** zg_a, zg_b (B, d) → losses and accuracies. */
    public Result compute(Tensor zgA, Tensor zgB) {
        Tensor[] r = TorchScript.lovt("global_nce", zgA, zgB, temperature);
        return new Result(r[0], r[1], r[2], r[3], r[4], r[5]);
    }
}
