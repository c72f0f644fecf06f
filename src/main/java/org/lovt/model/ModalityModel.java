package org.lovt.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.nn.Mlp;
import org.lovt.nn.SequenceMlp;

/**
 * One modality of LoVT ({@code model_a} = scan, {@code model_b} = report): its encoder and the local
 * ({@code project_local}, per element) and global ({@code project_global}) projection heads (spec §3.1).
 */
public final class ModalityModel extends Module {
    private final Module encoder;
    private final SequenceMlp projectLocal;
    private final Mlp projectGlobal;

    /** Projected embeddings: zl (B, N, d_z) and zg (B, d_zg). */
    public record Projected(Tensor zl, Tensor zg) {}

    public ModalityModel(Module encoder, long dL, long dG, long dHidden, long dZ, long dZg, boolean batchNorm) {
        this.encoder = register_module("encoder", encoder);
        projectLocal = register_module("project_local", new SequenceMlp(dL, dHidden, dZ, batchNorm));
        projectGlobal = register_module("project_global", new Mlp(dG, dHidden, dZg, batchNorm));
    }

    public Module encoder() {
        return encoder;
    }

    /** Both heads, always evaluated (as the original, even for global-only configs). */
    public Projected project(EncoderOutput e) {
        return new Projected(projectLocal.forward(e.local()), projectGlobal.forward(e.global()));
    }
}
