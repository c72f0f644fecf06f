package org.lovt.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingListener;
import org.lovt.config.ConfigDefaults;
import org.lovt.data.DataLoader;
import org.lovt.data.Dataset;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingBatch;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.ScanReportExample;
import org.lovt.data.ScanReportSample;
import org.lovt.data.image.ImageCache;
import org.lovt.data.image.ImageDecoder;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.text.ReportAugmentationConfig;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.text.ReportAugmentation;

/**
 * Pre-training loader throughput with the full LoVT training transform, batch 32: decoding the JPEGs
 * every time vs reading a warm {@link ImageCache} (shorter side 448), with 1 and 2 workers, on
 * <ol>
 *   <li>the sample JPEGs as they are (≤ 1024 px), and</li>
 *   <li>the same images upscaled to MIMIC-CXR-JPG's typical 2544×3056 and re-encoded at quality 95 (the real
 *       data's decode cost).</li>
 * </ol>
 * Throughput is reported per wall-clock second and per CPU-second of the process (= images/s per fully used core,
 * meaningful on a shared machine); then the single-thread cost of each stage, the cache fill with exact and reduced
 * JPEG decoding, and (not with {@code --quick}) the share of a pre-training run's time spent waiting for data. Ends
 * with summary lines {@code loader ... = x}. Usage: {@code java -cp ... org.lovt.bench.LoaderThroughput [--quick]
 * [sample files dir] [seconds per measurement]}; temporary files are removed at the end.
 */
public final class LoaderThroughput {
    private LoaderThroughput() {}

