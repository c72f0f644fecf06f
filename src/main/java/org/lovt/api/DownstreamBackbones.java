package org.lovt.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lovt.LovtException;
import org.lovt.config.UserConfig;
import org.lovt.torch.HostTensor;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.torch.io.TensorFiles;
import org.lovt.torch.io.TorchCheckpoint;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * The backbone a downstream evaluation starts from (spec lovt-data-eval §3.3), from one of: a pre-training run folder
 * of this project (its best checkpoint, else its last), an exported {@code backbone_weights.safetensors}, an original
 * LoVT {@code .ckpt}, a torchvision {@code .pth} (or any state dict holding a bottleneck ResNet), the word
 * {@code random} (torchvision's initialisation of a ResNet-50), {@code random:SOURCE} (the same initialisation of
 * SOURCE's architecture, with its region feature layer: the random control of a small model) or {@code imagenet} (the user config's
 * {@code models.pretrained.resnet50_imagenet}). Only the ResNet (conv1 … layer4) is used; {@code fc} is dropped.
 */
final class DownstreamBackbones {
    /** {@code random:SOURCE}: a freshly initialised ResNet of SOURCE's architecture and region layer. */
    static final String RANDOM_LIKE = "random:";
    private static final Pattern BLOCK = Pattern.compile("^layer([1-4])\\.(\\d+)\\.");

    /**
     * A loaded backbone, where it came from, and its pre-training's region feature layer (the layer the original's
     * linear head reads: {@code encoder.config.region_feature_layer}; {@code conv5} where nothing says otherwise),
     * and the file its weights were read from (null for a random initialisation).
     */
    record Loaded(ResNet resnet, String description, String regionLayer, Path weights) {}

    private DownstreamBackbones() {}

