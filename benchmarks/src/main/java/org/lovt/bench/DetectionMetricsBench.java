package org.lovt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.lovt.eval.metrics.BoxPrediction;
import org.lovt.eval.metrics.BoxTarget;
import org.lovt.eval.metrics.DetectionMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * mAP (8 IoU thresholds, plus {@code pos_}) and fROC of a validation split: {@code images} images with on average 2
 * target boxes and 10 predictions each, one class, boxes in the 224 frame. Adding every image and computing, from a
 * fresh {@link DetectionMetrics}, as an epoch end does. The target is well under one second for 10,000 images.
 *
 * <p>{@code java -cp ... org.openjdk.jmh.Main DetectionMetricsBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DetectionMetricsBench {
    @Param({"10000"})
    public int images;

    private final List<List<BoxTarget>> targets = new ArrayList<>();
    private final List<List<BoxPrediction>> predictions = new ArrayList<>();

    @Setup
    public void makeSplit() {
        Random rnd = new Random(0);
        for (int i = 0; i < images; i++) {
            List<BoxTarget> t = new ArrayList<>();
            int nt = rnd.nextInt(5); // 0..4, mean 2
            for (int j = 0; j < nt; j++) {
                t.add(new BoxTarget(rnd.nextDouble() * 180, rnd.nextDouble() * 180, 10 + rnd.nextDouble() * 50,
                        10 + rnd.nextDouble() * 50, 0));
            }
            List<BoxPrediction> p = new ArrayList<>();
            int np = 5 + rnd.nextInt(11); // 5..15, mean 10
            for (int j = 0; j < np; j++) {
                if (!t.isEmpty() && rnd.nextBoolean()) {
                    BoxTarget g = t.get(rnd.nextInt(t.size()));
                    p.add(new BoxPrediction(g.x() + rnd.nextGaussian() * 5, g.y() + rnd.nextGaussian() * 5,
                            g.w() * (0.8 + 0.4 * rnd.nextDouble()), g.h() * (0.8 + 0.4 * rnd.nextDouble()), 0,
                            rnd.nextDouble()));
                } else {
                    p.add(new BoxPrediction(rnd.nextDouble() * 180, rnd.nextDouble() * 180,
                            10 + rnd.nextDouble() * 50, 10 + rnd.nextDouble() * 50, 0, rnd.nextDouble() * 0.6));
                }
            }
            targets.add(t);
            predictions.add(p);
        }
    }

    /** A fresh accumulator, every image added, mAP and fROC computed. */
    @Benchmark
    public Map<String, Double> addAndCompute() {
        DetectionMetrics m = new DetectionMetrics(List.of("opacity"));
        for (int i = 0; i < images; i++) {
            m.add(targets.get(i), predictions.get(i));
        }
        return m.compute();
    }
}
