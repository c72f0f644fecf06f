package org.lovt.verify;

import org.lovt.train.Experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.model.LovtModels;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;

/**
 * Runs LoVT's alignment part (attention pools, projection heads, cross-attention, objectives) in train mode on the
 * encoder outputs of an IO file ({@code input.yl_a} (B, N_a, d_a) regions of a square grid, {@code input.yl_b}
 * (B, N_b, d_b), {@code input.sentence_mask}) with the parameters of a params file, and compares every intermediate,
 * loss, metric, gradient ({@code grad.*} of {@code total_loss}) and BatchNorm statistic ({@code after_train.*})
 * the IO file holds. Sizes are read from the tensors; the settings come from an experiment config (LoVT_100).
 *
 * <p>Tolerances (fixtures/README.md): losses and metrics 1e-5 absolute; tensors 1e-4 and gradients 1e-4 relative to
 * the reference's max |value|. Gradients that are analytically zero (biases right before a BatchNorm) hold only
 * float noise in the reference; a gradient whose reference maximum is below 1e-4 of the file's largest gradient is
 * therefore compared with 1e-4 of that largest gradient as an absolute bound.
 */
public final class LovtHeadsVerifier {
    public static final double TENSOR_TOLERANCE = 1e-4;
    public static final double LOSS_TOLERANCE = 1e-5;

    private LovtHeadsVerifier() {}

    public static List<Comparison> verify(Path paramsFile, Path ioFile, String experiment) {
        Map<String, HostTensor> params = Safetensors.read(paramsFile).tensors();
        Safetensors.Contents io = Safetensors.read(ioFile);
        HostTensor ylA = required(io, ioFile, "input.yl_a");
        HostTensor ylB = required(io, ioFile, "input.yl_b");
        HostTensor maskB = required(io, ioFile, "input.sentence_mask");
        long nA = ylA.shape()[1];
        int grid = (int) Math.round(Math.sqrt(nA));
        if ((long) grid * grid != nA) {
            throw new LovtException(ioFile + ": input.yl_a has " + nA + " regions, not a square grid");
        }
        long hidden = shape(params, paramsFile, "model_a.project_local.norm.weight")[0];
        long dZ = shape(params, paramsFile, "ll_attention.key_projection.weight")[0];
        long dZg = shape(params, paramsFile, "model_a.project_global.projection_after.weight")[0];
        BiModalModelConfig config = Experiments.model(experiment,
                List.of("pretrain_model.d_hidden=" + hidden, "pretrain_model.d_z=" + dZ, "pretrain_model.d_zg=" + dZg));
        List<Comparison> out = new ArrayList<>();
        try (Scope scope = Scope.open()) {
            LovtModel model = LovtModels.alignmentOnly(config, ylA.shape()[2], ylB.shape()[2]);
            StateDict.fromHost(params).loadInto(model, true);
            model.train(true);
            Tensor a = Tensors.fromHost(ylA).requires_grad_(true);
            Tensor b = Tensors.fromHost(ylB).requires_grad_(true);
            Tensor mask = Tensors.fromHost(maskB).to(torch.ScalarType.Bool);
            EncoderOutput ea = model.scanEncoder().aggregate(a, grid, grid);
            EncoderOutput eb = model.reportEncoder().aggregate(b, mask);
            LovtModel.Output o = model.forward(ea, eb);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("yg_a", ea.global());
            tensors.put("weights_a", ea.weights());
            tensors.put("yg_b", eb.global());
            tensors.put("weights_b", eb.weights());
            tensors.put("zl_a", o.projA().zl());
            tensors.put("zg_a", o.projA().zg());
            tensors.put("zl_b", o.projB().zl());
            tensors.put("zg_b", o.projB().zg());
            if (o.attention() != null) {
                tensors.put("zl_b2a", o.attention().b2a());
                tensors.put("zl_a2b", o.attention().a2b());
                tensors.put("attention_probs_b2a", o.attention().probsB2a());
                tensors.put("attention_probs_a2b", o.attention().probsA2b());
            }
            LocalIntraSampleContrastiveLossConfig scanLocal = config.llAlignmentsA().values().stream().findFirst()
                    .orElse(null);
            if (scanLocal != null) {
                LocalIntraSampleContrastiveLoss l = new LocalIntraSampleContrastiveLoss(1, scanLocal.distanceThreshold(),
                        scanLocal.thresholdType() == LocalIntraSampleContrastiveLossConfig.ThresholdType.RELATIVE,
                        scanLocal.smoothWeights(), scanLocal.smoothLambda());
                tensors.put("pos_weights_a", Tensors.floats(l.positiveWeights(grid, grid), nA, nA));
            }
            tensors.forEach((k, v) -> {
                if (v != null && io.tensors().containsKey(k)) {
                    out.add(Comparison.of(k, v, io.tensor(k), TENSOR_TOLERANCE, true));
                }
            });
            o.losses().forEach((k, v) -> compareIfPresent(out, io, "loss." + k, v));
            o.metrics().forEach((k, v) -> compareIfPresent(out, io, "metric." + k, v));
            compareIfPresent(out, io, "total_loss", o.totalLoss());

            o.totalLoss().backward();
            double largest = 0;
            for (String k : io.tensors().keySet()) {
                if (k.startsWith("grad.")) {
                    largest = Math.max(largest, maxAbs(io.tensor(k)));
                }
            }
            StateDict sd = StateDict.of(model);
            for (String k : io.tensors().keySet()) {
                Tensor ours = null;
                if (k.equals("grad.yl_a")) {
                    ours = a.grad();
                } else if (k.equals("grad.yl_b")) {
                    ours = b.grad();
                } else if (k.startsWith("grad.")) {
                    ours = sd.get(k.substring(5)).grad();
                } else if (k.startsWith("after_train.")) {
                    out.add(Comparison.of(k, sd.get(k.substring(12)), io.tensor(k), TENSOR_TOLERANCE, true));
                    continue;
                } else {
                    continue;
                }
                if (!ours.defined()) {
                    ours = torch.zeros_like(Tensors.fromHost(io.tensor(k)));
                }
                double refMax = maxAbs(io.tensor(k));
                out.add(refMax < TENSOR_TOLERANCE * largest
                        ? Comparison.of(k, ours, io.tensor(k), TENSOR_TOLERANCE * largest, false)
                        : Comparison.of(k, ours, io.tensor(k), TENSOR_TOLERANCE, true));
            }
        }
        return out;
    }

    private static void compareIfPresent(List<Comparison> out, Safetensors.Contents io, String name, Tensor v) {
        if (io.tensors().containsKey(name)) {
            out.add(Comparison.of(name, v, io.tensor(name), LOSS_TOLERANCE, false));
        }
    }

    private static double maxAbs(HostTensor t) {
        return Tensors.fromHost(t).abs().max().item_double();
    }

    private static HostTensor required(Safetensors.Contents io, Path file, String name) {
        HostTensor t = io.tensors().get(name);
        if (t == null) {
            throw new LovtException(file + ": no '" + name + "' tensor");
        }
        return t;
    }

    private static long[] shape(Map<String, HostTensor> params, Path file, String name) {
        HostTensor t = params.get(name);
        if (t == null) {
            throw new LovtException(file + ": no '" + name + "' parameter (not a LoVT alignment-part params file)");
        }
        return t.shape();
    }
}
