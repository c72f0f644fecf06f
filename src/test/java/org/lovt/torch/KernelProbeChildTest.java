package org.lovt.torch;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The kernel check against this machine's real oneDNN, in child JVMs: the minimal reproductions (padded channels,
 * ResNet-50's crashing downsample convolutions) run uncapped agree with the verdict, and run correctly, crash
 * included, under the cap the verdict chose. On a machine with sound kernels the uncapped run passes and no cap is
 * chosen; on the AVX-512 EPYC machines where oneDNN fails, the uncapped child dies with SIGFPE.
 */
class KernelProbeChildTest {
    static KernelCheck.Verdict checked() {
        KernelCheck.Verdict v = KernelCheck.current();
        assumeFalse(v.levels().isEmpty(), "no kernel check ran in this JVM: " + v.checkDescription());
        return v;
    }

    @Test
    void everyCaseRunsCorrectlyInAChildUnderTheCapInForce() throws Exception {
        KernelCheck.Verdict v = checked();
        assumeFalse(v.oneDnnOff(), "oneDNN is switched off on this machine");
        String isa = v.cap() == null ? KernelCheck.UNCAPPED : v.cap();
        KernelCheck.ChildResult r = KernelCheck.jvmChildRunner().run(isa);
        String log = String.join("\n", r.output());
        assertEquals(KernelProbe.EXIT_OK, r.exit(), log);
        long passed = r.output().stream().filter(l -> l.startsWith("PASS ")).count();
        // every case, twice, with one thread and with several
        assertEquals(4L * KernelProbe.allCases().size(), passed, log);
        assertTrue(log.contains("PASS resnet50 layer3.0.downsample"), log);
        assertTrue(log.contains("PASS resnet50 layer4.0.downsample"), log);
    }

    @Test
    void theUncappedKernelsFareInAChildAsTheVerdictRecorded() throws Exception {
        KernelCheck.Verdict v = checked();
        KernelCheck.Level recorded = v.levels().get(0);
        assertEquals(KernelCheck.UNCAPPED, recorded.isa());
        KernelCheck.ChildResult r = KernelCheck.jvmChildRunner().run(KernelCheck.UNCAPPED);
        KernelCheck.Level now = KernelCheck.classify(KernelCheck.UNCAPPED, r);
        assertEquals(recorded.passed(), now.passed(), "recorded: " + recorded.result() + "\nnow: " + now.result());
        if (recorded.result().startsWith("CRASH")) {
            assertTrue(now.result().startsWith("CRASH"), now.result());
        }
        assertEquals(v.cap() == null && !v.oneDnnOff(), now.passed());
    }

    @Test
    void aCapThatComesTooLateSwitchesOneDnnOffInstead() throws Exception {
        KernelCheck.Verdict v = checked();
        assumeFalse(v.cap() == null || v.oneDnnOff(), "this machine needs no cap: " + v.capDescription());
        java.nio.file.Path log = java.nio.file.Files.createTempFile("lovt-late-load", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), LateLoadMain.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("ONEDNN_MAX_CPU_ISA");
            pb.environment().remove("DNNL_MAX_CPU_ISA");
            Process p = pb.start();
            assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "child finished");
            String out = java.nio.file.Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            // The in-process proof failed (the early convolution fixed oneDNN's ISA), so oneDNN is off and the
            // same cases now compute correctly.
            assertTrue(out.contains("cap=" + v.cap() + " oneDnnOff=true mkldnnEnabled=false failedAfter=0"), out);
            assertTrue(out.contains("lovt: oneDNN switched off"), out);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void theCapTookEffectInThisJvmWithOneAndTwoThreads() {
        KernelCheck.current();
        int before = org.bytedeco.pytorch.global.torch.get_num_threads();
        try {
            for (int threads : new int[] {1, 2}) {
                org.bytedeco.pytorch.global.torch.set_num_threads(threads);
                for (int rep = 0; rep < 3; rep++) {
                    List<KernelProbe.Outcome> failed = KernelProbe.runPaddedHere();
                    assertTrue(failed.isEmpty(), failed.stream().map(KernelProbe.Outcome::line).toList().toString());
                }
            }
        } finally {
            org.bytedeco.pytorch.global.torch.set_num_threads(before);
        }
    }
}
