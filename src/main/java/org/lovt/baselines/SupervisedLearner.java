package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * The supervised CheXpert baseline's model (spec lovt-data-eval §4.2): the ResNet ({@code model}) with its {@code fc}
 * replaced by {@code Linear(2048, 5, bias)}, trained with BCE-with-logits over the five U-ones labels.
 */
public final class SupervisedLearner extends Module {
    /** The five CheXpert labels. */
    public static final int LABELS = 5;

    private final ResNet model;

    public SupervisedLearner(ResNetConfig resnet) {
        model = register_module("model", new ResNet(new ResNetConfig(resnet.layers(), resnet.stemWidth(), LABELS)));
    }

    /** The ResNet with its 5-label fc (the export drops fc). */
    public ResNet backbone() {
        return model;
    }

    /** Logits (B, 5). */
    public Tensor forward(Tensor x) {
        return model.forward(x);
    }
}
