package org.lovt.train;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.data.PretrainingBatch;
import org.lovt.model.LovtModel;
import org.lovt.text.ReportPacker;
import org.lovt.torch.Tensors;
import org.lovt.torch.dist.DistributedEnv;
import org.lovt.torch.dist.DistributedGroup;
import org.lovt.torch.dist.GradientSync;

/**
 * One rank of the global-batch gradient check ({@code DistributedPretrainTest}): the tiny LoVT in eval mode (no
 * dropout, BatchNorm from its running statistics: nothing couples samples except the global contrastive loss),
 * global embeddings gathered from both ranks, one forward/backward on this rank's 4 samples; writes the averaged
 * gradient (float bits) to {@code args[0]}. {@code args[1] = "local"} leaves the gather out.
 */
public final class GlobalBatchGradientChild {
    private GlobalBatchGradientChild() {}

    /** The batch of rank {@code rank}: 4 synthetic samples of its own. */
    static PretrainingBatch batch(int rank) {
        return new SyntheticBatches(11 + rank, 1, 4, 32).epoch(0, 0).next();
    }

    /** Loss of a batch given as its parts, forward and backward as the pre-training step does. */
    static Tensor loss(LovtModel model, List<PretrainingBatch> parts) {
        List<Tensor> scans = new ArrayList<>();
        List<List<String>> sentences = new ArrayList<>();
        for (PretrainingBatch b : parts) {
            scans.add(Tensors.fromHost(b.scans()));
            sentences.addAll(b.sentences());
        }
        TensorVector v = new TensorVector(scans.toArray(Tensor[]::new));
        return model.forward(torch.cat(v, 0), new ReportPacker(PretrainerTest.tok, 64).pack(sentences)).totalLoss();
    }

    static LovtModel model() {
        PretrainerTest.tokenizer();
        LovtModel m = PretrainerTest.tinyModel(PretrainerTest.experiment("trainer.accumulate_grad_batches=1"), 3);
        m.eval();
        return m;
    }

    static TensorVector trainable(LovtModel m) {
        TensorVector out = new TensorVector();
        TensorVector all = m.parameters(true);
        for (long i = 0; i < all.size(); i++) {
            if (all.get(i).requires_grad()) {
                out.push_back(all.get(i));
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        boolean local = args.length > 1 && args[1].equals("local");
        DistributedEnv env = DistributedEnv.fromEnvironment().orElseThrow();
        try (DistributedGroup group = DistributedGroup.gloo(env, Duration.ofSeconds(60));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[0])))) {
            LovtModel m = model();
            GradientSync sync = new GradientSync(group, m.parameters(true), m.buffers(true));
            if (!local) {
                m.gatherGlobal(Pretrainer.gatherOver(group));
            }
            sync.beforeForward();
            sync.backward(loss(m, List.of(batch(env.rank()))));
            StringBuilder b = new StringBuilder();
            TensorVector params = trainable(m);
            for (long i = 0; i < params.size(); i++) {
                Tensor g = params.get(i).grad();
                float[] values = new float[(int) params.get(i).numel()];
                if (g.defined()) {
                    g.contiguous().data_ptr_float().get(values);
                }
                for (float f : values) {
                    b.append(Integer.toHexString(Float.floatToRawIntBits(f))).append(',');
                }
            }
            w.println(b);
        } catch (LovtException ex) {
            System.out.println("FAILED " + ex.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        Runtime.getRuntime().halt(0);
    }
}
