package org.lovt.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.model.LovtModel;
import org.lovt.model.ReportEncoder;
import org.lovt.model.ScanEncoder;
import org.lovt.text.BertModel;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.torch.Precision;
import org.lovt.torch.Scope;
import org.lovt.train.Experiments;
import org.lovt.train.PreTrainExperimentConfig;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Training steps on a CUDA GPU at batch sizes that fill a modern card, in float32 and with mixed precision
 * ({@code amp}: float16 autocast with loss scaling, the original's setting): ResNet-50 (batch 64, 224², SGD step),
 * BERT-base (32 × 128 tokens, SGD step) and a full LoVT_100 step (ResNet-50 + BERT-base, batch 32, all of LoVT's
 * heads and losses, SGD step), next to the card's float32 and float16 matmul rates (8192²). {@link #main} runs them
 * and prints images/s (sequences/s) and each step's fraction of the matching matmul rate.
 *
 * <p>Needs the GPU build: {@code mvn -Pgpu install -DskipTests} in the project, then {@code benchmarks/run.sh --gpu}
 * (README "GPU"). The development machines of this project have no GPU: these benchmarks compile there but have not
 * been run by the project; on a machine without CUDA the setup stops with a message saying so.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 15)
public class GpuSteps {
    public static final int MATMUL_N = 8192;
    public static final int RESNET_BATCH = 64;
    public static final int BERT_BATCH = 32;
    public static final int LOVT_BATCH = 32;
    public static final int IMAGE = 224;
    public static final int TOKENS = 128;

    @Param({"fp32", "amp"})
    public String precision;

    private Device cuda;
    private Precision amp;
    private Tensor a;
    private Tensor b;
    private ResNet resnet;
    private SGD resnetSgd;
    private Tensor images;
    private BertModel bert;
    private SGD bertSgd;
    private Tensor ids;
    private Tensor mask;
    private LovtModel lovt;
    private SGD lovtSgd;
    private Tensor lovtImages;
    private ReportBatch reports;

    @Setup
    public void setup() {
        Natives.load();
        if (!Devices.cudaAvailable()) {
            throw new IllegalStateException("GpuSteps needs a CUDA device and the GPU build (mvn -Pgpu); none is "
                    + "usable here (lovt doctor tells why)");
        }
        cuda = new Device("cuda");
        amp = precision.equals("amp") ? Precision.of(Precision.Mode.FP16, true) : Precision.fp32();
        torch.manual_seed(0);
        a = torch.randn(MATMUL_N, MATMUL_N).to(cuda, torch.ScalarType.Float);
        b = torch.randn(MATMUL_N, MATMUL_N).to(cuda, torch.ScalarType.Float);
        resnet = new ResNet(ResNetConfig.resnet50(1000));
        resnet.to(cuda, false);
        resnetSgd = new SGD(resnet.parameters(), new SGDOptions(0.01));
        images = torch.randn(RESNET_BATCH, 3, IMAGE, IMAGE).to(cuda, torch.ScalarType.Float);
        bert = new BertModel(ModelSteps.bertBase());
        bert.to(cuda, false);
        bertSgd = new SGD(bert.parameters(), new SGDOptions(0.01));
        ids = torch.randint(1000, 20000, new long[] {BERT_BATCH, TOKENS}).to(cuda, torch.ScalarType.Long);
        mask = torch.ones(BERT_BATCH, TOKENS).to(cuda, torch.ScalarType.Long);
        PreTrainExperimentConfig e = Experiments.load(Optional.empty(), Experiments.TRAIN_REPRESENTATION,
                List.of("+experiment=LoVT_100", "pretrain_model.encoder_b.freeze_encoder_layers=0",
                        "pretrain_model.encoder_b.freeze_embeddings=false"))
                .bind(PreTrainExperimentConfig.class);
        var c = e.pretrainModel();
        lovt = new LovtModel(c, new ScanEncoder(c.encoderA(), ResNetConfig.resnet50(0)),
                new ReportEncoder(c.encoderB(), ModelSteps.bertBase()));
        lovt.to(cuda, false);
        lovtSgd = new SGD(lovt.parameters(), new SGDOptions(0.01));
        lovtImages = torch.randn(LOVT_BATCH, 3, IMAGE, IMAGE).to(cuda, torch.ScalarType.Float);
        reports = syntheticReports(LOVT_BATCH).to(cuda);
    }

