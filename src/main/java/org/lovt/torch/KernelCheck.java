package org.lovt.torch;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;

/**
 * Decides, before libtorch's first convolution, whether this machine's oneDNN CPU kernels are sound, and caps oneDNN
 * at the highest instruction set whose kernels are.
 *
 * <p>Why: on virtual machines whose CPUID hides the cache and topology leaves (measured on AMD EPYC family 26 with
 * AVX-512: leaf 4 and leaf 0x8000001D empty, no {@code topoext}), oneDNN 3.7.1 inside libtorch 2.10 computes wrong or
 * NaN input gradients for convolutions whose channel count it pads, and dies with SIGFPE in its brgemm blocking
 * heuristic for ResNet-50's 1×1 stride-2 convolutions. Upstream: oneDNN's cache-size-zero reports (uxlfoundation/
 * oneDNN#5313, #2716) and its zero-divisor guards in {@code jit_brgemm_conv_bwd_utils.cpp} (#4990); TensorFlow's
 * workaround for the same crash is the same cap (tensorflow/tensorflow#57749). The fault is a property of the
 * machine, not of its CPU's name, so it is decided by a check.
 *
 * <p>How: once per machine, child JVMs run {@link KernelProbe} (float32 oneDNN against a float64 reference, including
 * the shapes that crash) first uncapped, then with {@code ONEDNN_MAX_CPU_ISA} at each lower level the CPU has, from
 * the highest down. The first level that passes becomes the cap; if none does, oneDNN is switched off (libtorch's
 * own convolutions, about 4× slower). The verdict is cached under the key of CPU (vendor, family, model, name, flags),
 * libtorch build and check version, in {@code ~/.cache/lovt} ({@code $XDG_CACHE_HOME/lovt}, or the system property
 * {@code lovt.cache.dir}, or {@code LOVT_CACHE_DIR}). oneDNN reads {@code ONEDNN_MAX_CPU_ISA} from the process
 * environment when it first dispatches a kernel, so {@link Natives#load()} applies the verdict right after loading
 * libtorch and before anything else; the cheap cases then run in-process to prove the cap took effect.
 *
 * <p>Controls: a user's own {@code ONEDNN_MAX_CPU_ISA} (or {@code DNNL_MAX_CPU_ISA}) is respected and no check runs;
 * {@code LOVT_KERNEL_CHECK} or the system property {@code lovt.kernelCheck} set to {@code off} skips the check,
 * {@code recheck} ignores the cached verdict. {@code lovt doctor} shows the verdict.
 */
public final class KernelCheck {
    /** Bump when the probe's cases change: cached verdicts of older checks are then ignored. */
    static final int CHECK_VERSION = 1;
    /** oneDNN's name for "no cap", the level tried first. */
    public static final String UNCAPPED = "ALL";
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    /** Where the verdict in force came from. */
    public enum Source {
        /** The child processes ran in this process's start-up. */
        CHECKED,
        /** Read from the cache file of an earlier check on this machine. */
        CACHED,
        /** The user set {@code ONEDNN_MAX_CPU_ISA} or {@code DNNL_MAX_CPU_ISA}; nothing was checked. */
        USER_ENVIRONMENT,
        /** {@code LOVT_KERNEL_CHECK=off} or {@code -Dlovt.kernelCheck=off}. */
        SWITCHED_OFF,
        /** Not an x86-64 Linux machine, or libtorch without oneDNN. */
        NOT_APPLICABLE,
        /** The check could not run (no child JVM could be started); running uncapped. */
        UNCHECKED
    }

    /** The result of the probe at one oneDNN level: {@code PASS}, or what failed, crashed or timed out. */
    public record Level(String isa, boolean passed, String result) {}

