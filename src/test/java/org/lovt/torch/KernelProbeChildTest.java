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