    static Loaded resolve(String source, UserConfig user, Path userConfigFile) {
        if (source == null || source.isBlank()) {
            throw new LovtException("no backbone given (a run folder, a weights file, 'random' or 'imagenet')");
        }
        if (source.equals("random")) {
            return new Loaded(new ResNet(ResNetConfig.resnet50(0)), "random (torchvision initialisation)", "conv5",
                    null);
        }
        if (source.startsWith(RANDOM_LIKE)) {
            // The control of a small pre-trained model: its architecture and region layer, freshly initialised (under
            // the run's seed, like 'random'), so that only the pre-training differs.
            String of = source.substring(RANDOM_LIKE.length());
            if (of.isBlank() || of.startsWith(RANDOM_LIKE) || of.equals("random")) {
                throw new LovtException("--backbone " + source + ": random: needs a run folder or weights file whose "
                        + "architecture to initialise randomly (e.g. random:runs/demo/run)");
            }
            Loaded like = resolve(of, user, userConfigFile);
            ResNetConfig c = like.resnet().config();
            return new Loaded(new ResNet(new ResNetConfig(c.layers(), c.stemWidth(), 0)), "random (torchvision "
                    + "initialisation) with the architecture of " + like.description(), like.regionLayer(), null);
        }
        if (source.equals("imagenet")) {
            String path = user.models().pretrained().resnet50Imagenet();
            if (path == null) {
                throw new LovtException("--backbone imagenet needs the ImageNet weights' path as "
                        + "models.pretrained.resnet50_imagenet in the user config (" + userConfigFile + ")");
            }
            Path file = Path.of(path);
            return new Loaded(fromFile(file, "user config models.pretrained.resnet50_imagenet"),
                    "imagenet (" + file + ")", "conv5", file);
        }
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve("model.safetensors"))) {
                Path file = p.resolve("model.safetensors");
                return new Loaded(fromFile(file, null), "checkpoint " + p, "conv5", file);
            }
            var baseline = BaselineRun.readInfo(p);
            if (baseline.isPresent()) {
                BaselineRun.Info info = baseline.get();
                Path ckpt = BaselineRun.exportedCheckpoint(p, info).orElseThrow(() -> new LovtException(p
                        + ": the baseline run has no checkpoint (checkpoints/best or checkpoints/last)"));
                Map<String, HostTensor> w = BaselineRun.backboneWeights(ckpt, info);
                ResNet resnet = new ResNet(architecture(p.toString(), w));
                try {
                    StateDict.fromHost(w).loadInto(resnet, true);
                } catch (LovtException e) {
                    throw new LovtException(ckpt + ": not a matching ResNet: " + e.getMessage(), e);
                }
                return new Loaded(resnet, "baseline run " + p + " (" + info.method() + ", " + ckpt.getFileName() + ")",
                        "conv5", ckpt.resolve("model.safetensors"));
            }
            if (!Files.isRegularFile(p.resolve("config.yaml"))) {
                throw new LovtException(p + ": not a pre-training run folder (no config.yaml) nor a checkpoint folder "
                        + "(no model.safetensors)");
            }
            Path ckpt = ModelFiles.bestCheckpoint(p).orElseThrow(() -> new LovtException(p
                    + ": the run has no checkpoint (checkpoints/best or checkpoints/last)"));
            String region = Files.isRegularFile(p.resolve(ModelFiles.MODEL_JSON))
                    ? ModelFiles.readRunModel(p).scan().regionFeatureLayer() : "conv5";
            Path file = ckpt.resolve("model.safetensors");
            return new Loaded(fromFile(file, null), "run " + p + " (" + ckpt.getFileName() + ")", region, file);
        }
        if (!Files.isRegularFile(p)) {
            throw new LovtException(source + ": no such backbone (a run folder, a weights file, 'random' or "
                    + "'imagenet')");
        }
        String region = "conv5";
        if (TensorFiles.sniff(p) == TensorFiles.Kind.SAFETENSORS) {
            String r = Safetensors.read(p).metadata().get("region_feature_layer");
            if (r != null && ScanBackbone.FORMAT.equals(Safetensors.read(p).metadata().get("format"))) {
                region = r;
            }
        }
        return new Loaded(fromFile(p, null), p.toString(), region, p);
    }

    /** SHA-256 of a file, hex. */
    static String sha256(Path file) {
        try {
            return org.lovt.util.FileTrees.sha256(file);
        } catch (java.io.IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A bottleneck ResNet from any weights file whose state dict holds one (under any prefix). */
    static ResNet fromFile(Path file, String what) {
        String name = what == null ? file.toString() : what + " " + file;
        if (!Files.isRegularFile(file)) {
            throw new LovtException(name + ": no such file");
        }
        Map<String, HostTensor> all;
        try {
            all = switch (TensorFiles.sniff(file)) {
                case SAFETENSORS -> {
                    var c = Safetensors.read(file);
                    if (ScanBackbone.FORMAT.equals(c.metadata().get("format"))) {
                        yield null;                                 // an exported backbone: checked by its loader
                    }
                    yield c.tensors();
                }
                case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpoint.read(file,
                        TorchCheckpoint.Options.defaults().lenient(true)).stateDict();
                default -> throw new LovtException(name + ": not a weights file (expected safetensors, a LoVT .ckpt "
                        + "or a torchvision .pth)");
            };
        } catch (LovtException e) {
            throw e.getMessage().startsWith(name) ? e : new LovtException(name + ": " + e.getMessage(), e);
        }
        if (all == null) {
            return ScanBackbone.load(file).resnet();
        }
        String prefix = prefix(all);
        if (prefix == null) {
            throw new LovtException(name + ": holds no bottleneck ResNet (no conv1.weight with layer1.0.conv3.weight "
                    + "under any prefix; ResNet-18/34 and other architectures are not supported)");
        }
        Map<String, HostTensor> w = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.startsWith(prefix + "fc.")) {
                w.put(k.substring(prefix.length()), v);
            }
        });
        ResNetConfig config = architecture(name, w);
        ResNet resnet = new ResNet(config);
        try {
            StateDict.fromHost(w).loadInto(resnet, true);
        } catch (LovtException e) {
            throw new LovtException(name + ": not a matching ResNet (" + config + "): " + e.getMessage(), e);
        }
        return resnet;
    }

    private static String prefix(Map<String, HostTensor> all) {
        for (String k : all.keySet()) {
            if (k.endsWith("conv1.weight")) {
                String p = k.substring(0, k.length() - "conv1.weight".length());
                if (p.isEmpty() || p.endsWith(".")) {
                    if (all.containsKey(p + "layer1.0.conv3.weight")) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** Stage depths and stem width read from the weights' names and shapes. */
    static ResNetConfig architecture(String name, Map<String, HostTensor> w) {
        Map<Integer, TreeSet<Integer>> blocks = new TreeMap<>();
        for (String k : w.keySet()) {
            Matcher m = BLOCK.matcher(k);
            if (m.find()) {
                blocks.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeSet<>())
                        .add(Integer.parseInt(m.group(2)));
            }
        }
        int[] layers = new int[4];
        for (int i = 1; i <= 4; i++) {
            TreeSet<Integer> b = blocks.get(i);
            if (b == null || b.first() != 0 || b.last() != b.size() - 1) {
                throw new LovtException(name + ": the ResNet's layer" + i + " blocks are missing or not numbered "
                        + "0..n-1 (" + b + ")");
            }
            layers[i - 1] = b.size();
        }
        long[] conv1 = w.get("conv1.weight").shape();
        if (conv1.length != 4 || conv1[1] != 3) {
            throw new LovtException(name + ": conv1.weight has shape " + java.util.Arrays.toString(conv1)
                    + ", expected (stem width, 3, 7, 7)");
        }
        return new ResNetConfig(layers, (int) conv1[0], 0);
    }

}
