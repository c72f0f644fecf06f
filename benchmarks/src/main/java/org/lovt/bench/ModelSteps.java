package org.lovt.bench;

import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.text.BertConfig;
import org.lovt.text.BertModel;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training-step throughput of the backbones next to the machine's fp32 matmul peak, all in one JMH run: a
 * ResNet-50 forward+backward on 8×3×224×224 and a BERT-base forward+backward on 8×128 tokens (every parameter
 * trainable, loss = mean of squared outputs, no optimizer step), on the default device (CPU here).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 15)
public class ModelSteps {
    /** Side of the square matrices of the peak probe. */
    public static final int MATMUL_N = 2048;
    public static final int BATCH = 8;
    public static final int IMAGE = 224;
    public static final int TOKENS = 128;

    private Tensor a;
    private Tensor b;
    private ResNet resnet;
    private Tensor images;
    private BertModel bert;
    private Tensor ids;
    private Tensor mask;

    /** BERT-base (Bio_ClinicalBERT's architecture). */
    public static BertConfig bertBase() {
        return new BertConfig(28996, 768, 12, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0);
    }

    @Setup
    public void setup() {
        Natives.load();
        torch.manual_seed(0);
        a = torch.randn(MATMUL_N, MATMUL_N);
        b = torch.randn(MATMUL_N, MATMUL_N);
        resnet = new ResNet(ResNetConfig.resnet50(1000));
        resnet.train(true);
        images = torch.randn(BATCH, 3, IMAGE, IMAGE);
        bert = new BertModel(bertBase());
        bert.train(true);
        ids = torch.randint(1000, 20000, new long[] {BATCH, TOKENS});
        mask = torch.ones(BATCH, TOKENS).to(torch.ScalarType.Long);
    }

    @Benchmark
    public double matmulFp32() {
        try (Scope s = Scope.open()) {
            return a.matmul(b).sum().item_double();
        }
    }

    @Benchmark
    public double resnet50TrainStep() {
        try (Scope s = Scope.open()) {
            Tensor loss = resnet.forward(images).pow(new Scalar(2.0)).mean();
            loss.backward();
            resnet.zero_grad(true);
            return loss.item_double();
        }
    }

    @Benchmark
    public double bertBaseTrainStep() {
        try (Scope s = Scope.open()) {
            Tensor loss = bert.forward(ids, mask).lastHiddenState().pow(new Scalar(2.0)).mean();
            loss.backward();
            bert.zero_grad(true);
            return loss.item_double();
        }
    }
}
