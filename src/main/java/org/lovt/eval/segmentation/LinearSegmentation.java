package org.lovt.eval.segmentation;

import java.util.Arrays;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNet;

/**
 * LoVT's linear segmentation head ({@code LinearSegmentation}, spec lovt-data-eval §3.7) without its backbone: a
 * 1×1 convolution with bias from backbone features (B, C, h, w) to one logit map per target, bilinearly upsampled
 * ({@code align_corners=False}) to the input size.
 *
 * <p>As in the original, the 1×1 convolution is a Conv1d with kernel 1 over the flattened pixels, so the state dict
 * is {@code segmentation_head.classifier.weight} (n, C, 1) and {@code segmentation_head.classifier.bias} (n). The
 * original names its backbone {@value #ORIGINAL_BACKBONE_PREFIX}{@code <torchvision name>} (and the evaluation
 * LightningModule prefixes every key with {@code segmentation_model.}).
 */
public final class LinearSegmentation extends Module {
    /** Prefix of the ResNet's (torchvision) keys inside the original {@code LinearSegmentation}. */
    public static final String ORIGINAL_BACKBONE_PREFIX = "backbone.backbone_layers.";

    private final long channels;
    private final long targets;
    private final SegmentationHead head;

    /** A fresh head (PyTorch's default Conv1d initialisation) from {@code channels} to {@code targets} maps. */
    public LinearSegmentation(long channels, long targets) {
        if (channels < 1 || targets < 1) {
            throw new LovtException("linear segmentation: channels and targets must be positive, got " + channels
                    + " and " + targets);
        }
        this.channels = channels;
        this.targets = targets;
        head = register_module("segmentation_head", new SegmentationHead(channels, targets));
    }

    public long channels() {
        return channels;
    }

    public long targets() {
        return targets;
    }

    /** Features (B, C, h, w) → logits (B, n, height, width); no interpolation when the size already matches. */
    public Tensor forward(Tensor features, long height, long width) {
        long[] s = Tensors.shape(features);
        if (s.length != 4 || s[1] != channels) {
            throw new LovtException("linear segmentation: features must be (B, " + channels + ", h, w), got shape "
                    + Arrays.toString(s));
        }
        Tensor logits = head.forward(features);                                      // (B, n, h, w)
        if (s[2] == height && s[3] == width) {
            return logits;
        }
        return torch.upsample_bilinear2d(logits, new long[] {height, width}, false);  // (B, n, H, W)
    }

    /**
     * The original's {@code LinearSegmentation.forward} without the loss: the backbone's feature map {@code layer}
     * ({@code conv5} in every paper task) of {@code scan}, without gradient when {@code frozenBackbone}, then this
     * head, upsampled to the scan's size.
     *
     * @param scan (B, 3, H, W)
     * @return logits (B, n, H, W)
     */
    public Tensor forward(ResNet backbone, String layer, Tensor scan, boolean frozenBackbone) {
        Tensor features;
        if (frozenBackbone) {
            try (NoGradGuard g = new NoGradGuard()) {
                features = backbone.features(scan, layer).get(layer);
            }
        } else {
            features = backbone.features(scan, layer).get(layer);
        }
        return forward(features, scan.size(2), scan.size(3));
    }
}
