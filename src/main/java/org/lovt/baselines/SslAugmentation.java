package org.lovt.baselines;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.data.image.AugmentationParams;
import org.lovt.data.image.ScanTransform;
import org.lovt.data.image.TorchGaussianBlur;
import org.lovt.torch.Tensors;

/**
 * The self-supervised baselines' augmentation "T" ({@code prepare_transform(mode='SimCLR')}, spec lovt-data-eval §4.3)
 * on float tensors in [0, 1], as torchvision's tensor transforms compute it:
 * <ol>
 *   <li>RandomResizedCrop(size, scale (0.08, 1), ratio (3/4, 4/3)), bilinear without antialias;</li>
 *   <li>RandomApply([ColorJitter(brightness 0.8, contrast 0.8)], p 0.8): factors U(0.2, 1.8), the two in random
 *       order; brightness {@code clamp(f x, 0, 1)}, contrast {@code clamp(f x + (1 - f) m, 0, 1)} with {@code m} the
 *       image's mean grey value ({@code 0.2989 r + 0.587 g + 0.114 b});</li>
 *   <li>RandomHorizontalFlip(0.5);</li>
 *   <li>RandomApply([GaussianBlur(k, σ U(0.1, 2.0))], p 0.5), {@code k = int(0.1 size)} made odd, reflect padding;</li>
 *   <li>Normalize(mean, std) (0.5, 0.5: the original's normalisation quirk).</li>
 * </ol>
 * BYOL applies it to the whole batch with one set of parameters per view ({@link #applyShared}, the original's
 * quirk); SimCLR draws parameters for every sample ({@link #applyPerSample}). Parameters come from Java random
 * streams, so runs are reproducible, but the draws are not the original's torch generator's.
 */
public final class SslAugmentation {
    static final double MIN_SCALE = 0.08;
    static final double JITTER_P = 0.8;
    static final double JITTER = 0.8;
    static final double FLIP_P = 0.5;
    static final double BLUR_P = 0.5;
    static final double MIN_SIGMA = 0.1;
    static final double MAX_SIGMA = 2.0;

    private final int size;
    private final int kernel;
    private final double mean;
    private final double std;

    /**
     * @param size output side
     * @param mean normalisation mean
     * @param std  normalisation standard deviation
     */
    public SslAugmentation(int size, double mean, double std) {
        if (size < 1 || !(std > 0)) {
            throw new LovtException("augmentation: size must be positive and std > 0, got " + size + ", " + std);
        }
        this.size = size;
        int k = (int) (0.1 * size);
        this.kernel = k % 2 == 0 ? k + 1 : k;
        this.mean = mean;
        this.std = std;
    }

    /**
     * One view's random parameters.
     *
     * @param crop            the crop of the input (top, left, height, width)
     * @param jitter          whether the colour jitter applies
     * @param brightnessFirst the jitter's order
     * @param brightness      brightness factor
     * @param contrast        contrast factor
     * @param flip            horizontal flip
     * @param sigma           blur sigma; 0 = no blur
     */
    public record Params(AugmentationParams.Crop crop, boolean jitter, boolean brightnessFirst, double brightness,
                         double contrast, boolean flip, double sigma) {}

    /** Output side. */
    public int size() {
        return size;
    }

    /** The blur kernel size, {@code int(0.1 size)} made odd. */
    public int kernelSize() {
        return kernel;
    }

    /** Draws a view's parameters for an input of {@code height x width}, in the order of the transform's steps. */
    public Params sample(int height, int width, SplittableRandom rnd) {
        AugmentationParams.Crop crop = ScanTransform.sampleCrop(width, height, MIN_SCALE, 1.0, rnd);
        Params jitter = jitter(crop, rnd);
        boolean flip = rnd.nextDouble() < FLIP_P;
        return new Params(crop, jitter.jitter(), jitter.brightnessFirst(), jitter.brightness(), jitter.contrast(), flip,
                blurSigma(rnd));
    }

    /** RandomApply(ColorJitter(0.8, 0.8), p 0.8): whether, the order and the two factors. */
    private static Params jitter(AugmentationParams.Crop crop, SplittableRandom rnd) {
        if (!(rnd.nextDouble() < JITTER_P)) {
            return new Params(crop, false, false, 1, 1, false, 0);
        }
        boolean first = rnd.nextBoolean();
        double b = uniform(rnd, 1 - JITTER, 1 + JITTER);
        double c = uniform(rnd, 1 - JITTER, 1 + JITTER);
        return new Params(crop, true, first, b, c, false, 0);
    }

    /** RandomApply(GaussianBlur(σ U(0.1, 2.0)), p 0.5): σ, or 0 for no blur. */
    private static double blurSigma(SplittableRandom rnd) {
        return rnd.nextDouble() < BLUR_P ? uniform(rnd, MIN_SIGMA, MAX_SIGMA) : 0;
    }

