package org.lovt.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.SharedData;
import org.lovt.model.objectives.GlobalNceLoss;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.nn.AttentionPool;
import org.lovt.nn.CrossAttention;
import org.lovt.nn.Mlp;
import org.lovt.nn.SequenceMlp;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LoVT alignment math (attention pools, heads, cross-attention, losses) against the lovt-heads fixture computed
 * by the original modules, composed here by hand with the original module names.
 */
class AlignmentMathParityTest {

    static final class Modality extends Module {
        final AttentionPool pool;
        final SequenceMlp local;
        final Mlp global;

        Modality(long d, long hidden, long dz) {
            Module encoder = register_module("encoder", new Module());
            pool = encoder.register_module("global_aggregator", new AttentionPool(d, 8));
            local = register_module("project_local", new SequenceMlp(d, hidden, dz, true));
            global = register_module("project_global", new Mlp(d, hidden, dz, true));
        }
    }

    static final class Heads extends Module {
        final Modality a;
        final Modality b;
        final CrossAttention cross;

        Heads(long da, long db, long hidden, long dz) {
            a = register_module("model_a", new Modality(da, hidden, dz));
            b = register_module("model_b", new Modality(db, hidden, dz));
            cross = register_module("ll_attention", new CrossAttention(dz, true, 1.0));
        }
    }

    static void check(Map<String, String> failures, String name, Tensor actual, HostTensor expected, double tol,
                      boolean relative) {
        Tensor e = Tensors.fromHost(expected).to(torch.ScalarType.Double);
        Tensor a = actual.detach().to(torch.ScalarType.Double).reshape(expected.shape());
        double err = a.sub(e).abs().max().item_double();
        if (relative) {
            err /= Math.max(e.abs().max().item_double(), 1e-30);
        }
        if (!(err <= tol)) {
            failures.put(name, err + " (max ours " + a.abs().max().item_double() + ", ref " + e.abs().max().item_double() + ")");
        }
    }

