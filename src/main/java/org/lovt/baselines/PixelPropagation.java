package org.lovt.baselines;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.nn.Layers;

/**
 * PixPro's pixel propagation module (pixel-level-contrastive-learning {@code PPM}, {@code num_layers=1}, {@code gamma=2}):
 * {@code out[b, c, i] = Σ_j relu(cos(x[b, :, i], x[b, :, j]))^γ · t[b, c, j]} with {@code t = transform_net(x)}, a 1×1
 * convolution with bias; over every pair of pixels of the map.
 */
public final class PixelPropagation extends Module {
    private final Conv2dImpl transform;
    private final double gamma;

    public PixelPropagation(long channels, double gamma) {
        transform = register_module("transform_net", Layers.conv2d(channels, channels, 1, 1, 0, true));
        this.gamma = gamma;
    }

    /** (B, C, H, W) → (B, C, H, W). */
    public Tensor forward(Tensor x) {
        long b = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        Tensor flat = x.reshape(b, c, h * w);                                    // (B, C, N)
        Tensor sim = torch.relu(cosine(flat, flat)).pow(new Scalar(gamma));     // (B, N_i, N_j)
        Tensor t = transform.forward(x).reshape(b, c, h * w);                    // (B, C, N_j)
        return t.bmm(sim.transpose(1, 2)).reshape(b, c, h, w);                   // Σ_j t[c, j] sim[i, j]
    }

    /**
     * {@code F.cosine_similarity(a[..., :, None], b[..., None, :], dim=1)} of two (B, C, N) maps: (B, N_a, N_b), each
     * norm clamped at 1e-8 as torch does.
     */
    static Tensor cosine(Tensor a, Tensor b) {
        Tensor an = a.div(torch.clamp_min(a.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)),
                new long[] {1}, true), new Scalar(1e-8)));
        Tensor bn = b.div(torch.clamp_min(b.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)),
                new long[] {1}, true), new Scalar(1e-8)));
        return an.transpose(1, 2).bmm(bn);
    }
}