    /**
     * The decision in force.
     *
     * @param cap        the {@code ONEDNN_MAX_CPU_ISA} value applied, or {@code null} for none
     * @param oneDnnOff  whether oneDNN is switched off altogether (no level passed, or the cap could not take effect)
     * @param source     where the decision came from
     * @param detail     a human-readable note (the user's value, why the check could not run, ...)
     * @param levels     the probe's result per level, highest first (empty unless checked or cached)
     * @param checkedAt  when the check ran (null unless checked or cached)
     * @param cacheFile  the cache file (null if none)
     */
    public record Verdict(String cap, boolean oneDnnOff, Source source, String detail, List<Level> levels,
                          String checkedAt, Path cacheFile) {
        /** One line for {@code lovt doctor}: the cap or "none", and why. */
        public String capDescription() {
            if (oneDnnOff) {
                return "oneDNN switched off (libtorch's own CPU convolutions)" + (detail.isEmpty() ? "" : ": " + detail);
            }
            if (cap == null) {
                return "none";
            }
            return "ONEDNN_MAX_CPU_ISA=" + cap + (source == Source.USER_ENVIRONMENT ? " (set by the user)"
                    : " (set by the kernel check)");
        }

        /** One line for {@code lovt doctor}: how each level fared. */
        public String checkDescription() {
            return switch (source) {
                case USER_ENVIRONMENT -> "not run: " + detail;
                case SWITCHED_OFF -> "switched off (LOVT_KERNEL_CHECK / lovt.kernelCheck = off)";
                case NOT_APPLICABLE, UNCHECKED -> "not run: " + detail;
                case CHECKED, CACHED -> {
                    StringBuilder b = new StringBuilder(source == Source.CHECKED ? "ran now" : "cached");
                    b.append(" (").append(checkedAt).append(", ").append(cacheFile == null ? "not cached" : cacheFile)
                            .append("):");
                    for (Level l : levels) {
                        b.append(' ').append(l.isa()).append(l.passed() ? " pass" : " FAIL").append(';');
                    }
                    yield b.substring(0, b.length() - 1);
                }
            };
        }
    }

    /** Runs the probe in a child process with oneDNN capped at {@code isa}. */
    @FunctionalInterface
    interface ChildRunner {
        ChildResult run(String isa) throws IOException, InterruptedException;
    }

    /** What a child printed and how it ended ({@code exit} is -1 when it timed out). */
    record ChildResult(int exit, boolean timedOut, List<String> output) {}

    private static volatile Verdict applied;

    private KernelCheck() {}

    /** The verdict applied in this process (loading the natives, and so deciding, if that has not happened yet). */
    public static Verdict current() {
        Natives.load();
        return applied;
    }

    /**
     * Runs the check again now and rewrites the cache; the running process keeps the cap it started with (oneDNN
     * reads it once). For {@code lovt doctor --recheck-kernels}.
     */
    public static Verdict recheck(Consumer<String> progress) {
        Natives.load();
        return checkOrCached(cacheDir(), machineKey(), true, candidateLevels(cpuFlags()), jvmChildRunner(), progress);
    }

    /** Called by {@link Natives#load()} right after libtorch is loaded, before any kernel runs. */
    static void applyBeforeFirstUse() {
        Verdict v = decide();
        if (v.cap() != null && v.source() != Source.USER_ENVIRONMENT) {
            torch.set_env("ONEDNN_MAX_CPU_ISA", v.cap(), true);
            List<KernelProbe.Outcome> stillWrong = KernelProbe.runPaddedHere();
            if (!stillWrong.isEmpty()) {
                // oneDNN had already dispatched a kernel in this process (someone used libtorch before
                // Natives.load), so the cap came too late: the only safe choice left is no oneDNN at all.
                v = new Verdict(v.cap(), true, v.source(), "the cap " + v.cap() + " came too late in this process ("
                        + stillWrong.get(0).line() + ")", v.levels(), v.checkedAt(), v.cacheFile());
            }
        }
        if (v.oneDnnOff()) {
            torch.globalContext().setUserEnabledMkldnn(false);
        }
        if (v.oneDnnOff() || (v.cap() != null && v.source() != Source.USER_ENVIRONMENT)) {
            System.err.println("lovt: " + (v.oneDnnOff() ? "oneDNN switched off" : "oneDNN capped at " + v.cap())
                    + " on this CPU (" + cpuName() + "): its faster kernels failed the kernel check"
                    + " (details: lovt doctor; README, 'CPU kernel check')");
        } else if (v.source() == Source.UNCHECKED) {
            System.err.println("lovt: oneDNN's kernels were not checked on this machine (" + v.detail()
                    + "); if convolution gradients look wrong, set ONEDNN_MAX_CPU_ISA=SSE41");
        }
        applied = v;
    }

    private static Verdict decide() {
        for (String name : new String[] {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"}) {
            String user = System.getenv(name);
            if (user != null && !user.isBlank()) {
                return new Verdict(user.trim(), false, Source.USER_ENVIRONMENT, name + "=" + user.trim()
                        + " is set in the environment", List.of(), null, null);
            }
        }
        String mode = setting();
        if (mode.equals("off")) {
            return new Verdict(null, false, Source.SWITCHED_OFF, "", List.of(), null, null);
        }
        String arch = System.getProperty("os.arch");
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !Files.isReadable(Path.of("/proc/cpuinfo"))) {
            return new Verdict(null, false, Source.NOT_APPLICABLE, "not x86-64 Linux", List.of(), null, null);
        }
        if (!torch.hasMKLDNN()) {
            return new Verdict(null, false, Source.NOT_APPLICABLE, "libtorch built without oneDNN", List.of(), null,
                    null);
        }
        return checkOrCached(cacheDir(), machineKey(), mode.equals("recheck"), candidateLevels(cpuFlags()),
                jvmChildRunner(), line -> System.err.println("lovt: " + line));
    }

