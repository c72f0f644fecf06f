package org.lovt.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.lovt.vision.ResNetConfig;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ModelSteps} and reports each model's achieved FLOP/s as a fraction of the fp32 matmul rate measured
 * in the same run — a ratio, so that it means something on a shared, noisy machine.
 */
public final class PeakFractions {
    private PeakFractions() {}

    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 ? args[0] : ModelSteps.class.getSimpleName();
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();
        Map<String, Double> msPerOp = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            msPerOp.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        Double matmul = msPerOp.get("matmulFp32");
        if (matmul == null) {
            System.out.println("matmulFp32 was not run: no peak to compare with");
            return;
        }
        double n = ModelSteps.MATMUL_N;
        double peak = 2 * n * n * n / (matmul / 1e3);
        System.out.printf("%nfp32 matmul %dx%d: %.1f GFLOP/s (the reference peak of this run)%n",
                ModelSteps.MATMUL_N, ModelSteps.MATMUL_N, peak / 1e9);
        report(msPerOp.get("resnet50TrainStep"), "ResNet-50 fwd+bwd, batch 8, 224x224",
                3 * ModelSteps.BATCH * Flops.resnetForward(ResNetConfig.resnet50(1000), 224, 224), peak);
        report(msPerOp.get("bertBaseTrainStep"), "BERT-base fwd+bwd, batch 8 x 128 tokens",
                3 * ModelSteps.BATCH * Flops.bertForward(ModelSteps.bertBase(), ModelSteps.TOKENS), peak);
    }

    private static void report(Double ms, String what, double flops, double peak) {
        if (ms == null) {
            return;
        }
        double rate = flops / (ms / 1e3);
        System.out.printf("%-42s %8.0f ms/step  %7.1f GFLOP/step  %6.1f GFLOP/s  = %.2f of matmul peak%n", what, ms,
                flops / 1e9, rate / 1e9, rate / peak);
    }
}
