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
 * meaningful on a shared machine). Usage: {@code java -cp ... org.lovt.bench.LoaderThroughput [sample files dir] [seconds per measurement]}.
 */
public final class LoaderThroughput {
    private LoaderThroughput() {}

    public static void main(String[] args) throws IOException {
        Path files = Path.of(args.length > 0 ? args[0] : "testdata/data/mimic-cxr-sample/files");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 6;
        List<Path> jpegs;
        try (Stream<Path> s = Files.walk(files)) {
            jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
        }
        Path tmp = Files.createTempDirectory("lovt-loader-bench");
        List<Path> big = upscale(jpegs.subList(0, Math.min(24, jpegs.size())), tmp.resolve("mimic-size"));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%d cores; sample: %d JPEGs (<= 1024 px); MIMIC-size: %d JPEGs 2544x3056 q95%n", cores,
                jpegs.size(), big.size());
        for (var set : List.of(new Object[] {"sample", jpegs}, new Object[] {"MIMIC-size", big})) {
            @SuppressWarnings("unchecked")
            List<Path> images = (List<Path>) set[1];
            ImageCache cache = new ImageCache(tmp.resolve("cache-" + set[0]), 448);
            images.forEach(cache::load); // warm
            for (int workers : new int[] {1, 2}) {
                double[] full = measure(images, ScanImageSource.decoding(), workers, seconds);
                double[] cached = measure(images, cache, workers, seconds);
                System.out.printf("%-10s workers %d: full decode %6.1f img/s wall, %6.1f img per CPU-second;"
                                + " cache %6.1f img/s wall, %6.1f img per CPU-second; cache/full per CPU-second %.2fx%n",
                        set[0], workers, full[0], full[1], cached[0], cached[1], cached[1] / full[1]);
            }
        }
        stageTimes(big.get(0), tmp.resolve("cache-MIMIC-size"));
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
