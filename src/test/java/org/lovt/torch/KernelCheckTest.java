package org.lovt.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel check's decisions and its cache, with scripted child outcomes (no child JVM starts here). */
class KernelCheckTest {
    static final List<String> LEVELS = List.of("ALL", "AVX512_CORE", "AVX2", "AVX", "SSE41");

    @TempDir
    Path tmp;

    /** A child that printed the start line, optionally case lines, and ended with {@code exit}. */
    static KernelCheck.ChildResult child(int exit, String... lines) {
        List<String> out = new ArrayList<>();
        out.add(KernelProbe.STARTED);
        out.addAll(List.of(lines));
        return new KernelCheck.ChildResult(exit, false, out);
    }

    static final KernelCheck.ChildResult CRASH = child(134,
            "RUN padded (conv 8->8 3x3/1, input 2x8x16x16) threads=1",
            "FAIL padded (conv 8->8 3x3/1, input 2x8x16x16) threads=1 grad_input rel 7.945e-01",
            "RUN resnet50 layer3.0.downsample (conv 512->1024 1x1/2, input 1x512x28x28) threads=1",
            "#",
            "# A fatal error has been detected by the Java Runtime Environment:",
            "#",
            "#  SIGFPE (0x8) at pc=0x00007ff130d3d913, pid=2818, tid=2819",
            "# Problematic frame:",
            "# C  [libtorch_cpu.so+0xb73d913]  brg_blocking_t::est_eff_1x1()+0xab3");
    static final KernelCheck.ChildResult WRONG = child(KernelProbe.EXIT_FAILED,
            "RUN padded (conv 12->12 3x3/1, input 2x12x16x16) threads=1",
            "FAIL padded (conv 12->12 3x3/1, input 2x12x16x16) threads=1 output rel 5.647e-01");
    static final KernelCheck.ChildResult OK = child(KernelProbe.EXIT_OK, "PASS stem");

    /** Scripted outcomes per level; records which levels were run. */
    static final class Script implements KernelCheck.ChildRunner {
        final Map<String, KernelCheck.ChildResult> outcomes;
        final List<String> ran = new ArrayList<>();

        Script(Map<String, KernelCheck.ChildResult> outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public KernelCheck.ChildResult run(String isa) {
            ran.add(isa);
            return outcomes.getOrDefault(isa, OK);
        }
    }

    @Test
    void theHighestLevelThatPassesBecomesTheCapAndLowerOnesAreNotRun() {
        Script s = new Script(Map.of("ALL", CRASH, "AVX512_CORE", WRONG));
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict v = KernelCheck.check(LEVELS, s, said::add);
        assertEquals("AVX2", v.cap());
        assertFalse(v.oneDnnOff());
        assertEquals(List.of("ALL", "AVX512_CORE", "AVX2"), s.ran);
        assertEquals(List.of(false, false, true), v.levels().stream().map(KernelCheck.Level::passed).toList());
        String crash = v.levels().get(0).result();
        assertTrue(crash.startsWith("CRASH exit 134 SIGFPE in resnet50 layer3.0.downsample"), crash);
        assertTrue(crash.contains("est_eff_1x1"), crash);
        assertTrue(crash.contains("before it: FAIL padded (conv 8->8"), crash);
        assertTrue(v.levels().get(1).result().startsWith("FAIL padded (conv 12->12"), v.levels().get(1).result());
        assertTrue(said.stream().anyMatch(l -> l.contains("AVX2: PASS")), said.toString());
        assertTrue(v.capDescription().contains("ONEDNN_MAX_CPU_ISA=AVX2"), v.capDescription());
    }

    @Test
    void aMachineWhoseUncappedKernelsPassGetsNoCapAfterOneChild() {
        Script s = new Script(Map.of());
        KernelCheck.Verdict v = KernelCheck.check(LEVELS, s, l -> { });
        assertNull(v.cap());
        assertFalse(v.oneDnnOff());
        assertEquals(List.of("ALL"), s.ran);
        assertEquals("none", v.capDescription());
    }

    @Test
    void whenNoLevelPassesOneDnnIsSwitchedOff() {
        Script s = new Script(Map.of("ALL", CRASH, "AVX512_CORE", CRASH, "AVX2", WRONG, "AVX", WRONG,
                "SSE41", new KernelCheck.ChildResult(-1, true, List.of(KernelProbe.STARTED))));
        KernelCheck.Verdict v = KernelCheck.check(LEVELS, s, l -> { });
        assertTrue(v.oneDnnOff());
        assertNull(v.cap());
        assertEquals(LEVELS, s.ran);
        assertTrue(v.levels().get(4).result().startsWith("TIMEOUT"), v.levels().get(4).result());
    }