    /** {@code LOVT_KERNEL_CHECK} / {@code lovt.kernelCheck}: auto (default), off or recheck. */
    private static String setting() {
        String v = System.getProperty("lovt.kernelCheck", System.getenv().getOrDefault("LOVT_KERNEL_CHECK", "auto"));
        v = v.trim().toLowerCase(Locale.ROOT);
        if (!Set.of("auto", "off", "recheck").contains(v)) {
            throw new LovtException("LOVT_KERNEL_CHECK / lovt.kernelCheck must be auto, off or recheck, not '"
                    + v + "'");
        }
        return v;
    }

    /** The verdict cached in {@code dir} for {@code key}, or a fresh check (then cached) when there is none. */
    static Verdict checkOrCached(Path dir, String key, boolean recheck, List<String> levels, ChildRunner runner,
                                 Consumer<String> progress) {
        Path file = dir.resolve("kernel-check-" + key + ".properties");
        try {
            Files.createDirectories(dir);
            // One check per machine at a time: parallel JVMs on a fresh machine wait for the first one's verdict.
            try (FileChannel ch = FileChannel.open(dir.resolve("kernel-check-" + key + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                if (!recheck) {
                    Verdict cached = read(file, key);
                    if (cached != null) {
                        return cached;
                    }
                }
                Verdict v = check(levels, runner, progress);
                if (v.source() == Source.UNCHECKED) {
                    return v;
                }
                try {
                    write(file, key, v);
                } catch (IOException e) {
                    progress.accept("cannot write the kernel-check cache " + file + " (" + e.getMessage()
                            + "); the check will run again next time");
                    return v;
                }
                return new Verdict(v.cap(), v.oneDnnOff(), v.source(), v.detail(), v.levels(), v.checkedAt(), file);
            }
        } catch (IOException | UncheckedIOException e) {
            progress.accept("cannot use the kernel-check cache " + dir + " (" + e.getMessage()
                    + "); checking without it");
            return check(levels, runner, progress);
        }
    }

    /**
     * The check itself: the probe uncapped, then at each lower level from the highest down until one passes.
     * {@code levels} are highest first and start with {@link #UNCAPPED}.
     */
    static Verdict check(List<String> levels, ChildRunner runner, Consumer<String> progress) {
        progress.accept("checking oneDNN's CPU kernels on this machine (once; about 5 s per level) ...");
        List<Level> results = new ArrayList<>();
        String chosen = null;
        for (String isa : levels) {
            ChildResult r;
            try {
                r = runner.run(isa);
            } catch (IOException e) {
                return new Verdict(null, false, Source.UNCHECKED, "cannot start a child JVM: " + e.getMessage(),
                        List.of(), null, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Verdict(null, false, Source.UNCHECKED, "interrupted", List.of(), null, null);
            }
            if (!r.timedOut() && !r.output().contains(KernelProbe.STARTED)) {
                // The probe never got to its first kernel: a launch problem (class path, memory), not a verdict.
                return new Verdict(null, false, Source.UNCHECKED, "the kernel probe did not start (exit " + r.exit()
                        + "): " + String.join(" | ", tail(r.output(), 3)), List.of(), null, null);
            }
            Level level = classify(isa, r);
            results.add(level);
            progress.accept("  " + isa + ": " + level.result());
            if (level.passed()) {
                chosen = isa;
                break;
            }
        }
        String now = Instant.now().toString();
        if (chosen == null) {
            return new Verdict(null, true, Source.CHECKED, "no oneDNN level passed", results, now, null);
        }
        return new Verdict(chosen.equals(UNCAPPED) ? null : chosen, false, Source.CHECKED, "", results, now, null);
    }

    /** PASS, the first failing case, a crash (with the JVM's problematic frame when it printed one) or a timeout. */
    static Level classify(String isa, ChildResult r) {
        if (r.timedOut()) {
            return new Level(isa, false, "TIMEOUT after " + CHILD_TIMEOUT_SECONDS + " s");
        }
        if (r.exit() == KernelProbe.EXIT_OK) {
            return new Level(isa, true, "PASS");
        }
        if (r.exit() == KernelProbe.EXIT_FAILED) {
            String first = r.output().stream().filter(l -> l.startsWith("FAIL ")).findFirst().orElse("FAIL");
            return new Level(isa, false, first);
        }
        String signal = "";
        String frame = "";
        String running = "";
        String firstFailure = "";
        List<String> out = r.output();
        for (int i = 0; i < out.size(); i++) {
            String l = out.get(i);
            if (l.contains("Problematic frame") && i + 1 < out.size()) {
                frame = ": " + out.get(i + 1).replaceFirst("^#\\s*", "").trim();
            } else if (l.matches("^#\\s+SIG[A-Z]+ .*")) {
                signal = " " + l.replaceFirst("^#\\s+", "").replaceAll(" \\(.*", "");
            } else if (l.startsWith(KernelProbe.RUNNING)) {
                running = " in " + l.substring(KernelProbe.RUNNING.length());
            } else if (l.startsWith("PASS ") || l.startsWith("FAIL ")) {
                running = "";
                if (firstFailure.isEmpty() && l.startsWith("FAIL ")) {
                    firstFailure = "; before it: " + l;
                }
            }
        }
        return new Level(isa, false, "CRASH exit " + r.exit() + signal + running + frame + firstFailure);
    }

    /**
     * oneDNN levels to try, highest first, beginning with {@link #UNCAPPED}: each level whose instructions this
     * CPU reports (oneDNN's {@code ONEDNN_MAX_CPU_ISA} names).
     */
    static List<String> candidateLevels(Set<String> flags) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        needs.put("AVX512_CORE_AMX_FP16", List.of("amx_fp16", "amx_tile", "avx512_fp16"));
        needs.put("AVX512_CORE_AMX", List.of("amx_tile", "amx_bf16", "amx_int8", "avx512_bf16"));
        needs.put("AVX512_CORE_FP16", List.of("avx512_fp16", "avx512_bf16"));
        needs.put("AVX512_CORE_BF16", List.of("avx512_bf16", "avx512_vnni"));
        needs.put("AVX512_CORE_VNNI", List.of("avx512_vnni", "avx512f"));
        needs.put("AVX512_CORE", List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
        needs.put("AVX2_VNNI_2", List.of("avx_vnni_int8", "avx_ne_convert", "avx_vnni"));
        needs.put("AVX2_VNNI", List.of("avx_vnni", "avx2"));
        needs.put("AVX2", List.of("avx2", "fma"));
        needs.put("AVX", List.of("avx"));
        needs.put("SSE41", List.of("sse4_1"));
        List<String> levels = new ArrayList<>();
        levels.add(UNCAPPED);
        needs.forEach((isa, required) -> {
            if (flags.containsAll(required)) {
                levels.add(isa);
            }
        });
        return levels;
    }

    /** Starts {@link KernelProbe} in a child JVM on this JVM's class path, with oneDNN capped at the level. */
    static ChildRunner jvmChildRunner() {
        return isa -> {
            Path log = Files.createTempFile("lovt-kernel-probe-", ".log");
            Path errorFile = log.resolveSibling(log.getFileName() + ".hs_err");
            try {
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.add("-Xmx512m");
                cmd.add("-XX:+UseSerialGC");
                // A crashing child writes its report here (deleted below), not into the user's working directory.
                cmd.add("-XX:ErrorFile=" + errorFile);
                for (String p : System.getProperties().stringPropertyNames()) {
                    if (p.startsWith("org.bytedeco.") || p.equals("java.io.tmpdir")) {
                        cmd.add("-D" + p + "=" + System.getProperty(p));
                    }
                }
                cmd.add("-cp");
                cmd.add(childClassPath());
                cmd.add(KernelProbe.class.getName());
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                Map<String, String> env = pb.environment();
                env.remove("DNNL_MAX_CPU_ISA");
                env.remove("ONEDNN_VERBOSE");
                env.remove("DNNL_VERBOSE");
                env.put("ONEDNN_MAX_CPU_ISA", isa);
                env.put("LOVT_KERNEL_CHECK", "off");
                Process p = pb.start();
                boolean done = p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
                return new ChildResult(done ? p.exitValue() : -1, !done, out);
            } finally {
                Files.deleteIfExists(log);
                Files.deleteIfExists(errorFile);
            }
        };
    }

    /** This JVM's class path, with the jars of this library and of the presets in front if they are not on it. */
    private static String childClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {KernelProbe.class, Loader.class, torch.class}) {
            try {
                var src = c.getProtectionDomain().getCodeSource();
                if (src != null && src.getLocation().getProtocol().equals("file")) {
                    entries.add(Path.of(src.getLocation().toURI()).toString());
                }
            } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
                // not a plain file: the JVM's own class path below has to do
            }
        }
        String own = System.getProperty("java.class.path", "");
        StringBuilder cp = new StringBuilder();
        for (String e : entries) {
            if (!own.contains(e)) {
                cp.append(e).append(java.io.File.pathSeparatorChar);
            }
        }
        return cp.append(own).toString();
    }

