package org.lovt.bench;

import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ResNet-50 (torchvision's) as the project runs it ({@code ours}: {@code org.lovt.vision.ResNet}) and composed
 * directly on the bindings ({@code raw}: {@link RawResNet50}): a training step (batch 8, 224², fp32, loss = mean of
 * squared outputs, backward, SGD lr 0.01) and an inference forward (eval mode, no grad) — the same work as the DJL
 * peer ({@code benchmarks/peers}, {@code DjlResNet50}). {@code benchmarks/run.sh} prints the ratios.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 15)
public class ResNetSteps {
    public static final int BATCH = 8;
    public static final int IMAGE = 224;

    @Param({"ours", "raw"})
    public String impl;

    private Module net;
    private java.util.function.Function<Tensor, Tensor> forward;
    private SGD sgd;
    private Tensor images;

    @Setup
    public void setup() {
        Natives.load();
        // libtorch's own choice unless -Dbench.threads=N (libtorch 2.10 picks 1 intra-op thread on the 2-vCPU
        // development VM, DJL's libtorch 2.7.1 picks 2: README "Benchmarks").
        int threads = Integer.getInteger("bench.threads", 0);
        if (threads > 0) {
            torch.set_num_threads(threads);
        }
        torch.manual_seed(0);
        if (impl.equals("ours")) {
            ResNet r = new ResNet(ResNetConfig.resnet50(1000));
            net = r;
            forward = r::forward;
        } else {
            RawResNet50 r = new RawResNet50();
            net = r;
            forward = r::forward;
        }
        sgd = new SGD(net.parameters(), new SGDOptions(0.01));
        images = torch.randn(BATCH, 3, IMAGE, IMAGE);
    }

    /** The project's step scope, or JavaCPP's own for the raw composition. */
    private AutoCloseable scope() {
        return impl.equals("ours") ? Scope.open() : new PointerScope();
    }

    @Benchmark
    public double resnet50TrainStep() throws Exception {
        try (AutoCloseable s = scope()) {
            net.train(true);
            sgd.zero_grad(true);
            Tensor loss = forward.apply(images).pow(new Scalar(2.0)).mean();
            loss.backward();
            sgd.step();
            return loss.item_double();
        }
    }

    @Benchmark
    public double resnet50Inference() throws Exception {
        try (AutoCloseable s = scope(); NoGradGuard g = new NoGradGuard()) {
            net.train(false);
            return forward.apply(images).sum().item_double();
        }
    }
}