    /** Reports of 8 sentences of 12 words each from a small vocabulary (the token ids are what matters). */
    static ReportBatch syntheticReports(int n) {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "."));
        for (int i = 0; i < 200; i++) {
            vocab.add("w" + i);
        }
        try (WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(vocab, true, "synthetic")) {
            List<List<String>> out = new ArrayList<>();
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
            for (int r = 0; r < n; r++) {
                List<String> sentences = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    StringBuilder b = new StringBuilder();
                    for (int w = 0; w < 12; w++) {
                        b.append('w').append(rnd.nextInt(200)).append(' ');
                    }
                    sentences.add(b.toString().strip() + ".");
                }
                out.add(sentences);
            }
            return new ReportPacker(tok, 128).pack(out);
        }
    }

    @Benchmark
    public double matmul() {
        try (Scope s = Scope.open(); Precision.Autocast ac = amp.autocast()) {
            return a.matmul(b).sum().item_double();
        }
    }

    @Benchmark
    public double resnet50TrainStep() {
        return step(resnetSgd, resnet.parameters(), () -> resnet.forward(images).pow(new Scalar(2.0)).mean());
    }

    @Benchmark
    public double bertBaseTrainStep() {
        return step(bertSgd, bert.parameters(),
                () -> bert.forward(ids, mask).lastHiddenState().pow(new Scalar(2.0)).mean());
    }

    @Benchmark
    public double lovtTrainStep() {
        return step(lovtSgd, lovt.parameters(), () -> lovt.forward(lovtImages, reports).totalLoss());
    }

    /** Forward under autocast, scaled backward, unscale + skip check, SGD step; synchronises via the loss value. */
    private double step(SGD sgd, org.bytedeco.pytorch.TensorVector params, java.util.function.Supplier<Tensor> forward) {
        try (Scope s = Scope.open()) {
            Tensor loss;
            try (Precision.Autocast ac = amp.autocast()) {
                loss = forward.get();
            }
            amp.scaleLoss(loss).backward();
            boolean finite = amp.unscaleAndCheck(params);
            if (finite) {
                sgd.step();
            }
            amp.update(!finite);
            sgd.zero_grad();
            return loss.item_double();
        }
    }

    /** Runs the benchmarks and prints throughput and fractions of the matmul rates. */
    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(GpuSteps.class.getSimpleName())
                .build()).run();
        Map<String, Double> ms = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ms.put(name.substring(name.lastIndexOf('.') + 1) + "/" + r.getParams().getParam("precision"),
                    r.getPrimaryResult().getScore());
        }
        ResNetConfig r50 = ResNetConfig.resnet50(1000);
        double resnetFlops = 3 * RESNET_BATCH * Flops.resnetForward(r50, IMAGE, IMAGE);
        double bertFlops = 3 * BERT_BATCH * Flops.bertForward(ModelSteps.bertBase(), TOKENS);
        double lovtFlops = 3 * LOVT_BATCH * (Flops.resnetForward(r50, IMAGE, IMAGE)
                + Flops.bertForward(ModelSteps.bertBase(), TOKENS)); // the heads and losses are small beside these
        for (String p : new String[] {"fp32", "amp"}) {
            Double mm = ms.get("matmul/" + p);
            double peak = mm == null ? Double.NaN : 2.0 * MATMUL_N * MATMUL_N * MATMUL_N / (mm / 1e3);
            System.out.printf("%ngpu %s: matmul %dx%d %.1f TFLOP/s%n", p, MATMUL_N, MATMUL_N, peak / 1e12);
            line("resnet50TrainStep", p, ms, RESNET_BATCH, "images", resnetFlops, peak);
            line("bertBaseTrainStep", p, ms, BERT_BATCH, "sequences", bertFlops, peak);
            line("lovtTrainStep", p, ms, LOVT_BATCH, "image-report pairs", lovtFlops, peak);
        }
    }

    private static void line(String bench, String p, Map<String, Double> ms, int batch, String unit, double flops,
                             double peak) {
        Double t = ms.get(bench + "/" + p);
        if (t == null) {
            return;
        }
        System.out.printf("gpu %s %s: %.1f ms per step, %.0f %s/s, fraction of %s matmul peak = %.2f%n", bench, p, t,
                batch / (t / 1e3), unit, p, flops / (t / 1e3) / peak);
    }
}
