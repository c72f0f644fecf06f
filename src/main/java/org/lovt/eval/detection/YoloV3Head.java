package org.lovt.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.nn.Modules;
import org.lovt.torch.Tensors;

/**
 * LoVT's YOLOv3 head on ResNet features ({@code YOLOv3WithResNetBackbone} minus its backbone, spec lovt-data-eval
 * §3.5, after BobLiu20/YOLOv3_PyTorch).
 *
 * <pre>
 * scale 0 (stride 32): out0, br0 = embedding0(conv5)                                   Embedding([512, 1024])
 * scale 1 (stride 16): out1, br1 = embedding1(cat(up2(embedding1_cbl(br0)), conv4))    Embedding([256, 512])
 * scale 2 (stride 8):  out2      = embedding2(cat(up2(embedding2_cbl(br1)), conv3))    Embedding([128, 256])
 * </pre>
 *
 * with {@code embedding1_cbl} = CBL(512, 256, 1), {@code embedding2_cbl} = CBL(256, 128, 1), nearest ×2
 * upsampling, and {@code out_c = anchors × (5 + classes)} output channels per scale (18 for one class).
 *
 * <p>Parameter and buffer names are the original module's state_dict keys minus the backbone:
 * {@code embedding0.0.conv.weight}, {@code embedding0.0.bn.running_mean}, …, {@code embedding0.conv_out.bias},
 * {@code embedding1_cbl.conv.weight}, …, and the loss modules' anchor buffers {@code losses.0.anchors} (float32,
 * (3, 2), input pixels). In the original the backbone sits beside them as {@code backbone.backbone_layers.<torchvision
 * name>} ({@link #BACKBONE_PREFIX}), and the evaluation LightningModule prefixes everything with
 * {@code detection_model.}. All parameters here are what the original's {@code non_backbone_params()} returns, the
 * ones a frozen-backbone task optimises. Initialisation is PyTorch's default (the original sets none): convs
 * kaiming-uniform(a=√5) with a uniform bias, BatchNorm weight 1 and bias 0.
 */
public final class YoloV3Head extends Module {
    /**
     * The prefix of the backbone's keys in the original {@code YOLOv3WithResNetBackbone} state_dict: the
     * {@code ResNetFeatureExtractor}'s ModuleDict of torchvision children, e.g.
     * {@code backbone.backbone_layers.layer1.0.conv1.weight} (no {@code fc}, no {@code avgpool}).
     */
    public static final String BACKBONE_PREFIX = "backbone.backbone_layers.";

    /** The original's filter widths {f0, f1} per scale and the widths of the two links. */
    private static final long[][] FILTERS = {{512, 1024}, {256, 512}, {128, 256}};
    private static final long[] LINKS = {256, 128};

    private final long[] inChannels;
    private final int numClasses;
    private final YoloAnchors anchors;
    private final int widthDivisor;
    private final Embedding embedding0;
    private final Cbl embedding1Cbl;
    private final Embedding embedding1;
    private final Cbl embedding2Cbl;
    private final Embedding embedding2;
    /** Containers created here, kept reachable (see Modules.container). */
    private final List<Module> containers = new ArrayList<>();

    /** The full-size head with LoVT's 224-frame anchors ({@link YoloAnchors#LOVT_224}). */
    public YoloV3Head(long conv3Channels, long conv4Channels, long conv5Channels, int numClasses) {
        this(conv3Channels, conv4Channels, conv5Channels, numClasses, YoloAnchors.LOVT_224, 1);
    }