    @Test
    void everyIntermediateLossGradientAndStatisticMatchesTheOriginal() {
        Safetensors.Contents io = Safetensors.read(SharedData.require("fixtures/lovt-heads/io.safetensors"));
        Map<String, HostTensor> params = Safetensors.read(SharedData.require("fixtures/lovt-heads/params.safetensors"))
                .tensors();
        Map<String, String> failures = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            long da = io.tensor("input.yl_a").shape()[2];
            long db = io.tensor("input.yl_b").shape()[2];
            long hidden = params.get("model_a.project_local.norm.weight").shape()[0];
            long dz = params.get("ll_attention.key_projection.weight").shape()[0];
            Heads m = new Heads(da, db, hidden, dz);
            StateDict.fromHost(params).loadInto(m, true);
            m.train(true);
            Tensor ylA = Tensors.fromHost(io.tensor("input.yl_a")).requires_grad_(true);
            Tensor ylB = Tensors.fromHost(io.tensor("input.yl_b")).requires_grad_(true);
            Tensor mask = Tensors.fromHost(io.tensor("input.sentence_mask")).to(torch.ScalarType.Bool);

            AttentionPool.Output pa = m.a.pool.forward(ylA, null);
            AttentionPool.Output pb = m.b.pool.forward(ylB, mask);
            Tensor zlA = m.a.local.forward(ylA);
            Tensor zgA = m.a.global.forward(pa.pooled());
            Tensor zlB = m.b.local.forward(ylB);
            Tensor zgB = m.b.global.forward(pb.pooled());
            CrossAttention.Output c = m.cross.forward(zlA, zlB, mask);
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("yg_a", pa.pooled());
            out.put("weights_a", pa.weights());
            out.put("yg_b", pb.pooled());
            out.put("weights_b", pb.weights());
            out.put("zl_a", zlA);
            out.put("zg_a", zgA);
            out.put("zl_b", zlB);
            out.put("zg_b", zgB);
            out.put("zl_b2a", c.b2a());
            out.put("zl_a2b", c.a2b());
            out.put("attention_probs_b2a", c.probsB2a());
            out.put("attention_probs_a2b", c.probsA2b());
            out.forEach((k, v) -> {
                if (io.tensors().containsKey(k)) {
                    check(failures, k, v, io.tensor(k), 1e-4, true);
                }
            });

            LocalIntraSampleContrastiveLoss scanLoss = new LocalIntraSampleContrastiveLoss(0.3, 0.5, true, true, 1.0);
            LocalIntraSampleContrastiveLoss reportLoss = new LocalIntraSampleContrastiveLoss(0.3, 0, false, false, 1);
            check(failures, "pos_weights_a", Tensors.floats(scanLoss.positiveWeights(7, 7), 49, 49),
                    io.tensor("pos_weights_a"), 1e-6, false);
            GlobalNceLoss.Result g = new GlobalNceLoss(0.1).compute(zgA, zgB);
            LocalIntraSampleContrastiveLoss.Result la = scanLoss.compute(zlA, c.b2a(), null, pa.weights().detach(),
                    7, 7);
            LocalIntraSampleContrastiveLoss.Result lb = reportLoss.compute(zlB, c.a2b(), mask, pb.weights().detach(),
                    (int) zlB.size(1));
            Map<String, Tensor> losses = new LinkedHashMap<>();
            losses.put("global_a2b", g.a2b());
            losses.put("global_b2a", g.b2a());
            losses.put("local_a_l2att", la.l2att());
            losses.put("local_a_att2l", la.att2l());
            losses.put("local_b_l2att", lb.l2att());
            losses.put("local_b_att2l", lb.att2l());
            losses.forEach((k, v) -> check(failures, "loss." + k, v, io.tensor("loss." + k), 1e-5, false));
            check(failures, "metric.global_a2b_top_1_acc", g.a2bTop1(), io.tensor("metric.global_a2b_top_1_acc"),
                    1e-6, false);
            check(failures, "metric.global_b2a_top_1_acc", g.b2aTop1(), io.tensor("metric.global_b2a_top_1_acc"),
                    1e-6, false);
            Tensor total = g.a2b().mul(new Scalar(0.75)).add(g.b2a().mul(new Scalar(0.25)))
                    .add(la.l2att().add(la.att2l()).add(lb.l2att()).add(lb.att2l()).mul(new Scalar(0.375)));
            check(failures, "total_loss", total, io.tensor("total_loss"), 1e-5, false);
            total.backward();
            check(failures, "grad.yl_a", ylA.grad(), io.tensor("grad.yl_a"), 1e-4, true);
            check(failures, "grad.yl_b", ylB.grad(), io.tensor("grad.yl_b"), 1e-4, true);
            StateDict sd = StateDict.of(m);
            // Biases directly before a BatchNorm have analytically zero gradients; their reference values are
            // float noise (1e-9..2e-5 against gradients up to 3.9), so they are compared with the file's largest
            // gradient as the scale instead of their own maximum.
            double largest = 0;
            for (String name : io.tensors().keySet()) {
                if (name.startsWith("grad.")) {
                    largest = Math.max(largest, Tensors.fromHost(io.tensor(name)).abs().max().item_double());
                }
            }
            for (String name : io.tensors().keySet()) {
                if (name.startsWith("grad.model_") || name.startsWith("grad.ll_")) {
                    Tensor ours = sd.get(name.substring(5)).grad();
                    double refMax = Tensors.fromHost(io.tensor(name)).abs().max().item_double();
                    if (refMax < 1e-4 * largest) {
                        double err = ours.sub(Tensors.fromHost(io.tensor(name))).abs().max().item_double();
                        if (!(err <= 1e-4 * largest)) {
                            failures.put(name, "numerically-zero gradient differs by " + err);
                        }
                    } else {
                        check(failures, name, ours, io.tensor(name), 1e-4, true);
                    }
                } else if (name.startsWith("after_train.")) {
                    check(failures, name, sd.get(name.substring(12)), io.tensor(name), 1e-4, true);
                }
            }
        }
        assertTrue(failures.isEmpty(), "outside tolerance: " + failures);
    }
}
