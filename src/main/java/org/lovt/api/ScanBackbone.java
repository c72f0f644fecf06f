package org.lovt.api;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.model.EncoderOutput;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;

/**
 * A pre-trained scan backbone exported by a run ({@code backbone_weights.safetensors}): the ResNet-50 with
 * torchvision's parameter names, for downstream tasks. The file is self-describing: its safetensors metadata holds
 * the architecture, the input size, the pixel mean and standard deviation of the pre-training data, the region
 * feature layer and the run it came from, and {@link #load} checks them against the weights.
 *
 * <pre>{@code
 * ScanBackbone b = ScanBackbone.load(Path.of("runs/lovt/backbone_weights.safetensors"));
 * ScanEmbedding e = b.embedScan(Path.of("cxr.png"));    // 7x7 regions of 2048 channels, their average
 * }</pre>
 */
public final class ScanBackbone {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "lovt-scan-backbone/1";

    /**
     * What the metadata says.
     *
     * @param architecture       {@code resnet50}
     * @param layers             bottleneck blocks per stage ({@code [3, 4, 6, 3]})
     * @param stemWidth          stem channels (64)
     * @param inputSize          side of the square input the backbone was trained on
     * @param pixelMean          mean of the pre-training pixels in [0, 1]
     * @param pixelStd           their standard deviation
     * @param regionFeatureLayer the feature map whose cells were LoVT's regions ({@code conv5} = layer4)
     * @param valResizeMode      how inputs are made square ({@code pad}: the original's default)
     * @param sourceRun          the run folder's name
     * @param sourceCheckpoint   the checkpoint the weights were taken from
     */
    public record Info(String architecture, List<Integer> layers, int stemWidth, int inputSize, double pixelMean,
                       double pixelStd, String regionFeatureLayer, String valResizeMode, String sourceRun,
                       String sourceCheckpoint) {}

    private final Info info;
    private final ResNet resnet;
    private final ScanInput input;

    private ScanBackbone(Info info, ResNet resnet) {
        this.info = info;
        this.resnet = resnet;
        this.input = new ScanInput(ScanAugmentationConfig.forValidation(resizeMode(info.valResizeMode())), info.inputSize(), info.pixelMean(),
                info.pixelStd());
        resnet.eval();
    }