    @Test
    void aProbeThatNeverStartedIsNoVerdictAndIsNotCached() throws IOException {
        KernelCheck.ChildRunner noStart = isa -> new KernelCheck.ChildResult(1, false,
                List.of("Error: Could not find or load main class org.lovt.torch.KernelProbe"));
        KernelCheck.Verdict v = KernelCheck.checkOrCached(tmp, "k1", false, LEVELS, noStart, l -> { });
        assertEquals(KernelCheck.Source.UNCHECKED, v.source());
        assertNull(v.cap());
        assertFalse(v.oneDnnOff());
        assertTrue(v.detail().contains("Could not find or load main class"), v.detail());
        assertFalse(Files.exists(tmp.resolve("kernel-check-k1.properties")));
    }

    @Test
    void theVerdictIsCachedPerKeyAndReusedWithoutRunningAChild() {
        Script first = new Script(Map.of("ALL", CRASH, "AVX512_CORE", WRONG));
        KernelCheck.Verdict v = KernelCheck.checkOrCached(tmp, "k2", false, LEVELS, first, l -> { });
        assertEquals(KernelCheck.Source.CHECKED, v.source());
        assertEquals(tmp.resolve("kernel-check-k2.properties"), v.cacheFile());

        Script second = new Script(Map.of());
        KernelCheck.Verdict cached = KernelCheck.checkOrCached(tmp, "k2", false, LEVELS, second, l -> { });
        assertEquals(List.of(), second.ran, "a cached verdict starts no child");
        assertEquals(KernelCheck.Source.CACHED, cached.source());
        assertEquals("AVX2", cached.cap());
        assertEquals(v.levels(), cached.levels());
        assertEquals(v.checkedAt(), cached.checkedAt());

        // Another machine key, or a recheck, runs the probe again.
        Script other = new Script(Map.of());
        assertNull(KernelCheck.checkOrCached(tmp, "k3", false, LEVELS, other, l -> { }).cap());
        assertEquals(List.of("ALL"), other.ran);
        Script again = new Script(Map.of());
        KernelCheck.Verdict rechecked = KernelCheck.checkOrCached(tmp, "k2", true, LEVELS, again, l -> { });
        assertEquals(List.of("ALL"), again.ran);
        assertNull(rechecked.cap());
        assertNull(KernelCheck.read(tmp.resolve("kernel-check-k2.properties"), "k2").cap(), "the recheck is cached");
    }

    @Test
    void aDamagedOrInconsistentCacheFileIsIgnored() throws IOException {
        Script s = new Script(Map.of("ALL", CRASH));
        KernelCheck.checkOrCached(tmp, "k4", false, LEVELS, s, l -> { });
        Path file = tmp.resolve("kernel-check-k4.properties");
        String good = Files.readString(file);
        assertNotNull(KernelCheck.read(file, "k4"));
        assertNull(KernelCheck.read(file, "another-key"));
        Files.writeString(file, good.replace("cap=AVX512_CORE", "cap=AVX2"));   // not what the results say
        assertNull(KernelCheck.read(file, "k4"));
        Files.writeString(file, good.replace("check_version=", "check_version=0"));
        assertNull(KernelCheck.read(file, "k4"));
        Files.writeString(file, good.substring(0, good.indexOf("result.")));      // cut short
        assertNull(KernelCheck.read(file, "k4"));
        Files.write(file, new byte[] {(byte) 0xff, 0, 0x5c, 0x75, 0x31});          // garbage, a bad \\u escape
        assertNull(KernelCheck.read(file, "k4"));
        Script again = new Script(Map.of());
        assertEquals(KernelCheck.Source.CHECKED,
                KernelCheck.checkOrCached(tmp, "k4", false, LEVELS, again, l -> { }).source());
        assertEquals(List.of("ALL"), again.ran);
    }

    @Test
    void levelsFollowTheCpuFlagsFromTheHighestDown() {
        Set<String> zen5 = Set.of("sse4_1", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                "avx_vnni", "avx512_vnni", "avx512_bf16");
        assertEquals(List.of("ALL", "AVX512_CORE_BF16", "AVX512_CORE_VNNI", "AVX512_CORE", "AVX2_VNNI", "AVX2", "AVX",
                "SSE41"), KernelCheck.candidateLevels(zen5));
        assertEquals(List.of("ALL", "AVX2", "AVX", "SSE41"),
                KernelCheck.candidateLevels(Set.of("sse4_1", "avx", "avx2", "fma")));
        Set<String> sapphire = new java.util.HashSet<>(zen5);
        sapphire.addAll(Set.of("amx_tile", "amx_bf16", "amx_int8", "avx512_fp16"));
        assertEquals(List.of("ALL", "AVX512_CORE_AMX", "AVX512_CORE_FP16", "AVX512_CORE_BF16", "AVX512_CORE_VNNI",
                "AVX512_CORE", "AVX2_VNNI", "AVX2", "AVX", "SSE41"), KernelCheck.candidateLevels(sapphire));
    }
}