    public static void main(String[] args) throws IOException {
        List<String> a = new ArrayList<>(List.of(args));
        boolean quick = a.remove("--quick");
        Path files = Path.of(!a.isEmpty() ? a.get(0) : "testdata/data/mimic-cxr-sample/files");
        double seconds = a.size() > 1 ? Double.parseDouble(a.get(1)) : quick ? 3 : 6;
        List<Path> jpegs;
        try (Stream<Path> s = Files.walk(files)) {
            jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
        }
        if (jpegs.isEmpty()) {
            throw new IllegalArgumentException("no .jpg files under " + files);
        }
        Path tmp = Files.createTempDirectory("lovt-loader-bench");
        try {
            run(jpegs, tmp, seconds, quick);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(List<Path> jpegs, Path tmp, double seconds, boolean quick) throws IOException {
        List<Path> big = upscale(jpegs.subList(0, Math.min(24, jpegs.size())), tmp.resolve("mimic-size"));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%d cores; sample: %d JPEGs (<= 1024 px); MIMIC-size: %d JPEGs 2544x3056 q95%n", cores,
                jpegs.size(), big.size());
        List<String> summary = new ArrayList<>();
        for (var set : List.of(new Object[] {"sample", jpegs}, new Object[] {"MIMIC-size", big})) {
            @SuppressWarnings("unchecked")
            List<Path> images = (List<Path>) set[1];
            ImageCache cache = new ImageCache(tmp.resolve("cache-" + set[0]), 448);
            images.forEach(cache::load); // warm
            for (int workers : quick ? new int[] {1} : new int[] {1, 2}) {
                double[] full = measure(images, ScanImageSource.decoding(), workers, seconds);
                double[] cached = measure(images, cache, workers, seconds);
                System.out.printf("%-10s workers %d: full decode %6.1f img/s wall, %6.1f img per CPU-second;"
                                + " cache %6.1f img/s wall, %6.1f img per CPU-second; cache/full per CPU-second %.2fx%n",
                        set[0], workers, full[0], full[1], cached[0], cached[1], cached[1] / full[1]);
                if (workers == 1) {
                    summary.add(String.format(java.util.Locale.ROOT, "loader %s images/s per core from the cache"
                            + " = %.0f   (full decode %.0f)", set[0], cached[1], full[1]));
                }
            }
        }
        stageTimes(big.get(0), tmp.resolve("cache-MIMIC-size"));
        fillTimes(big, tmp);
        if (!quick) {
            summary.add(trainingWait(tmp));
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    /** Filling the cache from MIMIC-size JPEGs: exact decode + resize vs libjpeg's reduced decode + resize. */
    private static void fillTimes(List<Path> big, Path tmp) {
        double[] ms = new double[2];
        for (int mode = 0; mode < 2; mode++) {
            for (int round = 0; round < 2; round++) { // the first round warms up and fills nothing we keep
                ImageCache cache = new ImageCache(tmp.resolve("fill-" + mode + "-" + round), 448)
                        .withReducedJpegDecode(mode == 1);
                long t0 = System.nanoTime();
                big.forEach(cache::load);
                ms[mode] = (System.nanoTime() - t0) / 1e6 / big.size();
            }
        }
        System.out.printf("cache fill from 2544x3056 JPEGs, one thread: exact decode %.1f ms per image, reduced (1/4)"
                + " decode %.1f ms per image (%.2fx faster)%n", ms[0], ms[1], ms[0] / ms[1]);
    }

    /**
     * The share of pre-training time spent waiting for data, through the public API with the loader reading a warm
     * cache: LoVT_100 with ResNet-50 at 224 (the report encoder shrunk to the built-in tiny BERT), batch 8, 6 steps,
     * one loader worker beside libtorch's threads.
     */
    private static String trainingWait(Path tmp) {
        PretrainingData data = PretrainingData.generateSynthetic(tmp.resolve("synthetic"), 3, 48, 8, 1, 1024);
        Path cache = tmp.resolve("train-cache");
        String line = null;
        for (boolean warm : new boolean[] {false, true}) {
            double[] timing = new double[3];
            List<String> overrides = new ArrayList<>(List.of("+experiment=LoVT_100", "name=loader-bench",
                    "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
                    "pretrain_model.encoder_b.freeze_embeddings=false", "pretrain_model.encoder_b.freeze_encoder_layers=0",
                    "pretrain_model.batch_size=8",
                    "trainer.accumulate_grad_batches=1", "~online_eval"));
            if (!warm) { // a cheap model for one epoch: fills the cache
                overrides.addAll(List.of("++pretrain_model.encoder_a.backbone_args.stem_width=4",
                        "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]"));
            }
            Pretraining.builder().overrides(overrides).data(data).runDir(tmp.resolve("run-" + warm))
                    .maxEpochs(1).maxSteps(warm ? 6 : Long.MAX_VALUE).workers(1).imageCache(cache, 448)
                    .ignoreUserConfig().log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .listener(new PretrainingListener() {
                        @Override
                        public void onTrainEpochEnd(int epoch, long batches, double seconds, double dataWaitSeconds) {
                            timing[0] = batches;
                            timing[1] = seconds;
                            timing[2] = dataWaitSeconds;
                        }
                    }).build().run();
            if (warm) {
                System.out.printf("pre-training, ResNet-50 224, batch 8, %d steps, 1 loader worker, warm cache: "
                                + "%.1f s per step, waiting for data %.3f s in all = %.2f %% of the time%n",
                        (long) timing[0], timing[1] / timing[0], timing[2], 100 * timing[2] / timing[1]);
                line = String.format(java.util.Locale.ROOT, "loader fraction of a ResNet-50 pre-training step spent"
                        + " waiting for data = %.4f", timing[2] / timing[1]);
            } else {
                System.out.printf("pre-training, tiny ResNet, batch 8, %d steps, 1 loader worker, cache filling: "
                                + "waiting for data %.1f %% of %.1f s%n", (long) timing[0], 100 * timing[2] / timing[1],
                        timing[1]);
            }
        }
        return line;
    }

    /** {images per wall-clock second, images per CPU-second of the whole process} (robust on a busy machine). */
    private static double[] measure(List<Path> images, ScanImageSource source, int workers, double seconds) {
        ScanTransform t = ScanTransform.train(ConfigDefaults.of(ScanAugmentationConfig.class), 224, 0.5, 0.25);
        PretrainingPipeline p = PretrainingPipeline.train(t,
                new ReportAugmentation(ConfigDefaults.of(ReportAugmentationConfig.class)), source);
        List<ScanReportSample> samples = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            samples.add(new ScanReportSample("s" + i, List.of(images.get(i)), List.of("x."), new float[5]));
        }
        Dataset<ScanReportSample> ds = new Dataset<>() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public ScanReportSample get(int index) {
                return samples.get(index);
            }
        };
        int done = 0;
        long start = 0;
        long cpuStart = 0;
        try (DataLoader<ScanReportExample, PretrainingBatch> l = p.loader(ds,
                LoaderOptions.of(32, true, false, workers, 1))) {
            for (int epoch = 0; ; epoch++) {
                try (DataLoader<ScanReportExample, PretrainingBatch>.Epoch it = l.epoch(epoch)) {
                    while (it.hasNext()) {
                        int n = it.next().size();
                        if (epoch == 0) {
                            continue; // warm-up epoch (JIT)
                        }
                        if (start == 0) {
                            start = System.nanoTime();
                            cpuStart = cpuNanos();
                        } else {
                            done += n;
                        }
                        if (start != 0 && System.nanoTime() - start > seconds * 1e9) {
                            return new double[] {done / ((System.nanoTime() - start) / 1e9),
                                    done / ((cpuNanos() - cpuStart) / 1e9)};
                        }
                    }
                }
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Single-thread milliseconds of each stage for one MIMIC-size image. */
    private static void stageTimes(Path jpeg, Path cacheDir) {
        ImageCache cache = new ImageCache(cacheDir, 448);
        ScanTransform t = ScanTransform.train(ConfigDefaults.of(ScanAugmentationConfig.class), 224, 0.5, 0.25);
        var full = ScanImageSource.decoding().load(jpeg);
        var small = cache.load(jpeg);
        int reps = 20;
        for (int warm = 0; warm < 2; warm++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                ImageDecoder.decodeGray(jpeg);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                t.apply(full, new java.util.SplittableRandom(i));
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                cache.load(jpeg);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                t.apply(small, new java.util.SplittableRandom(i));
            }
            long t4 = System.nanoTime();
            if (warm == 1) {
                System.out.printf("one 2544x3056 image, one thread: decode %.1f ms, train transform from full"
                                + " resolution %.1f ms, cache read %.1f ms, train transform from the 448 copy %.1f ms%n",
                        (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps, (t3 - t2) / 1e6 / reps,
                        (t4 - t3) / 1e6 / reps);
            }
        }
    }

    /** Writes each image upscaled to 2544x3056 (bilinear), JPEG quality 95. */
    private static List<Path> upscale(List<Path> jpegs, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            var g = ImageDecoder.decodeGray(jpegs.get(i));
            Path target = dir.resolve("img" + i + ".jpg");
            try (BytePointer px = new BytePointer(g.pixels());
                 Mat src = new Mat(g.height(), g.width(), opencv_core.CV_8UC1, px);
                 Mat dst = new Mat()) {
                opencv_imgproc.resize(src, dst, new org.bytedeco.opencv.opencv_core.Size(2544, 3056), 0, 0,
                        opencv_imgproc.INTER_LINEAR);
                opencv_imgcodecs.imwrite(target.toString(), dst, new int[] {IMWRITE_JPEG_QUALITY, 95});
            }
            out.add(target);
        }
        return out;
    }
}