    static Map<String, String> metadata(ModelFiles.ScanInfo s, String run, String checkpoint) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("architecture", s.architecture());
        m.put("layers", Arrays.toString(s.layers()).replace(" ", ""));
        m.put("stem_width", String.valueOf(s.stemWidth()));
        m.put("input_size", String.valueOf(s.inputSize()));
        m.put("pixel_mean", Double.toString(s.pixelMean()));
        m.put("pixel_std", Double.toString(s.pixelStd()));
        m.put("region_feature_layer", s.regionFeatureLayer());
        m.put("val_resize_mode", s.valResizeMode().name().toLowerCase(Locale.ROOT));
        m.put("source_run", run);
        m.put("source_checkpoint", checkpoint);
        m.put("lovt_version", String.valueOf(ScanBackbone.class.getPackage().getImplementationVersion()));
        return m;
    }

    /** Loads an exported backbone, checking its metadata and that every weight is present with its shape. */
    public static ScanBackbone load(Path file) {
        Natives.load();
        if (!Files.isRegularFile(file)) {
            throw new LovtException(file + ": no such backbone file");
        }
        Safetensors.Contents c = Safetensors.read(file);
        Info info = parse(file, c.metadata());
        ResNet resnet = new ResNet(new org.lovt.vision.ResNetConfig(
                info.layers().stream().mapToInt(Integer::intValue).toArray(), info.stemWidth(), 0));
        Map<String, HostTensor> w = c.tensors();
        try {
            StateDict.fromHost(w).loadInto(resnet, true);
        } catch (LovtException e) {
            throw new LovtException(file + ": the weights do not match the " + info.architecture() + " its metadata "
                    + "describes: " + e.getMessage(), e);
        }
        return new ScanBackbone(info, resnet);
    }

    private static Info parse(Path file, Map<String, String> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new LovtException(file + ": not a self-describing LoVT backbone (metadata format is "
                    + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'") + ", expected '" + FORMAT
                    + "'); re-export it from its run folder");
        }
        String arch = required(file, m, "architecture");
        if (!arch.equals("resnet50")) {
            throw new LovtException(file + ": metadata architecture '" + arch + "' is not supported (resnet50)");
        }
        List<Integer> layers = new ArrayList<>();
        String ls = required(file, m, "layers");
        try {
            for (String p : ls.replaceAll("[\\[\\]]", "").split(",")) {
                layers.add(Integer.parseInt(p.trim()));
            }
        } catch (NumberFormatException e) {
            throw new LovtException(file + ": metadata layers '" + ls + "' is not a list of integers");
        }
        int stem = positiveInt(file, m, "stem_width");
        int size = positiveInt(file, m, "input_size");
        double mean = number(file, m, "pixel_mean");
        double std = number(file, m, "pixel_std");
        if (!(std > 0)) {
            throw new LovtException(file + ": metadata pixel_std must be positive, got " + std);
        }
        String region = required(file, m, "region_feature_layer");
        if (!ResNet.FEATURES.contains(region)) {
            throw new LovtException(file + ": metadata region_feature_layer '" + region + "' is none of "
                    + ResNet.FEATURES);
        }
        String mode = required(file, m, "val_resize_mode");
        try {
            resizeMode(mode);
        } catch (IllegalArgumentException e) {
            throw new LovtException(file + ": metadata val_resize_mode '" + mode + "' is none of pad, center_crop, "
                    + "resize");
        }
        return new Info(arch, List.copyOf(layers), stem, size, mean, std, region, mode,
                m.getOrDefault("source_run", ""),
                m.getOrDefault("source_checkpoint", ""));
    }

    private static String required(Path file, Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new LovtException(file + ": metadata entry '" + key + "' is missing");
        }
        return v;
    }

    private static int positiveInt(Path file, Map<String, String> m, String key) {
        String v = required(file, m, key);
        try {
            int i = Integer.parseInt(v);
            if (i > 0) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new LovtException(file + ": metadata " + key + " must be a positive integer, got '" + v + "'");
    }

    private static double number(Path file, Map<String, String> m, String key) {
        String v = required(file, m, key);
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new LovtException(file + ": metadata " + key + " must be a finite number, got '" + v + "'");
    }

    private static ScanAugmentationConfig.ValResizeMode resizeMode(String name) {
        return ScanAugmentationConfig.ValResizeMode.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The metadata. */
    /** The loaded ResNet (for the downstream evaluation). */
    ResNet resnet() {
        return resnet;
    }

    public Info info() {
        return info;
    }

    /**
     * Region features of the region feature layer ((H·W, C), row-major) and their average as the global feature;
     * no projections (a bare backbone has none).
     */
    public ScanEmbedding embedScan(Path image) {
        return embed(ScanInput.decode(image));
    }

    /** {@link #embedScan(Path)} for an image in memory. */
    public ScanEmbedding embedScan(BufferedImage image) {
        return embed(ScanInput.fromBufferedImage(image));
    }

    /** {@link #embedScan(Path)} for grayscale values in [0, 1], row-major. */
    public ScanEmbedding embedScan(float[] pixels, int width, int height) {
        return embed(ScanInput.fromFloats(pixels, width, height));
    }

    private ScanEmbedding embed(GrayImage image) {
        ScanInput.Prepared p = input.prepare(image);
        int s = p.size();
        try (Scope sc = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = Tensors.floats(p.chw(), 1, 3, s, s);                      // (1, 3, S, S)
            Tensor map = resnet.features(x, info.regionFeatureLayer()).get(info.regionFeatureLayer()); // (1, C, H, W)
            int h = (int) map.size(2);
            int w = (int) map.size(3);
            Tensor yl = map.flatten(2, -1).transpose(1, 2);                      // (1, H·W, C)
            Tensor yg = ResNet.pool(map);                                        // (1, C)
            return LovtEncoder.split(new EncoderOutput(yl, yg, null, null, new int[] {h, w}), null, 1).get(0);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, input %d, mean %.4f, std %.4f, regions %s, from %s/%s)",
                getClass().getSimpleName(), info.architecture(), info.inputSize(), info.pixelMean(),
                info.pixelStd(), info.regionFeatureLayer(), info.sourceRun(), info.sourceCheckpoint());
    }
}
