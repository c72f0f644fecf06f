package org.lovt.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.model.objectives.CrossSampleLocalLossConfig;
import org.lovt.model.objectives.GlobalNceLoss;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.nn.CrossAttention;
import org.lovt.text.ReportBatch;

/**
 * The LoVT bi-modal model (spec §3-4): {@code model_a} (scan) and {@code model_b} (report) with their encoders and
 * projection heads, the symmetric cross-attention {@code ll_attention}, and the configured objectives. Module names
 * are those of the original LightningModule, so its checkpoints map onto this model by name.
 *
 * <p>LoVT, CLIP, ConVIRT and the ablations are all configurations of this one class.
 */
public final class LovtModel extends Module {
    private final BiModalModelConfig config;
    private final ModalityModel modelA;
    private final ModalityModel modelB;
    private final ScanEncoder scanEncoder;
    private final ReportEncoder reportEncoder;
    private final CrossAttention crossAttention;
    private final GlobalNceLoss globalLoss;
    private final List<LocalIntraSampleContrastiveLoss> localA = new ArrayList<>();
    private final List<LocalIntraSampleContrastiveLoss> localB = new ArrayList<>();
    private GlobalGather gather;

    /** Everything one forward pass computed. Loss and metric names are the original's. */
    public record Output(EncoderOutput a, EncoderOutput b, ModalityModel.Projected projA,
                         ModalityModel.Projected projB, CrossAttention.Output attention,
                         Map<String, Tensor> losses, Map<String, Tensor> metrics, Tensor totalLoss) {}

    public LovtModel(BiModalModelConfig config, ScanEncoder scanEncoder, ReportEncoder reportEncoder) {
        this.config = config;
        this.scanEncoder = scanEncoder;
        this.reportEncoder = reportEncoder;
        if (config.projectionNorm() != null && config.projectionNorm() != BiModalModelConfig.Norm.BATCH) {
            throw new LovtException("projection_norm " + config.projectionNorm() + " is not supported (batch or null)");
        }
        if (config.projectionDropoutProb() != 0 || config.attentionProbDropoutProb() != 0
                || config.attendedDropoutProb() != 0) {
            throw new LovtException("projection/attention dropout is not supported (every shipped config uses 0)");
        }
        if (config.attentionSim() != BiModalModelConfig.AttentionSimilarity.SCALED_DOT_PRODUCT
                || !config.symmetricAttention() || !config.projectAttentionKeys() || !config.projectAttentionValues()
                || !config.projectAttentionOutputs() || config.attentionTemperatureTrainable()) {
            throw new LovtException("cross-attention: only the LoVT setting (scaled_dot_product, symmetric, projected "
                    + "keys/values/outputs, fixed temperature) is supported");
        }
        if (config.attentionNorm() != null && config.attentionNorm() != BiModalModelConfig.Norm.BATCH) {
            throw new LovtException("attention_norm " + config.attentionNorm() + " is not supported (batch or null)");
        }
        boolean bn = config.projectionNorm() == BiModalModelConfig.Norm.BATCH;
        long dZ = config.dZ();
        modelA = register_module("model_a", new ModalityModel(scanEncoder, scanEncoder.localDim(),
                scanEncoder.globalDim(), config.dHidden(), dZ, config.dZgOrDefault(), bn));
        modelB = register_module("model_b", new ModalityModel(reportEncoder, reportEncoder.localDim(),
                reportEncoder.localDim(), config.dHidden(), dZ, config.dZgOrDefault(), bn));
        crossAttention = register_module("ll_attention", new CrossAttention(dZ,
                config.attentionNorm() == BiModalModelConfig.Norm.BATCH, config.attentionTemperature()));
        globalLoss = config.gAlignment() != null ? global(config.gAlignment()) : null;
        config.llAlignmentsA().values().forEach(c -> localA.add(local(c, "ll_alignments_a")));
        config.llAlignmentsB().values().forEach(c -> localB.add(local(c, "ll_alignments_b")));
    }

    private static GlobalNceLoss global(GlobalNceLossConfig c) {
        if (c.negativesFromSameModality() || c.temperatureTrainable()) {
            throw new LovtException("g_alignment: negatives_from_same_modality and temperature_trainable must be false "
                    + "(as in configs/objective/global_contrastive.yaml)");
        }
        return new GlobalNceLoss(c.similarityTemperature());
    }

    private static LocalIntraSampleContrastiveLoss local(LocalIntraSampleContrastiveLossConfig c, String key) {
        if (c.negativesFromSameModality() || c.normalizeByNumNegatives() || c.temperatureTrainable()) {
            throw new LovtException(key + ": negatives_from_same_modality, normalize_by_num_negatives and "
                    + "temperature_trainable must be false (as in the shipped objectives)");
        }
        return new LocalIntraSampleContrastiveLoss(c.similarityTemperature(), c.distanceThreshold(),
                c.thresholdType() == LocalIntraSampleContrastiveLossConfig.ThresholdType.RELATIVE, c.smoothWeights(),
                c.smoothLambda(), c.crossSampleNegatives());
    }

    public BiModalModelConfig config() {
        return config;
    }

    public ScanEncoder scanEncoder() {
        return scanEncoder;
    }

    public ReportEncoder reportEncoder() {
        return reportEncoder;
    }

