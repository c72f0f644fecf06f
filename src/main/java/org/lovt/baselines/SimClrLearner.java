package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * Spijkervet's {@code SimCLR(encoder, projection_dim, n_features)} (spec lovt-data-eval §4.4): the ResNet with its
 * {@code fc} replaced by the identity ({@code encoder}, 2048-d avgpool output) and the projector
 * {@code Linear(n, n, no bias) → ReLU → Linear(n, d, no bias)}; each view in its own forward pass.
 */
public final class SimClrLearner extends Module {
    private final ResNet encoder;
    private final ProjectionMlp projector;

    public SimClrLearner(ResNetConfig resnet, int projectionSize) {
        encoder = register_module("encoder", new ResNet(resnet));
        int features = (resnet.stemWidth() << 3) * ResNetConfig.EXPANSION;
        projector = register_module("projector", ProjectionMlp.simclr(features, projectionSize));
    }

    /** The ResNet (what is exported). */
    public ResNet backbone() {
        return encoder;
    }

    /** The projections {@code z} (B, d) of one view. */
    public Tensor project(Tensor x) {
        return projector.forward(ResNet.pool(encoder.features(x, "conv5").get("conv5")));
    }

    /** NT-Xent of two views' projections. */
    public Tensor loss(Tensor xi, Tensor xj, double temperature) {
        return BaselineLosses.ntXent(project(xi), project(xj), temperature);
    }
}