    /**
     * PixelPro's {@code T_pp} as parameters of this transform: Resize to the output size (the whole input, never
     * flipped), then the colour jitter (p 0.8) and the blur (p 0.5) as in T, drawn in that order.
     */
    public Params samplePixelPro(int height, int width, SplittableRandom rnd) {
        Params jitter = jitter(new AugmentationParams.Crop(0, 0, height, width), rnd);
        return new Params(jitter.crop(), jitter.jitter(), jitter.brightnessFirst(), jitter.brightness(),
                jitter.contrast(), false, blurSigma(rnd));
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    /** A (B, 3, H, W) batch in [0, 1], augmented with the same parameters for every sample. */
    public Tensor applyShared(Tensor x, Params p) {
        check(x);
        return apply(x, p);
    }

    /** A (B, 3, H, W) batch in [0, 1], sample {@code i} augmented with {@code params.get(i)}. */
    public Tensor applyPerSample(Tensor x, List<Params> params) {
        check(x);
        if (params.size() != x.size(0)) {
            throw new LovtException("augmentation: " + params.size() + " parameter sets for a batch of " + x.size(0));
        }
        TensorVector out = new TensorVector();
        for (int i = 0; i < params.size(); i++) {
            out.push_back(apply(x.narrow(0, i, 1), params.get(i)));
        }
        return torch.cat(new TensorArrayRef(out), 0);
    }

    private static void check(Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new LovtException("augmentation: expected a (B, 3, H, W) batch, got "
                    + java.util.Arrays.toString(Tensors.shape(x)));
        }
    }

    private Tensor apply(Tensor x, Params p) {
        AugmentationParams.Crop c = p.crop();
        Tensor h = x.narrow(2, c.top(), c.height()).narrow(3, c.left(), c.width());
        h = torch.upsample_bilinear2d(h, new long[] {size, size}, false);
        if (p.jitter()) {
            h = p.brightnessFirst() ? contrast(brightness(h, p.brightness()), p.contrast())
                    : brightness(contrast(h, p.contrast()), p.brightness());
        }
        if (p.flip()) {
            h = h.flip(3);
        }
        if (p.sigma() > 0) {
            h = blur(h, kernel, p.sigma());
        }
        return h.sub(new Scalar(mean)).div(new Scalar(std));
    }

    /** torchvision's {@code adjust_brightness} on floats: {@code clamp(f x, 0, 1)}. */
    static Tensor brightness(Tensor x, double f) {
        return x.mul(new Scalar(f)).clamp(new org.bytedeco.pytorch.ScalarOptional(new Scalar(0.0)),
                new org.bytedeco.pytorch.ScalarOptional(new Scalar(1.0)));
    }

    /** torchvision's {@code adjust_contrast} on floats: blend with the per-image mean grey value, clamped. */
    static Tensor contrast(Tensor x, double f) {
        Tensor grey = x.narrow(1, 0, 1).mul(new Scalar(0.2989)).add(x.narrow(1, 1, 1).mul(new Scalar(0.587)))
                .add(x.narrow(1, 2, 1).mul(new Scalar(0.114)));
        Tensor m = grey.mean(new long[] {1, 2, 3}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        return x.mul(new Scalar(f)).add(m.mul(new Scalar(1 - f))).clamp(new org.bytedeco.pytorch.ScalarOptional(new Scalar(0.0)),
                new org.bytedeco.pytorch.ScalarOptional(new Scalar(1.0)));
    }

    /** torchvision's tensor {@code gaussian_blur}: the 2-D float32 kernel, reflect padding, depthwise conv2d. */
    static Tensor blur(Tensor x, int k, double sigma) {
        if (k / 2 >= x.size(2) || k / 2 >= x.size(3)) {
            throw new LovtException("augmentation: blur kernel " + k + " too large for " + x.size(2) + "x"
                    + x.size(3));
        }
        float[] k1 = TorchGaussianBlur.kernel1d(k, sigma);
        float[] k2 = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                k2[i * k + j] = k1[i] * k1[j];
            }
        }
        long ch = x.size(1);
        Tensor w = Tensors.floats(k2, 1, 1, k, k).to(x.device(), x.scalar_type()).expand(new long[] {ch, 1, k, k})
                .contiguous();
        int r = k / 2;
        Tensor padded = torch.reflection_pad2d(x, new long[] {r, r, r, r});
        return torch.conv2d(padded, w, new org.bytedeco.pytorch.TensorOptional(), new long[] {1, 1},
                new long[] {0, 0}, new long[] {1, 1}, ch);
    }

    /** Draws {@code n} parameter sets (one per sample). */
    public List<Params> sample(int n, int height, int width, SplittableRandom rnd) {
        List<Params> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(height, width, rnd));
        }
        return out;
    }
}
