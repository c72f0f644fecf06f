package org.lovt.baselines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;
import org.lovt.train.BatchSource;
import org.lovt.train.OnlineEvaluator;
import org.lovt.train.TrainTask;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * One image-only baseline as a {@link TrainTask}: its learner, loss and validation.
 *
 * <ul>
 *   <li>BYOL: the batch's two views with one set of augmentation parameters each (the original's quirk), the symmetric
 *       BYOL loss; the target's moving average is the trainer's job after each optimiser step
 *       ({@link #afterOptimizerStep});</li>
 *   <li>SimCLR: per-sample views, NT-Xent;</li>
 *   <li>CheXpert: BCE-with-logits over the five labels on the loader's transformed scans.</li>
 * </ul>
 * The metrics are {@code total_loss} and {@code loss} (the original logs {@code train/loss}). Validation: the
 * CheXpert baseline reports {@code loss}, {@code acc} and {@code auroc} (macro) on the validation images, as the
 * original; BYOL and SimCLR, which the original trains without validation, report {@code loss} on the validation images
 * with augmentations fixed per batch (the same views every epoch), in eval mode, to watch the run.
 *
 * <p>Randomness: libtorch's generator and the views' parameters are seeded from (seed, batch counter) before every
 * step, so a resumed run repeats an uninterrupted one.
 */
public final class BaselineTask implements TrainTask<ImageBatch> {
    private final BaselineModelConfig config;
    private final Module learner;
    private final BatchSource<ImageBatch> validation;
    private final Device device;
    private final long seed;
    private final SslAugmentation augmentation;

    /**
     * @param config     the baseline
     * @param learner    {@link #learner} of the config
     * @param validation the validation images
     * @param device     where the learner is
     * @param seed       the run seed
     * @param mean       normalisation mean of the self-supervised views
     * @param std        normalisation std
     */
    public BaselineTask(BaselineModelConfig config, Module learner, BatchSource<ImageBatch> validation, Device device,
                        long seed, double mean, double std) {
        this.config = config;
        this.learner = learner;
        this.validation = validation;
        this.device = device;
        this.seed = seed;
        this.augmentation = new SslAugmentation(config.size(), mean, std);
    }

    /** A fresh learner of the config's method. */
    public static Module learner(BaselineModelConfig c, ResNetConfig resnet) {
        return switch (c.method()) {
            case BYOL -> new ByolLearner(resnet, c.projectionSize());
            case SIMCLR -> new SimClrLearner(resnet, c.projectionSize());
            case CHEXPERT -> new SupervisedLearner(resnet);
            case PIXELPRO -> new PixelProLearner(resnet, c.projectionSize(), c.hiddenLayerPixel());
        };
    }

    /** The ResNet a learner exports (online network, encoder or classifier backbone). */
    public static ResNet backbone(Module learner) {
        if (learner instanceof ByolLearner b) {
            return b.backbone();
        }
        if (learner instanceof SimClrLearner s) {
            return s.backbone();
        }
        if (learner instanceof SupervisedLearner s) {
            return s.backbone();
        }
        if (learner instanceof PixelProLearner p) {
            return p.backbone();
        }
        throw new LovtException("not a baseline learner: " + learner.getClass().getName());
    }

    /** The state-dict prefix of the exported ResNet inside the learner. */
    public static String backbonePrefix(BaselineModelConfig.Method m) {
        return switch (m) {
            case BYOL, PIXELPRO -> "online_encoder.net.";
            case SIMCLR -> "encoder.";
            case CHEXPERT -> "model.";
        };
    }

    @Override
    public Module module() {
        return learner;
    }

    @Override
    public int size(ImageBatch batch) {
        return batch.size();
    }

    /**
     * The BYOL library's construction-time forward pass on a random (2, 3, s, s) batch (BatchNorm running statistics
     * move once; see {@link ByolLearner#mockForward}); nothing for the other baselines. Call once on a fresh run.
     */
    public void mockForward() {
        if (learner instanceof PixelProLearner p) {
            Seeds.manualSeed(seed);
            try (Scope s = Scope.open()) {
                int size = config.size();
                Tensor x = torch.randn(2, 3, size, size).to(device, torch.ScalarType.Float);
                Views v = pixelProViews(x, Seeds.javaRandom(seed, "pixelpro-mock-forward"));
                p.mockForward(v.one(), v.two());
            }
        }
        if (learner instanceof ByolLearner b) {
            Seeds.manualSeed(seed);
            try (Scope s = Scope.open()) {
                int size = config.size();
                Tensor x = torch.randn(2, 3, size, size).to(device, torch.ScalarType.Float);
                SplittableRandom rnd = Seeds.javaRandom(seed, "byol-mock-forward");
                b.mockForward(augmentation.applyShared(x, augmentation.sample(size, size, rnd)),
                        augmentation.applyShared(x, augmentation.sample(size, size, rnd)));
            }
        }
    }

    /** Called after each optimiser step: BYOL's target follows the online network (decay 0.99). */
    public void afterOptimizerStep() {
        if (learner instanceof ByolLearner b) {
            b.updateMovingAverage(MomentumUpdate.DEFAULT_DECAY);
        }
        if (learner instanceof PixelProLearner p) {
            p.updateMovingAverage(MomentumUpdate.DEFAULT_DECAY);
        }
    }

    @Override
    public Map<String, Double> trainStep(ImageBatch batch, long microStep, int accumulate) {
        Seeds.manualSeed(seed * 1_000_003L + microStep);
        SplittableRandom rnd = Seeds.javaRandom(seed * 1_000_003L + microStep, "views");
        Map<String, Double> m = new LinkedHashMap<>();
        Tensor loss = loss(batch, rnd, m);
        double value = loss.item_double();
        m.put("total_loss", value);
        m.put("loss", value);
        if (Double.isFinite(value)) {
            loss.div(new Scalar((double) accumulate)).backward();
        }
        return m;
    }

    /** The views of PixelCL: flips (p 0.25 each), two cut-outs resized back (nearest), then T_pp per view. */
    private Views pixelProViews(Tensor x, SplittableRandom rnd) {
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        boolean flipOne = rnd.nextDouble() < PIXELPRO_FLIP;
        boolean flipTwo = rnd.nextDouble() < PIXELPRO_FLIP;
        PixelProLearner.Cutout one = cutout(h, w, rnd);
        PixelProLearner.Cutout two = cutout(h, w, rnd);
        Tensor a = cutoutAndResize(x, one, flipOne);
        Tensor b = cutoutAndResize(x, two, flipTwo);
        a = augmentation.applyShared(a, augmentation.samplePixelPro(h, w, rnd));
        b = augmentation.applyShared(b, augmentation.samplePixelPro(h, w, rnd));
        return new Views(a, b, one, two, flipOne, flipTwo, h, w);
    }

    /** PixelCL's {@code prob_rand_hflip}. */
    static final double PIXELPRO_FLIP = 0.25;

    record Views(Tensor one, Tensor two, PixelProLearner.Cutout cutOne, PixelProLearner.Cutout cutTwo,
                 boolean flipOne, boolean flipTwo, int height, int width) {}

    /**
     * The library's {@code cutout_coordinates} with {@code cutout_ratio_range (0.6, 0.8)}: one ratio r for both sides,
     * {@code floor(r · side)} long, at {@code floor((side − length) · u)}.
     */
    static PixelProLearner.Cutout cutout(int h, int w, SplittableRandom rnd) {
        double ratio = 0.6 + rnd.nextDouble() * 0.2;
        int cw = (int) Math.floor(ratio * w);
        int ch = (int) Math.floor(ratio * h);
        int x = (int) Math.floor((w - cw) * rnd.nextDouble());
        int y = (int) Math.floor((h - ch) * rnd.nextDouble());
        return new PixelProLearner.Cutout(y, y + ch, x, x + cw);
    }

    private static Tensor cutoutAndResize(Tensor x, PixelProLearner.Cutout c, boolean flip) {
        Tensor cut = x.narrow(2, c.y0(), c.y1() - c.y0()).narrow(3, c.x0(), c.x1() - c.x0());
        Tensor r = torch.upsample_nearest2d(cut, new long[] {x.size(2), x.size(3)});
        return flip ? r.flip(3) : r;
    }

    private Tensor loss(ImageBatch batch, SplittableRandom rnd, Map<String, Double> metrics) {
        return switch (config.method()) {
            case PIXELPRO -> {
                Views v = pixelProViews(raw(batch), rnd);
                PixelProLearner.Loss l = ((PixelProLearner) learner).loss(v.one(), v.two(), v.cutOne(), v.cutTwo(),
                        v.flipOne(), v.flipTwo(), v.height(), v.width());
                if (metrics != null) {
                    metrics.put("instance_loss", l.instance().item_double());
                    metrics.put("pixel_loss", l.pixel() == null ? 0.0 : l.pixel().item_double());
                    metrics.put("positive_pixel_pairs", (double) l.positivePairs());
                }
                yield l.total();
            }
            case BYOL -> {
                Tensor x = raw(batch);
                int h = (int) x.size(2);
                int w = (int) x.size(3);
                SslAugmentation.Params one = augmentation.sample(h, w, rnd);
                SslAugmentation.Params two = augmentation.sample(h, w, rnd);
                yield ((ByolLearner) learner).loss(augmentation.applyShared(x, one), augmentation.applyShared(x, two));
            }
            case SIMCLR -> {
                Tensor x = raw(batch);
                int n = (int) x.size(0);
                List<SslAugmentation.Params> i = new ArrayList<>(n);
                List<SslAugmentation.Params> j = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {                     // per sample: view i, then view j
                    i.add(augmentation.sample((int) x.size(2), (int) x.size(3), rnd));
                    j.add(augmentation.sample((int) x.size(2), (int) x.size(3), rnd));
                }
                yield ((SimClrLearner) learner).loss(augmentation.applyPerSample(x, i),
                        augmentation.applyPerSample(x, j), config.temperature());
            }
            case CHEXPERT -> torch.binary_cross_entropy_with_logits(((SupervisedLearner) learner).forward(scans(batch)),
                    labels(batch));
        };
    }

    /** The uint8 (B, 1, S, S) images as floats in [0, 1], expanded to 3 channels (ToTensor, expand(3, -1, -1)). */
    private Tensor raw(ImageBatch batch) {
        Tensor x = Tensors.fromHost(batch.images()).to(device, torch.ScalarType.Float).div(new Scalar(255.0));
        if (x.dim() != 4 || x.size(1) != 1) {
            throw new LovtException("self-supervised baselines expect (B, 1, S, S) images, got "
                    + java.util.Arrays.toString(Tensors.shape(x)));
        }
        return x.expand(new long[] {x.size(0), 3, x.size(2), x.size(3)});
    }

    private Tensor scans(ImageBatch batch) {
        return Tensors.fromHost(batch.images()).to(device, torch.ScalarType.Float);
    }

    private Tensor labels(ImageBatch batch) {
        return Tensors.fromHost(batch.labels()).to(device, torch.ScalarType.Float);
    }

    @Override
    public Map<String, Double> validate() {
        learner.eval();
        double sum = 0;
        long count = 0;
        List<float[]> scores = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            var it = validation.epoch(0, 0);
            try {
                for (int index = 0; it.hasNext(); index++) {
                    ImageBatch batch = it.next();
                    try (Scope s = Scope.open()) {
                        if (config.method() == BaselineModelConfig.Method.CHEXPERT) {
                            Tensor logits = ((SupervisedLearner) learner).forward(scans(batch));
                            Tensor y = labels(batch);
                            sum += torch.binary_cross_entropy_with_logits(logits, y).item_double() * batch.size();
                            float[] p = Tensors.toFloats(logits.sigmoid().cpu());
                            float[] t = Tensors.toFloats(y.cpu());
                            int k = SupervisedLearner.LABELS;
                            for (int i = 0; i < batch.size(); i++) {
                                scores.add(java.util.Arrays.copyOfRange(p, i * k, i * k + k));
                                labels.add(java.util.Arrays.copyOfRange(t, i * k, i * k + k));
                            }
                        } else if (config.method() == BaselineModelConfig.Method.SIMCLR && batch.size() < 2) {
                            continue;                             // NT-Xent needs negatives: a last single image
                        } else {
                            SplittableRandom rnd = Seeds.javaRandom(seed * 1_000_003L + index, "validation-views");
                            sum += loss(batch, rnd, null).item_double() * batch.size();
                        }
                        count += batch.size();
                    }
                }
            } finally {
                BatchSource.stop(it);
            }
        } finally {
            learner.train(true);
        }
        if (count == 0) {
            throw new LovtException("the validation split gives no batch to score ("
                    + (config.method() == BaselineModelConfig.Method.SIMCLR ? "SimCLR needs at least 2 images per batch"
                    : "it is empty") + ")");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", sum / count);
        if (config.method() == BaselineModelConfig.Method.CHEXPERT) {
            long correct = 0;
            for (int i = 0; i < scores.size(); i++) {
                for (int k = 0; k < SupervisedLearner.LABELS; k++) {
                    correct += (scores.get(i)[k] > 0.5f) == (labels.get(i)[k] > 0.5f) ? 1 : 0;
                }
            }
            m.put("acc", correct / (double) (SupervisedLearner.LABELS * scores.size()));
            m.put("auroc", OnlineEvaluator.macroAuroc(scores, labels));
        }
        return m;
    }
}
