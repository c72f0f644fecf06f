package org.lovt.eval.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.nn.Modules;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * The decoder of LoVT's U-Net segmentation model ({@code UNetSegmentationForResNet} over a
 * {@code ResUNetFeatureExtractor}, spec lovt-data-eval §3.6; after kevinlu1211/pytorch-unet-resnet-50-encoder):
 * everything but the ResNet. A bridge of two {@link ConvBlock}s on {@code conv5}, five up-blocks (2×2 transposed
 * convolution, concatenation with the skip, two ConvBlocks) with the skips {@code conv4}, {@code conv3},
 * {@code conv2}, {@code conv1} and the input image, and the 1×1 {@code segmentation_head} giving one logit map per
 * target at the input size.
 *
 * <p>Parameter names are the original module's minus its ResNet:
 * <pre>
 * resunet.bridge.bridge.{0,1}.{conv,bn}.*
 * resunet.up_blocks.{0..4}.upsample.{weight,bias}
 * resunet.up_blocks.{0..4}.conv_block_{1,2}.{conv,bn}.*
 * segmentation_head.classifier.{weight,bias}            weight (n, 64, 1)
 * </pre>
 * The original names the ResNet {@value #ORIGINAL_BACKBONE_PREFIX}{@code <torchvision name>} (its
 * {@code ResNetFeatureExtractor} keeps torchvision's children in a ModuleDict {@code backbone_layers}), so a
 * state dict of the original {@code UNetSegmentationForResNet} splits by that prefix into this head and a
 * {@link ResNet}; the evaluation LightningModule adds {@value #ORIGINAL_MODEL_PREFIX} in front of every key.
 *
 * <p>Widths: the original takes the skip widths from the ResNet (conv2..conv5 hard-coded to 256..2048, conv1 from
 * the stem) and hard-codes the decoder's ({@code default_up_dims}: bridge 2048, up1..up5 1024, 512, 256, 128, 64).
 * {@link Widths#of(ResNetConfig)} keeps those as ratios of the backbone's {@code conv5} width (bridge = conv5,
 * up_k = conv5 / 2^k), which is the original's numbers for ResNet-50 and scales to narrower test ResNets.
 *
 * <p>Frozen evaluation (§3.2): the backbone runs in eval mode under no-grad and only this head trains; the caller
 * puts the backbone in eval mode (as the original's {@code on_train_batch_start} does), and
 * {@link #forward(ResNet, Tensor, boolean)} computes its features without gradient.
 */
public final class ResUNetHead extends Module {
    /** Prefix of the ResNet's (torchvision) keys inside the original {@code UNetSegmentationForResNet}. */
    public static final String ORIGINAL_BACKBONE_PREFIX = "resunet.backbone.backbone_layers.";
    /** Prefix of the segmentation model inside the original's evaluation checkpoint ({@code SegmentationEvaluator}). */
    public static final String ORIGINAL_MODEL_PREFIX = "segmentation_model.";

    /**
     * Channel widths of the U-Net: the backbone feature maps it reads (the skips) and its own stages.
     *
     * @param input  channels of the input image (3)
     * @param conv1  channels of the stem feature map (stride 2)
     * @param conv2  channels of {@code layer1}'s output (stride 4); likewise conv3..conv5 (strides 8, 16, 32)
     * @param bridge width of the bridge (on conv5)
     * @param up1    width of up-block 1 (stride 16); likewise up2..up5 (strides 8, 4, 2, 1)
     */
    public record Widths(long input, long conv1, long conv2, long conv3, long conv4, long conv5,
                         long bridge, long up1, long up2, long up3, long up4, long up5) {
        public Widths {
            long[] all = {input, conv1, conv2, conv3, conv4, conv5, bridge, up1, up2, up3, up4, up5};
            if (Arrays.stream(all).anyMatch(c -> c < 1)) {
                throw new LovtException("U-Net widths must all be positive, got " + Arrays.toString(all));
            }
        }

        /**
         * The widths for a backbone with these feature-map channels: a 3-channel input, bridge = conv5 and
         * up_k = conv5 / 2^k (k = 1..5), the original's ratios (2048 → 1024, 512, 256, 128, 64 for ResNet-50).
         */
        public static Widths forBackbone(long conv1, long conv2, long conv3, long conv4, long conv5) {
            if (conv5 < 32 || conv5 % 32 != 0) {
                throw new LovtException("U-Net: the decoder widths are conv5 / 2^k (k = 1..5), so conv5 must be a "
                        + "positive multiple of 32, got " + conv5);
            }
            return new Widths(3, conv1, conv2, conv3, conv4, conv5,
                    conv5, conv5 / 2, conv5 / 4, conv5 / 8, conv5 / 16, conv5 / 32);
        }

        /** The widths for a torchvision-style ResNet (ResNet-50: 64, 256, 512, 1024, 2048; bridge 2048 … up5 64). */
        public static Widths of(ResNetConfig backbone) {
            return forBackbone(backbone.stemWidth(), backbone.stageChannels(0), backbone.stageChannels(1),
                    backbone.stageChannels(2), backbone.stageChannels(3));
        }
    }

    private final Widths widths;
    private final int targets;
    private final List<ConvBlock> bridge = new ArrayList<>();
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final SegmentationHead head;
    /** Containers created here, kept reachable (see Modules.container). */
    private final List<Module> containers = new ArrayList<>();

    /** A freshly initialised head (PyTorch's default initialisation everywhere, as the original). */
    public ResUNetHead(Widths widths, int targets) {
        if (targets < 1) {
            throw new LovtException("U-Net: the number of targets must be positive, got " + targets);
        }
        this.widths = widths;
        this.targets = targets;
        Module resunet = Modules.container(this, "resunet", containers);
        Module bridgeModule = Modules.container(resunet, "bridge", containers);
        Module bridgeSequence = Modules.container(bridgeModule, "bridge", containers);
        bridge.add(bridgeSequence.register_module("0", new ConvBlock(widths.conv5(), widths.bridge())));
        bridge.add(bridgeSequence.register_module("1", new ConvBlock(widths.bridge(), widths.bridge())));
        Module ups = Modules.container(resunet, "up_blocks", containers);
        long[] width = {widths.bridge(), widths.up1(), widths.up2(), widths.up3(), widths.up4(), widths.up5()};
        long[] skip = {widths.conv4(), widths.conv3(), widths.conv2(), widths.conv1(), widths.input()};
        String[] skipName = {"conv4", "conv3", "conv2", "conv1", "input"};
        for (int k = 0; k < 5; k++) {
            upBlocks.add(ups.register_module(String.valueOf(k),
                    new UpBlock("up" + (k + 1), width[k], width[k + 1], skipName[k], skip[k])));
        }
        head = register_module("segmentation_head", new SegmentationHead(widths.up5(), targets));
    }

    /** A head for a torchvision-style ResNet backbone ({@link Widths#of}). */
    public ResUNetHead(ResNetConfig backbone, int targets) {
        this(Widths.of(backbone), targets);
    }

    public Widths widths() {
        return widths;
    }

    public int targets() {
        return targets;
    }

    /**
     * Logits for the backbone's feature maps of one batch.
     *
     * @param input the (normalised) image (B, 3, H, W), H and W multiples of 32
     * @param conv1 (B, c1, H/2, W/2); conv2..conv5 at H/4 .. H/32 with the widths this head was built for
     * @return logits (B, n_targets, H, W)
     */
    public Tensor forward(Tensor input, Tensor conv1, Tensor conv2, Tensor conv3, Tensor conv4, Tensor conv5) {
        long[] c5 = Tensors.shape(conv5);
        if (c5.length != 4 || c5[1] != widths.conv5()) {
            throw new LovtException("U-Net bridge: conv5 must be (B, " + widths.conv5() + ", h, w), got shape "
                    + Arrays.toString(c5));
        }
        Tensor x = bridge.get(1).forward(bridge.get(0).forward(conv5));         // (B, bridge, H/32, W/32)
        Tensor[] skips = {conv4, conv3, conv2, conv1, input};
        for (int k = 0; k < 5; k++) {
            x = upBlocks.get(k).forward(x, skips[k]);                           // (B, up_k, H/2^(5-k), ...)
        }
        return head.forward(x);                                                 // (B, n, H, W)
    }

    /**
     * The original's {@code UNetSegmentationForResNet.forward} without the loss: the backbone's feature maps of
     * {@code scan} (without gradient when {@code frozenBackbone}), then this head.
     *
     * @param scan (B, 3, H, W), H and W multiples of 32
     * @return logits (B, n_targets, H, W)
     */
    public Tensor forward(ResNet backbone, Tensor scan, boolean frozenBackbone) {
        Map<String, Tensor> f;
        if (frozenBackbone) {
            try (NoGradGuard g = new NoGradGuard()) {
                f = backbone.features(scan, "conv5");
            }
        } else {
            f = backbone.features(scan, "conv5");
        }
        return forward(scan, f.get("conv1"), f.get("conv2"), f.get("conv3"), f.get("conv4"), f.get("conv5"));
    }
}