    // ---------------------------------------------------------------------------------------------- machine key

    private static volatile Map<String, String> cpuInfo;

    /** The first processor's fields of /proc/cpuinfo (empty without /proc), read once. */
    private static Map<String, String> cpuInfo() {
        if (cpuInfo == null) {
            cpuInfo = readCpuInfo();
        }
        return cpuInfo;
    }

    private static Map<String, String> readCpuInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    break;                                   // the first processor is enough
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    info.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // no /proc: the key then says so
        }
        return info;
    }

    static Set<String> cpuFlags() {
        return Set.of(cpuInfo().getOrDefault("flags", "").split("\\s+"));
    }

    /** The CPU's model name with vendor, family and model, for messages. */
    public static String cpuName() {
        Map<String, String> i = cpuInfo();
        return i.getOrDefault("model name", "unknown CPU") + ", " + i.getOrDefault("vendor_id", "?") + " family "
                + i.getOrDefault("cpu family", "?") + " model " + i.getOrDefault("model", "?");
    }

    /** A hash of everything the verdict depends on: the CPU as /proc/cpuinfo names it, the libtorch build, the check. */
    static String machineKey() {
        Map<String, String> i = cpuInfo();
        StringBuilder b = new StringBuilder("check ").append(CHECK_VERSION).append('\n');
        for (String k : new String[] {"vendor_id", "cpu family", "model", "model name", "stepping", "flags"}) {
            b.append(k).append('=').append(i.getOrDefault(k, "")).append('\n');
        }
        b.append(torch.show_config().getString());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- cache file

    /** {@code lovt.cache.dir}, {@code LOVT_CACHE_DIR}, {@code $XDG_CACHE_HOME/lovt}, else {@code ~/.cache/lovt}. */
    static Path cacheDir() {
        String p = System.getProperty("lovt.cache.dir");
        if (p == null || p.isBlank()) {
            p = System.getenv("LOVT_CACHE_DIR");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "lovt");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "lovt");
    }

    private static void write(Path file, String key, Verdict v) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# LoVT for the JVM: oneDNN CPU kernel check (org.lovt.torch.KernelCheck). Delete to check again.\n");
        b.append("check_version=").append(CHECK_VERSION).append('\n');
        b.append("key=").append(key).append('\n');
        b.append("cpu=").append(escape(cpuName())).append('\n');
        b.append("checked_at=").append(v.checkedAt()).append('\n');
        b.append("cap=").append(v.cap() == null ? "" : v.cap()).append('\n');
        b.append("onednn_off=").append(v.oneDnnOff()).append('\n');
        b.append("levels=").append(String.join(",", v.levels().stream().map(Level::isa).toList())).append('\n');
        for (Level l : v.levels()) {
            b.append("result.").append(l.isa()).append('=').append(escape(l.result())).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The cached verdict, or null when the file is missing, of another check version or key, or damaged. */
    static Verdict read(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!String.valueOf(CHECK_VERSION).equals(p.getProperty("check_version")) || !key.equals(p.getProperty("key"))
                || p.getProperty("levels", "").isEmpty() || p.getProperty("checked_at") == null) {
            return null;
        }
        List<Level> levels = new ArrayList<>();
        for (String isa : p.getProperty("levels").split(",")) {
            String result = p.getProperty("result." + isa);
            if (result == null) {
                return null;
            }
            levels.add(new Level(isa, result.equals("PASS"), result));
        }
        String cap = p.getProperty("cap", "");
        boolean off = Boolean.parseBoolean(p.getProperty("onednn_off"));
        Level last = levels.get(levels.size() - 1);
        // The verdict must follow from the recorded results: the last level tried passed and is the cap.
        boolean consistent = off ? !last.passed() && cap.isEmpty()
                : last.passed() && (last.isa().equals(UNCAPPED) ? cap.isEmpty() : cap.equals(last.isa()));
        if (!consistent) {
            return null;
        }
        return new Verdict(cap.isEmpty() ? null : cap, off, Source.CACHED, "", levels, p.getProperty("checked_at"),
                file);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", " ");
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