    /**
     * @param conv3Channels channels of the stride-8 backbone map (512 for ResNet-50)
     * @param conv4Channels channels of the stride-16 map (1024)
     * @param conv5Channels channels of the stride-32 map (2048)
     * @param numClasses    number of classes (1 for RSNA and Object-CXR)
     * @param anchors       anchor boxes per scale, in input pixels
     * @param widthDivisor  divides every internal filter width (1 = the original's); must divide 128, so that the
     *                      narrowest link keeps at least one channel. Small heads for tests.
     */
    public YoloV3Head(long conv3Channels, long conv4Channels, long conv5Channels, int numClasses,
                      YoloAnchors anchors, int widthDivisor) {
        if (conv3Channels < 1 || conv4Channels < 1 || conv5Channels < 1) {
            throw new LovtException("yolo head: backbone channels must be positive, got conv3/conv4/conv5 = "
                    + conv3Channels + "/" + conv4Channels + "/" + conv5Channels);
        }
        if (numClasses < 1) {
            throw new LovtException("yolo head: num_classes must be >= 1, got " + numClasses);
        }
        if (anchors == null) {
            throw new LovtException("yolo head: anchors are required");
        }
        if (widthDivisor < 1 || LINKS[1] % widthDivisor != 0) {
            throw new LovtException("yolo head: width divisor must be a positive divisor of " + LINKS[1] + ", got "
                    + widthDivisor);
        }
        this.inChannels = new long[] {conv3Channels, conv4Channels, conv5Channels};
        this.numClasses = numClasses;
        this.anchors = anchors;
        this.widthDivisor = widthDivisor;
        long d = widthDivisor;
        // Registration order = the original's, so that named_parameters() lists keys in its state_dict order.
        embedding0 = register_module("embedding0",
                new Embedding(FILTERS[0][0] / d, FILTERS[0][1] / d, conv5Channels, outChannels(0)));
        embedding1Cbl = register_module("embedding1_cbl", new Cbl(FILTERS[0][0] / d, LINKS[0] / d, 1));
        embedding1 = register_module("embedding1",
                new Embedding(FILTERS[1][0] / d, FILTERS[1][1] / d, conv4Channels + LINKS[0] / d, outChannels(1)));
        embedding2Cbl = register_module("embedding2_cbl", new Cbl(FILTERS[1][0] / d, LINKS[1] / d, 1));
        embedding2 = register_module("embedding2",
                new Embedding(FILTERS[2][0] / d, FILTERS[2][1] / d, conv3Channels + LINKS[1] / d, outChannels(2)));
        Module losses = Modules.container(this, "losses", containers);
        for (int s = 0; s < YoloAnchors.SCALES; s++) {
            Module loss = Modules.container(losses, String.valueOf(s), containers);
            float[] a = new float[anchors.count(s) * 2];
            for (int i = 0; i < anchors.count(s); i++) {
                a[2 * i] = (float) anchors.width(s, i);
                a[2 * i + 1] = (float) anchors.height(s, i);
            }
            loss.register_buffer("anchors", Tensors.floats(a, anchors.count(s), 2));
        }
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** The anchors (input pixels) this head predicts for. */
    public YoloAnchors anchors() {
        return anchors;
    }

    /** The width divisor (1 = full size). */
    public int widthDivisor() {
        return widthDivisor;
    }

    /** Output channels of a scale: anchors × (5 + classes). */
    public long outChannels(int scale) {
        return (long) anchors.count(scale) * (5 + numClasses);
    }

    /**
     * The parameters the original's {@code non_backbone_params()} returns (all of this head's), for the optimiser of
     * a frozen-backbone task.
     */
    public TensorVector nonBackboneParameters() {
        return parameters(true);
    }

    /**
     * The raw predictions per scale, scale 0 (stride 32) first.
     *
     * @param conv3 (B, C3, 4h, 4w) stride-8 features
     * @param conv4 (B, C4, 2h, 2w) stride-16 features
     * @param conv5 (B, C5, h, w) stride-32 features
     * @return [(B, out_c, h, w), (B, out_c, 2h, 2w), (B, out_c, 4h, 4w)]
     */
    public List<Tensor> forward(Tensor conv3, Tensor conv4, Tensor conv5) {
        checkInputs(conv3, conv4, conv5);
        Embedding.Output s0 = embedding0.forward(conv5);                          // (B, out_c, h, w), (B, 512, h, w)
        Tensor t = upsample2(embedding1Cbl.forward(s0.branch()));                  // (B, 256, 2h, 2w)
        t = torch.cat(new TensorVector(t, conv4), 1);                              // (B, 256 + C4, 2h, 2w)
        Embedding.Output s1 = embedding1.forward(t);                               // (B, out_c, 2h, 2w), (B, 256, ..)
        t = upsample2(embedding2Cbl.forward(s1.branch()));                         // (B, 128, 4h, 4w)
        t = torch.cat(new TensorVector(t, conv3), 1);                              // (B, 128 + C3, 4h, 4w)
        Embedding.Output s2 = embedding2.forward(t);                               // (B, out_c, 4h, 4w)
        return List.of(s0.out(), s1.out(), s2.out());
    }

    /** {@code nn.Upsample(scale_factor=2, mode='nearest')}: (B, C, H, W) → (B, C, 2H, 2W). */
    private static Tensor upsample2(Tensor x) {
        return torch.upsample_nearest2d(x, 2 * x.size(2), 2 * x.size(3));
    }

    private void checkInputs(Tensor conv3, Tensor conv4, Tensor conv5) {
        long[] s3 = Tensors.shape(conv3);
        long[] s4 = Tensors.shape(conv4);
        long[] s5 = Tensors.shape(conv5);
        String shapes = "conv3 " + Arrays.toString(s3) + ", conv4 " + Arrays.toString(s4) + ", conv5 "
                + Arrays.toString(s5);
        if (s3.length != 4 || s4.length != 4 || s5.length != 4) {
            throw new LovtException("yolo head: features must be 4-D (B, C, H, W), got " + shapes);
        }
        boolean ok = s3[0] == s5[0] && s4[0] == s5[0]
                && s3[1] == inChannels[0] && s4[1] == inChannels[1] && s5[1] == inChannels[2]
                && s4[2] == 2 * s5[2] && s4[3] == 2 * s5[3] && s3[2] == 2 * s4[2] && s3[3] == 2 * s4[3];
        if (!ok) {
            throw new LovtException("yolo head: expected conv3 (B, " + inChannels[0] + ", 4h, 4w), conv4 (B, "
                    + inChannels[1] + ", 2h, 2w), conv5 (B, " + inChannels[2] + ", h, w), got " + shapes);
        }
    }
}
