package org.lovt.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.torch.io.TensorFiles;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * Runs the project's ResNet on the {@code input} of an IO file and compares it with the reference tensors the file
 * holds (format: README "Verification files"): {@code eval.*} and {@code train.*} forwards
 * ({@code stem, layer1..layer4, pooled, logits}), {@code train.loss} = mean(logits²) + mean(|layer2|) in train mode
 * and {@code grad.<param>} of it, and {@code after_train.<buffer>} BatchNorm statistics after that train forward.
 */
public final class ResNetVerifier {
    /** Fixture tolerances: outputs 1e-4 and gradients 1e-3, relative to the reference's max |value|. */
    public static final double OUTPUT_TOLERANCE = 1e-4;
    public static final double GRADIENT_TOLERANCE = 1e-3;

    private ResNetVerifier() {}

    /**
     * @param stemWidth  null to read it from {@code conv1.weight}
     * @param numClasses null to read it from {@code fc.weight} (0 when there is none)
     */
    public static List<Comparison> verify(Path weightsFile, Path ioFile, Integer stemWidth, Integer numClasses) {
        Map<String, HostTensor> weights = TensorFiles.read(weightsFile);
        Safetensors.Contents io = Safetensors.read(ioFile);
        HostTensor input = io.tensors().get("input");
        if (input == null) {
            throw new LovtException(ioFile + ": no 'input' tensor");
        }
        int stem = stemWidth != null ? stemWidth : (int) shapeOf(weights, weightsFile, "conv1.weight")[0];
        int classes = numClasses != null ? numClasses
                : weights.containsKey("fc.weight") ? (int) weights.get("fc.weight").shape()[0] : 0;
        int[] layers = new int[4];
        for (int i = 0; i < 4; i++) {
            String prefix = "layer" + (i + 1) + ".";
            int n = 0;
            while (weights.containsKey(prefix + n + ".conv1.weight")) {
                n++;
            }
            layers[i] = n;
        }
        ResNetConfig config;
        try {
            config = new ResNetConfig(layers, stem, classes);
        } catch (LovtException e) {
            throw new LovtException(weightsFile + ": does not hold a bottleneck ResNet: " + e.getMessage());
        }
        List<Comparison> out = new ArrayList<>();
        try (Scope scope = Scope.open()) {
            ResNet model = new ResNet(config);
            StateDict.fromHost(weights).loadInto(model, true);
            Tensor x = Tensors.fromHost(input);
            if (hasPrefix(io, "eval.")) {
                model.eval();
                compareForward(out, io, "eval.", model, x);
            }
            if (hasPrefix(io, "train.") || hasPrefix(io, "grad.") || hasPrefix(io, "after_train.")) {
                model.train(true);
                Map<String, Tensor> f = compareForward(out, io, "train.", model, x);
                Tensor loss = model.logits(f.get("conv5")).pow(new Scalar(2.0)).mean()
                        .add(f.get("conv3").abs().mean());
                if (io.tensors().containsKey("train.loss")) {
                    out.add(Comparison.of("train.loss", loss, io.tensor("train.loss"), OUTPUT_TOLERANCE, true));
                }
                StateDict params = StateDict.of(model);
                if (hasPrefix(io, "grad.")) {
                    loss.backward();
                    for (String name : io.tensors().keySet()) {
                        if (name.startsWith("grad.")) {
                            String p = name.substring(5);
                            out.add(Comparison.of(name, params.get(p).grad(), io.tensor(name), GRADIENT_TOLERANCE,
                                    true));
                        }
                    }
                }
                for (String name : io.tensors().keySet()) {
                    if (name.startsWith("after_train.")) {
                        out.add(Comparison.of(name, params.get(name.substring(12)), io.tensor(name),
                                OUTPUT_TOLERANCE, true));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new LovtException(ioFile + ": no reference tensors (eval.*, train.*, grad.*, after_train.*)");
        }
        return out;
    }

    private static Map<String, Tensor> compareForward(List<Comparison> out, Safetensors.Contents io, String prefix,
                                                      ResNet model, Tensor x) {
        Map<String, Tensor> f = model.features(x, "conv5");
        Tensor stem = torch.max_pool2d(f.get("conv1"), new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1},
                new long[] {1, 1}, false);
        Map<String, Tensor> computed = new java.util.LinkedHashMap<>();
        computed.put("stem", stem);
        for (int i = 1; i <= 4; i++) {
            computed.put("layer" + i, f.get("conv" + (i + 1)));
        }
        computed.put("pooled", ResNet.pool(f.get("conv5")));
        if (model.config().numClasses() > 0) {
            computed.put("logits", model.logits(f.get("conv5")));
        }
        for (Map.Entry<String, Tensor> e : computed.entrySet()) {
            HostTensor ref = io.tensors().get(prefix + e.getKey());
            if (ref != null) {
                out.add(Comparison.of(prefix + e.getKey(), e.getValue(), ref, OUTPUT_TOLERANCE, true));
            }
        }
        return f;
    }

    private static boolean hasPrefix(Safetensors.Contents io, String prefix) {
        return io.tensors().keySet().stream().anyMatch(k -> k.startsWith(prefix) && !k.equals("train.loss"));
    }

    private static long[] shapeOf(Map<String, HostTensor> weights, Path file, String key) {
        HostTensor t = weights.get(key);
        if (t == null) {
            throw new LovtException(file + ": no '" + key + "' tensor (not a torchvision ResNet checkpoint)");
        }
        return t.shape();
    }
}
