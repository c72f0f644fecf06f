package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.junit.jupiter.api.Test;

/**
 * Generation is cheap enough to run on the fly in a data loader. The target is 200 images/s per core at 224 px;
 * the bound asserted here is half of it, measured in thread CPU time (not wall time) so that a busy CI machine does
 * not make the test flaky. The measured rate is printed.
 */
class GenerationSpeedTest {
    @Test
    void generatesAtLeastAHundredImagesPerCpuSecondAt224() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100; i++) {
            SyntheticCxr.generate(99, i); // warm-up: JIT compilation
        }
        int n = 200;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < n; i++) {
            checksum += SyntheticCxr.generate(100, i).pixels()[1000];
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double rate = n / cpu;
        System.out.printf("synthetic generation at 224 px: %.0f images per CPU second (%.0f per wall second,"
                + " checksum %d)%n", rate, n / wall, checksum);
        assertTrue(rate > 100, "only " + rate + " images per CPU second");
    }
}
