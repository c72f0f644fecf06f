package org.lovt.torch.dist;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.lovt.LovtException;
import org.lovt.torch.Scope;

/**
 * One rank of the two-process test ({@code DataParallelTest}): joins the job from the torchrun variables, trains
 * {@link TwoLayerNet} for {@code steps} steps on its shard of each epoch, and writes every step's averaged gradient
 * and updated parameters (as float bits) to {@code args[0]}. With {@code args[2] = "stall"} it stops after the
 * first step and waits to be killed. A failed collective prints its message and exits with status 3.
 */
public final class DataParallelChild {
    private DataParallelChild() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        boolean stall = args.length > 2 && args[2].equals("stall");
        DistributedEnv env = DistributedEnv.fromEnvironment().orElseThrow();
        try (DistributedGroup group = DistributedGroup.gloo(env, Duration.ofSeconds(20));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            TwoLayerNet net = new TwoLayerNet(100 + env.rank()); // different on purpose: rank 0's must win
            GradientSync sync = new GradientSync(group, net.parameters(), new TensorVector());
            SGD sgd = new SGD(net.parameters(), new SGDOptions(0.1));
            w.println("init " + bits(TwoLayerNet.flat(net.parameters(), false)));
            for (int step = 0; step < steps; step++) {
                int[] shard = DistributedShards.indices(TwoLayerNet.SAMPLES, env.rank(), env.worldSize(), 7, step,
                        true, false);
                try (Scope s = Scope.open()) {
                    sgd.zero_grad();
                    sync.beforeForward();
                    Tensor loss = net.loss(shard);
                    sync.backward(loss);
                    w.println("grad " + step + " " + bits(TwoLayerNet.flat(net.parameters(), true)));
                    sgd.step();
                    w.println("param " + step + " " + bits(TwoLayerNet.flat(net.parameters(), false)));
                    w.flush();
                }
                if (stall) {
                    w.println("stalled");
                    w.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            double[] mean = group.meanOverRanks(new double[] {env.rank(), 10.0 * env.rank()});
            w.println("metric-mean " + mean[0] + " " + mean[1]);
        } catch (LovtException e) {
            System.out.println("FAILED " + e.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        Runtime.getRuntime().halt(0); // libtorch's store threads must not keep a finished rank alive
    }

    private static String bits(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) {
            b.append(Integer.toHexString(Float.floatToRawIntBits(f))).append(',');
        }
        return b.toString();
    }
}
