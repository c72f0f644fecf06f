package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * BYOL as byol-pytorch (≈0.5.7) builds it for the baseline (spec lovt-data-eval §4.3): {@code online_encoder} (the
 * ResNet and the projector {@code MLP(2048 → 4096 → 128)}), {@code online_predictor} ({@code MLP(128 → 4096 → 128)}) and
 * {@code target_encoder}, a copy of the online encoder that receives no gradient and follows it by a moving average
 * of the parameters ({@link MomentumUpdate}, decay 0.99, once per optimiser step).
 *
 * <p>The loss of a batch's two views is the batch mean of {@code ℓ(p1, z2') + ℓ(p2, z1')} ({@link BaselineLosses#byol});
 * each view goes through the online and the target encoder in its own forward pass (BatchNorm statistics per view),
 * the target's under no-grad and in train mode, as the library does.
 */
public final class ByolLearner extends Module {
    /** byol-pytorch's {@code projection_hidden_size} as the baseline sets it. */
    public static final int HIDDEN = 4096;

    private final NetWrapper online;
    private final ProjectionMlp predictor;
    private final NetWrapper target;

    /**
     * @param resnet         the backbone's architecture (no fc)
     * @param projectionSize 128 in the shipped configs
     */
    public ByolLearner(ResNetConfig resnet, int projectionSize) {
        online = register_module("online_encoder", wrapper(resnet, projectionSize));
        predictor = register_module("online_predictor", ProjectionMlp.byol(projectionSize, HIDDEN, projectionSize));
        target = register_module("target_encoder", wrapper(resnet, projectionSize));
        copyTarget();
    }

    private static NetWrapper wrapper(ResNetConfig resnet, int projectionSize) {
        ResNet net = new ResNet(resnet);
        int features = (resnet.stemWidth() << 3) * ResNetConfig.EXPANSION;
        return new NetWrapper(net, ProjectionMlp.byol(features, HIDDEN, projectionSize));
    }

    /** The online ResNet (what is exported). */
    public ResNet backbone() {
        return online.net();
    }

    /**
     * Makes the target a copy of the online encoder, parameters and buffers (the library's {@code deepcopy}); its
     * parameters stop requiring gradients.
     */
    public void copyTarget() {
        MomentumUpdate.copy(target, online);
    }

    /** {@code target = β target + (1 − β) online} over the parameters. */
    public void updateMovingAverage(double beta) {
        MomentumUpdate.update(target, online, beta);
    }

    /** The loss of two augmented views (B, 3, s, s) of the same batch. */
    public Tensor loss(Tensor one, Tensor two) {
        Tensor onlineOne = online.forward(one);
        Tensor onlineTwo = online.forward(two);
        Tensor predOne = predictor.forward(onlineOne);
        Tensor predTwo = predictor.forward(onlineTwo);
        Tensor targetOne;
        Tensor targetTwo;
        try (NoGradGuard g = new NoGradGuard()) {
            targetOne = target.forward(one).detach();
            targetTwo = target.forward(two).detach();
        }
        return BaselineLosses.byol(predOne, predTwo, targetOne, targetTwo);
    }

    /**
     * The library's construction-time "mock" forward on a random batch (it creates the target encoder): the online
     * encoder sees both views, the target is copied from it then, and sees both views too, so BatchNorm's running
     * statistics of both move once before training; no parameter changes.
     */
    public void mockForward(Tensor one, Tensor two) {
        try (NoGradGuard g = new NoGradGuard()) {
            predictor.forward(online.forward(one));
            predictor.forward(online.forward(two));
            copyTarget();
            target.forward(one);
            target.forward(two);
        }
    }
}
