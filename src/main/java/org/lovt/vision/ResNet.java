package org.lovt.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.nn.Layers;

/**
 * torchvision's bottleneck ResNet (v1.5: the stride sits on the 3×3 conv), with torchvision's parameter names and
 * initialisation, so that torchvision checkpoints load by name.
 *
 * <p>Feature contract (LoVT's {@code ResNetFeatureExtractor} names, spec lovt-data-eval §3.4): {@code conv1} =
 * after the stem ReLU (stride 2), {@code conv2}..{@code conv5} = outputs of {@code layer1}..{@code layer4}
 * (strides 4, 8, 16, 32). For a 224×224 input {@code conv5} is (B, 2048, 7, 7), LoVT's 49 regions.
 */
public final class ResNet extends Module {
    /** The named feature maps, in order. */
    public static final List<String> FEATURES = List.of("conv1", "conv2", "conv3", "conv4", "conv5");

    private final ResNetConfig config;
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final List<List<Bottleneck>> stages = new ArrayList<>();
    private final LinearImpl fc;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    public ResNet(ResNetConfig config) {
        this.config = config;
        int w = config.stemWidth();
        conv1 = register_module("conv1", Layers.conv2d(3, w, 7, 2, 3, false));
        bn1 = register_module("bn1", Layers.batchNorm2d(w));
        long in = w;
        int[] layers = config.layers();
        for (int i = 0; i < 4; i++) {
            long width = (long) w << i;
            // Children registered by index ("layer1.0...") with register_module, which keeps them alive;
            // ModuleListImpl.push_back holds Java-created modules without owning them.
            Module stage = org.lovt.nn.Modules.container(this, "layer" + (i + 1), containers);
            List<Bottleneck> blocks = new ArrayList<>();
            for (int b = 0; b < layers[i]; b++) {
                Bottleneck block = stage.register_module(String.valueOf(b),
                        new Bottleneck(in, width, b == 0 && i > 0 ? 2 : 1));
                blocks.add(block);
                in = width * ResNetConfig.EXPANSION;
            }
            stages.add(blocks);
        }
        fc = config.numClasses() > 0
                ? register_module("fc", new LinearImpl(new LinearOptions(in, config.numClasses())))
                : null;
        initTorchvision();
    }

    /**
     * torchvision's init: every conv weight kaiming-normal (fan_out, relu); BatchNorm weight 1 and bias 0 (libtorch's
     * default already); {@code fc} keeps Linear's default kaiming-uniform. {@code zero_init_residual} is off, as in
     * torchvision's default.
     */
    private void initTorchvision() {
        var params = named_parameters(true);
        for (long i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value();
            if (p.dim() == 4) {
                Layers.kaimingNormalFanOutRelu(p);
            }
        }
    }

    public ResNetConfig config() {
        return config;
    }

    /** The feature maps {@code conv1}..{@code upTo} (inclusive) for an input (B, 3, H, W); later stages are not run. */
    public Map<String, Tensor> features(Tensor x, String upTo) {
        int last = FEATURES.indexOf(upTo);
        if (last < 0) {
            throw new LovtException("unknown ResNet feature '" + upTo + "', expected one of " + FEATURES);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor h = bn1.forward(conv1.forward(x)).relu();                        // (B, w, H/2, W/2)
        out.put("conv1", h);
        h = torch.max_pool2d(h, new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1}, false);
        for (int i = 0; i < 4 && i < last; i++) {
            for (Bottleneck block : stages.get(i)) {
                h = block.forward(h);                                           // (B, 4w·2^i, H/2^(i+2), W/2^(i+2))
            }
            out.put(FEATURES.get(i + 1), h);
        }
        return out;
    }

    /** Class logits (B, numClasses): all stages, global average pool, {@code fc}. */
    public Tensor forward(Tensor x) {
        requireFc();
        return logits(features(x, "conv5").get("conv5"));
    }

    /** The classification head on a {@code conv5} map: (B, C, h, w) → average pool → {@code fc} → (B, classes). */
    public Tensor logits(Tensor conv5) {
        requireFc();
        return fc.forward(pool(conv5));                                         // (B, numClasses)
    }

    private void requireFc() {
        if (fc == null) {
            throw new LovtException("this ResNet has no fc layer (num_classes = 0); use features()");
        }
    }

    /** Global average pool of a feature map, flattened: (B, C, H, W) → (B, C). */
    public static Tensor pool(Tensor featureMap) {
        return torch.adaptive_avg_pool2d(featureMap, 1, 1).flatten(1, -1);
    }

    /** Number of parameters (elements), like {@code sum(p.numel() for p in model.parameters())}. */
    public long parameterCount() {
        return org.lovt.nn.Modules.parameterCount(this, false);
    }
}
