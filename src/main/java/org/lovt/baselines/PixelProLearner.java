package org.lovt.baselines;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * PixelPro as pixel-level-contrastive-learning 0.1.1's {@code PixelCL} builds it for the baseline (spec lovt-data-eval
 * §4.5): {@code online_encoder} (the ResNet, a pixel projector {@link ConvMlp}(C → 2048 → 512) and an instance projector
 * {@code MLP(C → 2048 → 512)}), {@code online_predictor} ({@code MLP(512 → 2048 → 512)}), {@code propagate_pixels}
 * ({@link PixelPropagation}) and {@code target_encoder} (a moving-average copy of the online encoder, no gradient).
 *
 * <p>Loss of two views cut out of the same batch: the BYOL instance loss, plus, when some pixel pair of the two views
 * lies closer than 0.7 (distance of the pixels' positions in the original image, normalised by its diagonal and scaled
 * by the feature map's size), the PixPro loss {@code −mean cos(PPM(online pixel), target pixel)} over those pairs,
 * symmetrised ({@code alpha} 1).
 *
 * <p><b>[QUIRK]</b> The baseline hooks the "pixel" features at {@code avgpool}, so the pixel map is 1×1: propagation is a
 * second BYOL-like head and the one pixel pair is positive whenever the two crops' centres are close. Reproduced by
 * default ({@code hidden_layer_pixel: avgpool}); {@code hidden_layer_pixel: layer4} uses the 7×7 map of layer4, the
 * PixPro the paper describes.
 */
public final class PixelProLearner extends Module {
    /** {@code projection_hidden_size} as the baseline sets it. */
    public static final int HIDDEN = 2048;
    /** The library's {@code distance_thres}. */
    public static final double DISTANCE_THRESHOLD = 0.7;
    /** The library's {@code ppm_gamma}. */
    public static final double GAMMA = 2;
    /** The library's {@code alpha}. */
    public static final double ALPHA = 1;
    /** The pixel map layers: the original's {@code avgpool} and the correction {@code layer4}. */
    public static final java.util.List<String> PIXEL_LAYERS = java.util.List.of("avgpool", "layer4");

    private final Wrapper online;
    private final ProjectionMlp predictor;
    private final PixelPropagation propagate;
    private final Wrapper target;
    private final boolean avgpool;

    /** The two projections of a view. */
    record Projections(Tensor pixel, Tensor instance) {}

    /** The online or target encoder: {@code net}, {@code pixel_projector}, {@code instance_projector}. */
    static final class Wrapper extends Module {
        final ResNet net;
        final ConvMlp pixel;
        final ProjectionMlp instance;
        final boolean avgpool;

        Wrapper(ResNetConfig resnet, int projectionSize, boolean avgpool) {
            net = register_module("net", new ResNet(resnet));
            int features = (resnet.stemWidth() << 3) * ResNetConfig.EXPANSION;
            pixel = register_module("pixel_projector", new ConvMlp(features, HIDDEN, projectionSize));
            instance = register_module("instance_projector", ProjectionMlp.byol(features, HIDDEN, projectionSize));
            this.avgpool = avgpool;
        }

        Projections forward(Tensor x) {
            Tensor conv5 = net.features(x, "conv5").get("conv5");
            Tensor pooled = torch.adaptive_avg_pool2d(conv5, 1, 1);            // (B, C, 1, 1)
            Tensor pixelMap = avgpool ? pooled : conv5;
            return new Projections(pixel.forward(pixelMap), instance.forward(pooled.flatten(1, -1)));
        }
    }

    /**
     * A cut-out region of the input: rows {@code [y0, y1)}, columns {@code [x0, x1)} (the library's
     * {@code cutout_coordinates}).
     */
    public record Cutout(int y0, int y1, int x0, int x1) {
        public Cutout {
            if (y0 < 0 || x0 < 0 || y1 <= y0 || x1 <= x0) {
                throw new LovtException("invalid cutout rows [" + y0 + ", " + y1 + "), columns [" + x0 + ", " + x1
                        + ")");
            }
        }
    }

    /** The loss of a step and how many positive pixel pairs it had. */
    public record Loss(Tensor total, Tensor instance, Tensor pixel, long positivePairs) {}

    /**
     * @param resnet         the backbone's architecture (no fc)
     * @param projectionSize 512 in the shipped configs
     * @param pixelLayer     {@code avgpool} (the original) or {@code layer4}
     */
    public PixelProLearner(ResNetConfig resnet, int projectionSize, String pixelLayer) {
        if (!PIXEL_LAYERS.contains(pixelLayer)) {
            throw new LovtException("hidden_layer_pixel must be one of " + PIXEL_LAYERS + ", got '" + pixelLayer + "'");
        }
        avgpool = pixelLayer.equals("avgpool");
        online = register_module("online_encoder", new Wrapper(resnet, projectionSize, avgpool));
        predictor = register_module("online_predictor", ProjectionMlp.byol(projectionSize, HIDDEN, projectionSize));
        propagate = register_module("propagate_pixels", new PixelPropagation(projectionSize, GAMMA));
        target = register_module("target_encoder", new Wrapper(resnet, projectionSize, avgpool));
        copyTarget();
    }

    /** The online ResNet (what is exported). */
    public ResNet backbone() {
        return online.net;
    }

    /** Makes the target a copy of the online encoder (parameters and buffers), without gradients. */
    public void copyTarget() {
        MomentumUpdate.copy(target, online);
    }

    /** {@code target = β target + (1 − β) online} over the parameters. */
    public void updateMovingAverage(double beta) {
        MomentumUpdate.update(target, online, beta);
    }

    /**
     * The loss of two augmented views of one batch, cut out of an {@code imageH x imageW} input at {@code one} and
     * {@code two} and flipped as given.
     */
    public Loss loss(Tensor viewOne, Tensor viewTwo, Cutout one, Cutout two, boolean flipOne, boolean flipTwo,
                     int imageH, int imageW) {
        Projections p1 = online.forward(viewOne);
        Projections p2 = online.forward(viewTwo);
        long ph = p1.pixel().size(2);
        long pw = p1.pixel().size(3);
        Tensor positive = positivePairs(one, two, flipOne, flipTwo, imageH, imageW, ph, pw,
                viewOne.device());                                                // (N, N) bool
        Projections t1;
        Projections t2;
        try (NoGradGuard g = new NoGradGuard()) {
            t1 = target.forward(viewOne);
            t2 = target.forward(viewTwo);
        }
        long pairs = positive.sum().item_long();
        Tensor instance = BaselineLosses.byol(predictor.forward(p1.instance()), predictor.forward(p2.instance()),
                t1.instance().detach(), t2.instance().detach());
        if (pairs == 0) {
            return new Loss(instance, instance, null, 0);
        }
        Tensor pixel = pixproLoss(flatten(propagate.forward(p1.pixel())), flatten(propagate.forward(p2.pixel())),
                flatten(t1.pixel()).detach(), flatten(t2.pixel()).detach(), positive);
        return new Loss(pixel.mul(new Scalar(ALPHA)).add(instance), instance, pixel, pairs);
    }

    /**
     * The PixPro loss of propagated online pixels {@code prop1, prop2} and target pixels {@code t1, t2} (each (B, C, N)):
     * {@code −mean cos(prop1[:, i], t2[:, j])} over the batch and the positive pairs (i, j), the same from view two to
     * view one with the mask transposed, averaged.
     */
    public static Tensor pixproLoss(Tensor prop1, Tensor prop2, Tensor t1, Tensor t2, Tensor positive) {
        Tensor l12 = PixelPropagation.cosine(prop1, t2).masked_select(positive.unsqueeze(0)).mean().neg();
        Tensor l21 = PixelPropagation.cosine(prop2, t1).masked_select(positive.t().unsqueeze(0)).mean().neg();
        return l12.add(l21).div(new Scalar(2.0));
    }

    private static Tensor flatten(Tensor map) {
        return map.flatten(2, -1);                                               // (B, C, H·W)
    }

    /**
     * The library's positive pixel pairs: each view's pixel positions (the image's (row, column) grid divided by its
     * diagonal and scaled by the projection map's height and width, cut out and bilinearly resized to the map, flipped
     * with the view), and {@code ‖a − b + 1e-6‖ < 0.7} between every pixel of view one and of view two.
     */
    static Tensor positivePairs(Cutout one, Cutout two, boolean flipOne, boolean flipTwo, int h, int w, long ph,
                                long pw, org.bytedeco.pytorch.Device device) {
        float diagonal = (float) Math.sqrt((double) h * h + (double) w * w);
        float[] grid = new float[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                grid[y * w + x] = (float) y / diagonal * ph;
                grid[h * w + y * w + x] = (float) x / diagonal * pw;
            }
        }
        Tensor coords = Tensors.floats(grid, 1, 2, h, w).to(device, torch.ScalarType.Float);
        Tensor a = projected(coords, one, flipOne, ph, pw);
        Tensor b = projected(coords, two, flipTwo, ph, pw);
        long n = a.size(0);
        Tensor diff = a.unsqueeze(1).expand(new long[] {n, n, 2}).sub(b.unsqueeze(0).expand(new long[] {n, n, 2}))
                .add(new Scalar(1e-6));
        Tensor distance = diff.pow(new Scalar(2.0)).sum(new long[] {2}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .sqrt();
        return distance.lt(new Scalar(DISTANCE_THRESHOLD));
    }

    private static Tensor projected(Tensor coords, Cutout c, boolean flip, long ph, long pw) {
        Tensor cut = coords.narrow(2, c.y0(), c.y1() - c.y0()).narrow(3, c.x0(), c.x1() - c.x0());
        Tensor r = torch.upsample_bilinear2d(cut, new long[] {ph, pw}, false);   // (1, 2, ph, pw)
        if (flip) {
            r = r.flip(3);
        }
        return r.permute(0, 2, 3, 1).reshape(-1, 2);                             // (ph·pw, 2)
    }

    /**
     * The library's construction-time forward on a random batch: online passes of both views, the target copied then
     * and passed both views, the predictor on both (BatchNorm running statistics move; no parameter changes).
     */
    public void mockForward(Tensor one, Tensor two) {
        try (NoGradGuard g = new NoGradGuard()) {
            Projections p1 = online.forward(one);
            Projections p2 = online.forward(two);
            copyTarget();
            target.forward(one);
            target.forward(two);
            predictor.forward(p1.instance());
            predictor.forward(p2.instance());
        }
    }
}
