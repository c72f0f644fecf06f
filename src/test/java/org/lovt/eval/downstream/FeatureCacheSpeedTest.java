package org.lovt.eval.downstream;

import java.io.PrintStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.data.datasets.downstream.SyntheticDownstream;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.torch.Seeds;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measurement (tag {@code measurement}, not in the default run): the epoch time of a frozen task at 224 px on a
 * full-size ResNet-50 with and without the feature cache, from runs of 1 and 3 epochs each (per-epoch time =
 * difference / 2, so set-up, caching and testing cancel out). Run with
 * {@code mvn test -Dtest=FeatureCacheSpeedTest -Dlovt.excludedTags=heavy,gpu}.
 */
@Tag("measurement")
class FeatureCacheSpeedTest {
    @Test
    void theCacheMakesFrozenEpochsCheap(@TempDir Path tmp) {
        Natives.load();
        SyntheticDownstream.write(tmp.resolve("rsna"), "rsna", 48, 16, 16, 256, 1);
        PreparedDownstream data = PreparedDownstream.open(tmp.resolve("rsna"));
        StringBuilder report = new StringBuilder("FeatureCacheSpeedTest: 48 train + 2 validation + 16 test images at "
                + "224 px, ResNet-50, batch 16, per epoch (difference of 3- and 1-epoch runs / 2):");
        double linearRatio = 0;
        for (String task : new String[] {"rsna_seg_linear_100", "rsna_frozen_100"}) {
            double[][] seconds = new double[2][2];
            for (int cache = 0; cache < 2; cache++) {
                for (int e = 0; e < 2; e++) {
                    int epochs = e == 0 ? 1 : 3;
                    DownstreamTask t = DownstreamTasks.get(task);
                    Seeds.manualSeed(1);
                    ResNet backbone = new ResNet(ResNetConfig.resnet50(0));
                    long t0 = System.nanoTime();
                    DownstreamRunner.run(new DownstreamRunner.Settings(t, t.configLr(), 1, 224, 16, epochs, 1,
                            "conv5", Runtime.getRuntime().availableProcessors(), cache == 1, Long.MAX_VALUE,
                            Devices.parse("cpu"), new PrintStream(PrintStream.nullOutputStream())), backbone, "random",
                            data, tmp.resolve(task + "-" + cache + "-" + epochs));
                    seconds[cache][e] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double plain = (seconds[0][1] - seconds[0][0]) / 2;
            double cached = (seconds[1][1] - seconds[1][0]) / 2;
            if (task.startsWith("rsna_seg")) {
                linearRatio = plain / cached;
            }
            report.append(String.format(" %s %.2f s without the cache, %.2f s with it (%.1fx; runs of 1/3 epochs "
                    + "%.1f/%.1f s without, %.1f/%.1f s with);", task, plain, cached, plain / cached, seconds[0][0],
                    seconds[0][1], seconds[1][0], seconds[1][1]));
        }
        System.out.println(report);
        assertTrue(linearRatio > 3, "a frozen linear head's epochs are much faster with the cache: " + report);
    }
}
