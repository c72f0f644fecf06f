package org.lovt.bench;

import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.model.objectives.GlobalNceLoss;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.nn.AttentionPool;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
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
 * The TorchScript graphs of {@code native/lovt.torchscript} against the same math composed op by op from Java
 * (JNI call per op), forward + backward at LoVT's sizes: B = 32, 49 regions, d_z = 512 (losses), d = 2048 (scan
 * attention pool). The Java versions exist only here, as the comparison; setup checks both agree.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class GraphsVsJava {
    private static final LocalIntraSampleContrastiveLoss LOCAL =
            new LocalIntraSampleContrastiveLoss(0.3, 0.5, true, true, 1.0);
    private static final GlobalNceLoss GLOBAL = new GlobalNceLoss(0.1);

    private Tensor zl;
    private Tensor zlAtt;
    private Tensor weights;
    private Tensor pos;
    private Tensor zgA;
    private Tensor zgB;
    private AttentionPool pool;
    private Tensor regions;

    /** TorchScript's graph executor optimisations (profiling, fusion): on by default in libtorch. */
    @Param({"true", "false"})
    public boolean optimize;

    @Setup
    public void setup() {
        Natives.load();
        torch.setGraphExecutorOptimize(optimize);
        torch.manual_seed(0);
        zl = torch.randn(32, 49, 512).requires_grad_(true);
        zlAtt = torch.randn(32, 49, 512).requires_grad_(true);
        weights = torch.rand(32, 49);
        pos = Tensors.floats(LOCAL.positiveWeights(7, 7), 49, 49);
        zgA = torch.randn(32, 512).requires_grad_(true);
        zgB = torch.randn(32, 512).requires_grad_(true);
        pool = new AttentionPool(2048, 8);
        regions = torch.randn(32, 49, 2048).relu().requires_grad_(true);
        try (Scope s = Scope.open()) {
            check("local l2att", LOCAL.compute(zl, zlAtt, null, weights, 7, 7).l2att(), javaLocal()[0]);
            check("global a2b", GLOBAL.compute(zgA, zgB).a2b(), javaGlobal()[0]);
            check("pool", pool.forward(regions, null).pooled(), javaPool());
        }
    }

    private static void check(String what, Tensor graph, Tensor java) {
        double d = graph.sub(java).abs().max().item_double();
        if (!(d < 1e-4)) {
            throw new IllegalStateException(what + ": graph and Java versions differ by " + d);
        }
    }

    private static Tensor normalize(Tensor x) {
        return x.div(torch.clamp_min(x.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)),
                new long[] {-1}, true), new Scalar(1e-12)));
    }

    /** The local loss op by op (no mask). */
    private Tensor[] javaLocal() {
        Tensor s = normalize(zl).matmul(normalize(zlAtt).transpose(1, 2)).div(new Scalar(0.3));     // (B, N, N)
        Tensor pi = pos.unsqueeze(0).expand(new long[] {32, 49, 49});
        pi = pi.div(torch.clamp_min(pi.sum(new long[] {2}, true, new org.bytedeco.pytorch.ScalarTypeOptional()),
                new Scalar(1e-12)));
        Tensor st = s.transpose(1, 2);
        Tensor l2att = torch.logsumexp(s, new long[] {2}, false).sub(pi.mul(s).sum(new long[] {2}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional()));
        Tensor att2l = torch.logsumexp(st, new long[] {2}, false).sub(pi.mul(st).sum(new long[] {2}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional()));
        Tensor w = weights.div(weights.sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
        return new Tensor[] {w.mul(l2att).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .mean(), w.mul(att2l).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).mean()};
    }

    private Tensor[] javaGlobal() {
        Tensor s = normalize(zgA).matmul(normalize(zgB).t()).div(new Scalar(0.1));
        Tensor pos = torch.diagonal(s);
        return new Tensor[] {torch.logsumexp(s, new long[] {1}, false).sub(pos).mean(),
                torch.logsumexp(s, new long[] {0}, false).sub(pos).mean()};
    }

    private Tensor javaPool() {
        var params = pool.named_parameters(true);
        Tensor inW = params.get("attention.in_proj_weight");
        Tensor inB = params.get("attention.in_proj_bias");
        Tensor outW = params.get("attention.out_proj.weight");
        Tensor outB = params.get("attention.out_proj.bias");
        long b = 32, n = 49, d = 2048, h = 8, hd = 256;
        Tensor q = regions.mean(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor wq = inW.narrow(0, 0, d), wk = inW.narrow(0, d, d), wv = inW.narrow(0, 2 * d, d);
        Tensor bq = inB.narrow(0, 0, d), bk = inB.narrow(0, d, d), bv = inB.narrow(0, 2 * d, d);
        q = torch.linear(q, wq, new org.bytedeco.pytorch.TensorOptional(bq)).mul(new Scalar(1.0 / Math.sqrt(hd)));
        Tensor k = torch.linear(regions, wk, new org.bytedeco.pytorch.TensorOptional(bk));
        Tensor v = torch.linear(regions, wv, new org.bytedeco.pytorch.TensorOptional(bv));
        q = q.view(b, 1, h, hd).transpose(1, 2);
        k = k.view(b, n, h, hd).transpose(1, 2);
        v = v.view(b, n, h, hd).transpose(1, 2);
        Tensor probs = q.matmul(k.transpose(-1, -2)).softmax(-1);
        Tensor out = probs.matmul(v).transpose(1, 2).reshape(b, d);
        return torch.linear(out, outW, new org.bytedeco.pytorch.TensorOptional(outB));
    }

    @Benchmark
    public double localLossGraph() {
        try (Scope s = Scope.open()) {
            LocalIntraSampleContrastiveLoss.Result r = LOCAL.compute(zl, zlAtt, null, weights, 7, 7);
            Tensor loss = r.l2att().add(r.att2l());
            loss.backward();
            return loss.item_double();
        }
    }

    @Benchmark
    public double localLossJava() {
        try (Scope s = Scope.open()) {
            Tensor[] r = javaLocal();
            Tensor loss = r[0].add(r[1]);
            loss.backward();
            return loss.item_double();
        }
    }

    @Benchmark
    public double globalLossGraph() {
        try (Scope s = Scope.open()) {
            GlobalNceLoss.Result r = GLOBAL.compute(zgA, zgB);
            Tensor loss = r.a2b().add(r.b2a());
            loss.backward();
            return loss.item_double();
        }
    }

    @Benchmark
    public double globalLossJava() {
        try (Scope s = Scope.open()) {
            Tensor[] r = javaGlobal();
            Tensor loss = r[0].add(r[1]);
            loss.backward();
            return loss.item_double();
        }
    }

    @Benchmark
    public double attentionPoolGraph() {
        try (Scope s = Scope.open()) {
            Tensor loss = pool.forward(regions, null).pooled().pow(new Scalar(2.0)).mean();
            loss.backward();
            return loss.item_double();
        }
    }

    @Benchmark
    public double attentionPoolJava() {
        try (Scope s = Scope.open()) {
            Tensor loss = javaPool().pow(new Scalar(2.0)).mean();
            loss.backward();
            return loss.item_double();
        }
    }
}