    /**
     * In a data-parallel job: computes the global loss over every process's global embeddings ({@code gather}), the
     * other processes' samples serving as extra negatives; null (the default) uses this process's batch only. Each
     * process then sees the loss of the whole global batch but differentiates only through its own rows, so the
     * global loss terms' gradients are scaled by the world size: averaged over the processes (as the gradient
     * averaging does) they sum to the gradient of one process holding the global batch. Logged values are unscaled.
     */
    public void gatherGlobal(GlobalGather g) {
        this.gather = g;
    }

    /** A full step's forward: images (B, 3, H, W) and packed reports. */
    public Output forward(Tensor scans, ReportBatch reports) {
        return forward(scanEncoder.forward(scans), reportEncoder.forward(reports));
    }

    /** The alignment part on encoder outputs: heads, cross-attention, losses and their weighted total. */
    public Output forward(EncoderOutput a, EncoderOutput b) {
        ModalityModel.Projected pa = modelA.project(a);                          // zl_a (B, Na, d_z), zg_a (B, d_zg)
        ModalityModel.Projected pb = modelB.project(b);                          // zl_b (B, Nb, d_z), zg_b (B, d_zg)
        Map<String, Tensor> losses = new LinkedHashMap<>();
        Map<String, Tensor> metrics = new LinkedHashMap<>();
        CrossAttention.Output att = null;
        if (!localA.isEmpty() || !localB.isEmpty()) {
            att = crossAttention.forward(pa.zl(), pb.zl(), b.mask(), !localA.isEmpty(), !localB.isEmpty());
            Tensor wA = localWeights(config.lWeightsA(), a);
            Tensor wB = localWeights(config.lWeightsB(), b);
            addLocal(losses, "local_a_", localA, pa.zl(), att.b2a(), a.mask(), wA, a.structure());
            addLocal(losses, "local_b_", localB, pb.zl(), att.a2b(), b.mask(), wB, b.structure());
        }
        CrossSampleLocalLossConfig xs = config.llCrossSample();
        if (xs != null) {
            Tensor[] x = crossAttention.crossSampleLosses(pa.zl(), pb.zl(), b.mask(), xs.aggregationScale(),
                    xs.similarityTemperature());
            losses.put("local_xs_a2b", x[0]);
            losses.put("local_xs_b2a", x[1]);
        }
        if (globalLoss != null) {
            GlobalNceLoss.Result g = gather == null ? globalLoss.compute(pa.zg(), pb.zg())
                    : globalLoss.compute(gather.gather(pa.zg()), gather.gather(pb.zg()));
            losses.put("global_a2b", g.a2b());
            losses.put("global_b2a", g.b2a());
            metrics.put("global_a2b_top_1_acc", g.a2bTop1());
            metrics.put("global_a2b_top_5_acc", g.a2bTop5());
            metrics.put("global_b2a_top_1_acc", g.b2aTop1());
            metrics.put("global_b2a_top_5_acc", g.b2aTop5());
        }
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : losses.entrySet()) {
            Double w = config.lossWeights().get(e.getKey());
            if (w == null) {
                throw new LovtException("loss_weights has no weight for loss '" + e.getKey() + "'");
            }
            Tensor value = e.getValue();
            if (gather != null && e.getKey().startsWith("global_") && gather.worldSize() > 1) {
                // value unchanged, gradient × world size: value + (W − 1)(value − value.detach())
                value = value.add(value.sub(value.detach()).mul(new Scalar((double) (gather.worldSize() - 1))));
            }
            Tensor term = value.mul(new Scalar(w));
            total = total == null ? term : total.add(term);
        }
        return new Output(a, b, pa, pb, att, losses, metrics, total);
    }

    /** The scan side's projection heads on an encoder output: {@code z_l} (B, N, d_z) and {@code z_g} (B, d_zg). */
    public ModalityModel.Projected projectScan(EncoderOutput a) {
        return modelA.project(a);
    }

    /** The report side's projection heads on an encoder output: {@code z_l} (B, N, d_z) and {@code z_g}. */
    public ModalityModel.Projected projectReport(EncoderOutput b) {
        return modelB.project(b);
    }

    /**
     * Region↔sentence cross-attention for analysis (both directions), whether or not the config trains a local
     * objective: {@code probsA2b} (B, N_b, regions) is where each sentence looks.
     */
    public CrossAttention.Output attention(EncoderOutput a, EncoderOutput b) {
        return crossAttention.forward(modelA.project(a).zl(), modelB.project(b).zl(), b.mask());
    }

    private Tensor localWeights(BiModalModelConfig.LocalWeights mode, EncoderOutput e) {
        if (mode == null) {
            return null;
        }
        if (e.weights() == null) {
            throw new LovtException("l_weights from_aggregation needs an encoder with local_weights_from_aggregator");
        }
        return config.lWeightsStopGrad() ? e.weights().detach() : e.weights();
    }

    private static void addLocal(Map<String, Tensor> losses, String prefix, List<LocalIntraSampleContrastiveLoss> objs,
                                 Tensor zl, Tensor zlAtt, Tensor mask, Tensor weights, int[] structure) {
        for (int i = 0; i < objs.size(); i++) {
            String p = objs.size() > 1 ? prefix + i + "_" : prefix;
            LocalIntraSampleContrastiveLoss.Result r = objs.get(i).compute(zl, zlAtt, mask, weights, structure);
            losses.put(p + "l2att", r.l2att());
            losses.put(p + "att2l", r.att2l());
        }
    }

    /** Number of parameters (elements); with {@code trainableOnly} only those with requires_grad. */
    public long parameterCount(boolean trainableOnly) {
        return org.lovt.nn.Modules.parameterCount(this, trainableOnly);
    }
}
