package org.lovt.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.data.PretrainingBatch;
import org.lovt.model.AttentionStatistics;
import org.lovt.model.EmbeddingCollector;
import org.lovt.model.LocalRetrievalMetrics;
import org.lovt.model.LovtModel;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;
import org.lovt.torch.dist.GradientSync;

/**
 * LoVT pre-training as a {@link TrainTask}: the model's forward pass and losses on a scan-report batch, and the
 * validation the original logs (spec lovt-model §4.8): means over samples of every loss and metric, the local
 * retrieval metrics, the attention statistics and the online probes' scores.
 */
final class PretrainTask implements TrainTask<PretrainingBatch> {
    private final LovtModel model;
    private final ReportPacker packer;
    private final BatchSource<PretrainingBatch> validation;
    private final Device device;
    private final long seed;
    private final OnlineProbes probes;
    private GradientSync sync;
    private org.lovt.torch.Precision precision = org.lovt.torch.Precision.fp32();

    PretrainTask(LovtModel model, ReportPacker packer, BatchSource<PretrainingBatch> validation, Device device,
                 long seed, OnlineProbes probes) {
        this.model = model;
        this.packer = packer;
        this.validation = validation;
        this.device = device;
        this.seed = seed;
        this.probes = probes;
    }

    /** Mixed precision of the training steps (the trainer unscales and steps; see {@code Trainer.Settings}). */
    void precision(org.lovt.torch.Precision p) {
        this.precision = p;
    }

    /** Averages the gradients over the ranks of a data-parallel job from now on. */
    void distributed(GradientSync s) {
        this.sync = s;
    }

    @Override
    public Module module() {
        return model;
    }

    @Override
    public int size(PretrainingBatch batch) {
        return batch.size();
    }

    /** Forward, loss / accumulate, backward; libtorch's generator is re-seeded from (seed, batch counter) first. */
    @Override
    public Map<String, Double> trainStep(PretrainingBatch batch, long microStep, int accumulate) {
        try (Scope s = Scope.open()) {
            Seeds.manualSeed(seed * 1_000_003L + microStep);
            if (sync != null) {
                sync.beforeForward();
            }
            LovtModel.Output out;
            try (org.lovt.torch.Precision.Autocast autocast = precision.autocast()) {
                out = forward(batch);
            }
            Map<String, Double> values = values(out);
            if (Double.isFinite(values.get("total_loss"))) {
                Tensor loss = precision.scaleLoss(out.totalLoss().div(new Scalar((double) accumulate)));
                if (sync != null) {
                    // Every micro-step is averaged (accumulated gradients stay equal on all ranks, so the sum of
                    // the averages is the average of the sums); DDP's no_sync would save the extra all-reduces.
                    sync.backward(loss);
                } else {
                    loss.backward();
                }
            }
            return values;
        }
    }

    private LovtModel.Output forward(PretrainingBatch batch) {
        Tensor scans = Tensors.fromHost(batch.scans()).to(device, torch.ScalarType.Float);
        ReportBatch reports = packer.pack(batch.sentences());
        return model.forward(scans, reports.to(device));
    }

    private static Map<String, Double> values(LovtModel.Output out) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("total_loss", out.totalLoss().item_double());
        out.losses().forEach((k, t) -> v.put(k + "_loss", t.item_double()));
        out.metrics().forEach((k, t) -> v.put(k, t.item_double()));
        return v;
    }

    @Override
    public Map<String, Double> validate() {
        if (sync != null) {
            sync.syncBuffers(); // every rank validates rank 0's model, so all take the same decisions
        }
        model.eval();
        Map<String, Double> sums = new LinkedHashMap<>();
        long count = 0;
        Map<String, LocalRetrievalMetrics> retrieval = new LinkedHashMap<>();
        for (String k : new String[] {"a_l2att_", "a_att2l_", "b_l2att_", "b_att2l_"}) {
            retrieval.put(k, new LocalRetrievalMetrics());
        }
        AttentionStatistics attention = new AttentionStatistics();
        EmbeddingCollector embeddings = new EmbeddingCollector(false);   // the original's compute_cov=False
        int[] batchSize = {0};
        try (NoGradGuard g = new NoGradGuard()) {
            var it = validation.epoch(0, 0);
            try {
                while (it.hasNext()) {
                    PretrainingBatch batch = it.next();
                    batchSize[0] = Math.max(batchSize[0], batch.size());
                    count += validateBatch(batch, sums, retrieval, attention, embeddings);
                }
            } finally {
                BatchSource.stop(it);
            }
        } finally {
            model.train(true);
        }
        if (count == 0) {
            throw new LovtException("the validation split is empty");
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        long c = count;
        sums.forEach((k, v) -> mean.put(k, v / c));
        retrieval.forEach((prefix, r) -> mean.putAll(r.compute(prefix)));
        mean.putAll(attention.compute());
        if (embeddings.size() >= 2) {
            mean.putAll(embeddings.compute(batchSize[0]));
        }
        probes.computeValidation(mean);
        if (!retrieval.get("a_l2att_").compute("").isEmpty()) {
            mean.put("a_avg_local_size", retrieval.get("a_l2att_").averageLocalSize());
        }
        if (!retrieval.get("b_l2att_").compute("").isEmpty()) {
            mean.put("b_avg_local_size", retrieval.get("b_l2att_").averageLocalSize());
        }
        return mean;
    }

    /** One validation batch: adds its losses (weighted by size), retrieval metrics and probe scores. */
    private int validateBatch(PretrainingBatch batch, Map<String, Double> sums,
                              Map<String, LocalRetrievalMetrics> retrieval, AttentionStatistics attention,
                              EmbeddingCollector embeddings) {
        try (Scope s = Scope.open()) {
            LovtModel.Output out = forward(batch);
            values(out).forEach((k, v) -> sums.merge(k, v * batch.size(), Double::sum));
            embeddings.add(out);
            if (batch.chexpert() != null && !probes.isEmpty()) {
                Tensor labels = Tensors.fromHost(batch.chexpert()).to(device, torch.ScalarType.Float);
                probes.validationStep(out.a(), out.b(), labels);
            }
            if (out.attention() != null && out.attention().b2a() != null) {
                Tensor zl = out.projA().zl();
                Tensor att = out.attention().b2a();
                retrieval.get("a_l2att_").update(zl, att, null, out.a().weights());
                retrieval.get("a_att2l_").update(att, zl, null, out.a().weights());
            }
            if (out.attention() != null && out.attention().a2b() != null) {
                Tensor zl = out.projB().zl();
                Tensor att = out.attention().a2b();
                retrieval.get("b_l2att_").update(zl, att, out.b().mask(), out.b().weights());
                retrieval.get("b_att2l_").update(att, zl, out.b().mask(), out.b().weights());
            }
            if (out.attention() != null) {
                attention.update(out.attention().b2a() != null ? out.attention().probsB2a() : null,
                        out.attention().a2b() != null ? out.attention().probsA2b() : null, out.a().mask(),
                        out.b().mask());
            }
            return batch.size();
        }
    }
}
