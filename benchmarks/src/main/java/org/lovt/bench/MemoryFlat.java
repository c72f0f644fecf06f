package org.lovt.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingListener;

/**
 * Native memory over a long run (issue "Performance", item 4; a benchmark, not a unit test): 1,000 optimizer steps of
 * a tiny LoVT through the public API on generated data, printing the process's resident set size (VmRSS) at steps
 * 100, 250, 500 and 1,000 and the change from step 100 to 1,000.
 *
 * <p>{@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp <benchmarks classpath> org.lovt.bench.MemoryFlat [steps]}: a
 * fixed, pre-touched heap, so that what the RSS shows beyond it is native memory (libtorch, JavaCPP, the JVM's own).
 */
public final class MemoryFlat {
    private MemoryFlat() {}

    static final List<String> TINY = List.of("+experiment=LoVT_100", "name=memory", "seed=3",
            "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
            "pretrain_model.encoder_b.freeze_embeddings=false", "pretrain_model.encoder_b.freeze_encoder_layers=0",
            "pretrain_model.encoder_b.max_length=64",
            "++pretrain_model.encoder_a.backbone_args.stem_width=4",
            "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]",
            "pretrain_model.encoder_a.region_feature_layer=conv3", "pretrain_model.encoder_a.input_size=[32,32]",
            "pretrain_model.d_z=16", "pretrain_model.d_hidden=32", "pretrain_model.batch_size=8",
            "trainer.accumulate_grad_batches=1", "~online_eval");

    public static void main(String[] args) throws IOException {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        Path dir = Files.createTempDirectory("lovt-memory-");
        PretrainingData data = PretrainingData.generateSynthetic(dir.resolve("data"), 5, 400, 16, 2, 64);
        Map<Long, Long> rss = new TreeMap<>();
        long t0 = System.nanoTime();
        Pretraining.builder().overrides(TINY).data(data).runDir(dir.resolve("run")).maxSteps(steps).maxEpochs(1000)
                .workers(1).ignoreUserConfig().log(new PrintStream(OutputStream.nullOutputStream()))
                .listener(new PretrainingListener() {
                    @Override
                    public void onBatch(int epoch, long batch, long batchesPerEpoch, long optimizerSteps,
                                        double learningRate, Map<String, Double> metrics) {
                        if (optimizerSteps == 100 || optimizerSteps == 250 || optimizerSteps == 500
                                || optimizerSteps == steps) {
                            rss.put(optimizerSteps, vmRssKb());
                        }
                    }
                }).build().run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        rss.forEach((s, kb) -> System.out.printf(Locale.ROOT, "RSS at step %5d: %7.1f MB%n", s, kb / 1024.0));
        Long first = rss.get(100L);
        Long last = rss.get(steps);
        if (first != null && last != null) {
            System.out.printf(Locale.ROOT, "memory tinyLovt RSS step 100 -> %d = %+.1f %% (%d steps in %.0f s)%n",
                    steps, 100.0 * (last - first) / first, steps, seconds);
        }
    }

    /** VmRSS of this process in kB, from /proc/self/status (Linux). */
    static long vmRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return -1;
    }
}
