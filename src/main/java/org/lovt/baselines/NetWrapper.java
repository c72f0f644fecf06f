package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.vision.ResNet;

/**
 * byol-pytorch's {@code NetWrapper}: the ResNet ({@code net}) whose {@code avgpool} output is the 2048-d representation,
 * and the projector MLP on it ({@code projector}).
 */
public final class NetWrapper extends Module {
    private final ResNet net;
    private final ProjectionMlp projector;

    NetWrapper(ResNet net, ProjectionMlp projector) {
        this.net = register_module("net", net);
        this.projector = register_module("projector", projector);
    }

    /** The ResNet. */
    public ResNet net() {
        return net;
    }

    /** The avgpool representation (B, C). */
    public Tensor representation(Tensor x) {
        return ResNet.pool(net.features(x, "conv5").get("conv5"));
    }

    /** The projection (B, projection_size). */
    public Tensor forward(Tensor x) {
        return projector.forward(representation(x));
    }
}
