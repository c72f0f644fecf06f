package org.lovt.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.eval.segmentation.Dice;
import org.lovt.eval.segmentation.LinearSegmentation;
import org.lovt.eval.segmentation.SegmentationMetrics;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;

/**
 * A frozen-features linear segmentation probe: LoVT's {@link LinearSegmentation} head (1×1 convolution, bilinear
 * upsampling) trained with the {@link Dice#loss} on fixed backbone features, scored with the dataset-level Dice of
 * {@link SegmentationMetrics}. How much of a segmentation the features carry linearly, without fine-tuning the
 * backbone.
 *
 * <p>The head and its optimizer are native objects: create, train and use a probe inside one {@link Scope} (the
 * caller's), as its tensors are. Training re-seeds libtorch's default generator with {@link Options#seed()}, so the
 * head's initialisation, and with it the result, depends only on the data and the options.
 */
public final class LinearProbe {
    /**
     * How the head is trained.
     *
     * @param epochs       passes over the training features
     * @param batchSize    samples per Adam step, in order (no shuffling)
     * @param learningRate Adam's learning rate
     * @param seed         libtorch seed set before the head is initialised
     */
    public record Options(int epochs, int batchSize, double learningRate, long seed) {
        /** The demo's probe: 30 epochs of Adam at 1e-2 in batches of 32, seed 7. */
        public static final Options DEFAULT = new Options(30, 32, 1e-2, 7);

        public Options {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs and batch size must be positive and the learning rate "
                        + "> 0, got " + epochs + ", " + batchSize + ", " + learningRate);
            }
        }
    }

    private final LinearSegmentation head;
    private final long channels;
    private final long targets;
    private final long height;
    private final long width;

    private LinearProbe(LinearSegmentation head, long channels, long targets, long height, long width) {
        this.head = head;
        this.channels = channels;
        this.targets = targets;
        this.height = height;
        this.width = width;
    }

    /**
     * Trains a head on frozen features.
     *
     * @param features (N, C, h, w) features, no gradient needed
     * @param masks    (N, T, H, W) binary targets (0/1); the head predicts T maps at H × W
     */
    public static LinearProbe fit(Tensor features, Tensor masks, Options o) {
        long[] f = shape(features, "features");
        long[] y = shape(masks, "masks");
        if (f[0] != y[0]) {
            throw new LovtException("linear probe: " + f[0] + " feature maps but " + y[0] + " masks");
        }
        if (f[0] < 1) {
            throw new LovtException("linear probe: no training sample");
        }
        Seeds.manualSeed(o.seed());
        LinearProbe probe = new LinearProbe(new LinearSegmentation(f[1], y[1]), f[1], y[1], y[2], y[3]);
        if (!features.device().is_cpu()) {
            probe.head.to(features.device(), false);
        }
        Adam opt = new Adam(probe.head.parameters(true), new AdamOptions(o.learningRate()));
        long n = f[0];
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (long from = 0; from < n; from += o.batchSize()) {
                try (Scope step = Scope.open()) {
                    long len = Math.min(o.batchSize(), n - from);
                    Tensor loss = Dice.loss(probe.head.forward(features.narrow(0, from, len), probe.height,
                            probe.width), masks.narrow(0, from, len));
                    opt.zero_grad();
                    loss.backward();
                    opt.step();
                }
            }
        }
        return probe;
    }

    /** (N, C, h, w) features → (N, T, H, W) logits, without gradient. */
    public Tensor logits(Tensor features) {
        long[] f = shape(features, "features");
        if (f[1] != channels) {
            throw new LovtException("linear probe: trained on " + channels + " feature channels, got " + f[1]);
        }
        try (NoGradGuard g = new NoGradGuard()) {
            return head.forward(features, height, width);
        }
    }

    /**
     * The dataset-level Dice (2TP / (2TP + FP + FN), σ(logit) ≥ 0.5) of the head's masks against {@code masks}; with
     * several targets the unweighted mean of the per-target values ({@code avg_dice}).
     */
    public double dice(Tensor features, Tensor masks) {
        long[] y = shape(masks, "masks");
        long[] f = shape(features, "features");
        if (f[0] != y[0] || y[1] != targets || y[2] != height || y[3] != width) {
            throw new LovtException("linear probe: masks " + Arrays.toString(y) + " for " + f[0] + " samples do not "
                    + "fit the head's output (N, " + targets + ", " + height + ", " + width + ")");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            names.add("target" + i);
        }
        SegmentationMetrics metrics = new SegmentationMetrics(names);
        metrics.update(logits(features), masks);
        return metrics.compute().get("avg_dice");
    }

    private static long[] shape(Tensor t, String what) {
        long[] s = org.lovt.torch.Tensors.shape(t);
        if (s.length != 4) {
            throw new LovtException("linear probe: " + what + " must be 4-D (N, C, H, W), got shape "
                    + Arrays.toString(s));
        }
        return s;
    }
}
