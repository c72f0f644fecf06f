package org.lovt.train;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.lovt.LovtException;
import org.lovt.text.ReportPacker;
import org.lovt.torch.dist.DistributedEnv;
import org.lovt.torch.dist.DistributedGroup;

/**
 * One rank of {@code DistributedPretrainTest}: the tiny LoVT of {@link PretrainerTest} (a different initialisation
 * and different training batches on each rank, gradient accumulation 2, BatchNorm in training mode) trained for one
 * epoch with {@link Pretrainer.Options#withDistributed}; after every batch it writes a SHA-256 of all parameters and
 * the batch's loss to {@code args[1]}, at the end one of the buffers (BatchNorm statistics, synchronised before the
 * validation) and the validation loss. Run folder {@code args[0]}.
 */
public final class DistributedPretrainChild {
    private DistributedPretrainChild() {}

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        DistributedEnv env = DistributedEnv.fromEnvironment().orElseThrow();
        PretrainerTest.tokenizer();
        try (DistributedGroup group = DistributedGroup.gloo(env, Duration.ofSeconds(60));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            PreTrainExperimentConfig e = PretrainerTest.experiment();
            Pretrainer.Options o = new Pretrainer.Options(1, Long.MAX_VALUE, 0, 1,
                    new PrintStream(new ByteArrayOutputStream())).withDistributed(group);
            Pretrainer p = new Pretrainer(e, PretrainerTest.tinyModel(e, 3 + env.rank()),
                    new ReportPacker(PretrainerTest.tok, 64), new SyntheticBatches(e.seed() + 100 * env.rank(), 4, 4,
                    32), new SyntheticBatches(e.seed() + 1, 2, 4, 32), runDir, new Device("cpu"), o);
            Module[] model = new Module[1];
            p.addListener(new TrainListener<Object>() {
                @Override
                public void onFitStart(Fit fit) {
                    w.println("start");
                }

                @Override
                public void onTrainBatchEnd(Fit fit, BatchEnd end) {
                    w.println("batch " + end.batch() + " " + digest(model[0].parameters(true)) + " loss "
                            + end.metrics().get("total_loss"));
                    w.flush();
                }
            });
            model[0] = p.module();
            Pretrainer.Result r = p.fit();
            w.println("buffers " + digest(model[0].buffers(true)));
            w.println("validation " + r.lastValidation().get("total_loss"));
        } catch (LovtException ex) {
            System.out.println("FAILED " + ex.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        Runtime.getRuntime().halt(0);
    }

    /** SHA-256 over the tensors (as doubles, exact for float32 and small int64), in order. */
    static String digest(TensorVector... vectors) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (TensorVector v : vectors) {
                for (long i = 0; i < v.size(); i++) {
                    Tensor t = v.get(i).to(org.bytedeco.pytorch.global.torch.ScalarType.Double).contiguous();
                    double[] values = new double[(int) t.numel()];
                    t.data_ptr_double().get(values);
                    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asDoubleBuffer().put(values);
                    d.update(b.array());
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
