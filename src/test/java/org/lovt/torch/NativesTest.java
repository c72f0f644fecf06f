package org.lovt.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libtorch-java.md §9.1: a system-wide libtorch must not be mixed into the process. The child JVMs start with an
 * empty JavaCPP cache, the situation in which the crash happened.
 */
class NativesTest {
    @TempDir
    Path tmp;

    @Test
    void loadedLibrariesAllComeFromTheExtractedFolder() {
        Natives.load();
        assertTrue(Natives.torchVersion().startsWith("2.10"), Natives.torchVersion());
        List<Path> libs = Natives.mappedTorchLibraries();
        assertFalse(libs.isEmpty(), "libtorch is mapped");
        Path dir = Natives.torchLibraryDir();
        for (Path p : libs) {
            assertTrue(p.startsWith(dir), p + " is outside " + dir);
        }
    }

    @Test
    void physicalCoresDivideTheProcessorsByTheHardwareThreadsPerCore() throws IOException {
        Path f = tmp.resolve("siblings");
        Files.writeString(f, "0\n");
        assertEquals(2, Natives.physicalCores(2, f));
        Files.writeString(f, "0-1\n");
        assertEquals(4, Natives.physicalCores(8, f));
        Files.writeString(f, "0,64\n");
        assertEquals(64, Natives.physicalCores(128, f));
        assertEquals(1, Natives.physicalCores(1, f), "never below one");
        Files.writeString(f, "garbage");
        assertEquals(0, Natives.physicalCores(8, f), "unparsable: no opinion");
        assertEquals(0, Natives.physicalCores(8, tmp.resolve("missing")), "unreadable: no opinion");
    }

    /**
     * The thread policy in fresh JVMs: -Dlovt.threads wins over LOVT_THREADS; with neither (and no
     * OMP_NUM_THREADS) at least the physical cores the process may use; a bad value is an error naming the setting.
     */
    @Test
    void intraOpThreadsFollowTheSettingsThenThePhysicalCores() throws Exception {
        assertEquals("3 set by -Dlovt.threads", threadsChild("3", "1").strip());
        assertEquals("2 set by LOVT_THREADS", threadsChild(null, "2").strip());
        String plain = threadsChild(null, null).strip();
        int physical = Natives.physicalCores(Runtime.getRuntime().availableProcessors(),
                Path.of("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list"));
        assertTrue(Integer.parseInt(plain.split(" ")[0]) >= Math.max(1, physical), plain);
        String bad = threadsChild(null, "many");
        assertTrue(bad.contains("LOVT_THREADS must be a positive number of threads, got 'many'"), bad);
    }

    /** "<threads> <note>" from a child JVM with the given settings, or its error output. */
    private String threadsChild(String property, String env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (property != null) {
            cmd.add("-Dlovt.threads=" + property);
        }
        cmd.add(ChildThreads.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().remove("LOVT_THREADS");
        if (env != null) {
            pb.environment().put("LOVT_THREADS", env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        return out.lines().filter(l -> !l.startsWith("lovt: oneDNN")).reduce("", (a, b) -> a + b + "\n");
    }

    /** Child JVM: loads the natives, prints the intra-op threads and how they were chosen. */
    public static final class ChildThreads {
        public static void main(String[] args) {
            try {
                Natives.load();
            } catch (org.lovt.LovtException e) {
                System.out.println(e.getMessage());
                return;
            }
            String note = Natives.threadsNote();
            System.out.println(torch.get_num_threads() + " " + (note.startsWith("set by") ? note : "policy"));
        }
    }

    /** Loads the natives in a fresh JVM with an empty cache and returns its JavaCPP debug log. */
    private List<String> childLog(Class<?> main, Path cache) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = tmp.resolve(main.getSimpleName() + ".log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-Dorg.bytedeco.javacpp.logger.debug=true",
                main.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM finished");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }

    /** Whether the log shows libtorch being looked up outside the cache: a failed load then a library-path search. */
    private static boolean searchedSystemPath(List<String> log) {
        return log.stream().anyMatch(l -> l.startsWith("Debug: Failed to load /") && l.contains("libtorch"))
                || log.stream().anyMatch(l -> l.equals("Debug: Loading library torch")
                        || l.equals("Debug: Loading library torch_cpu"));
    }

    @Test
    void libtorchIsNeverSearchedOnTheSystemLibraryPath() throws Exception {
        Path cache = tmp.resolve("cache-ours");
        try {
            List<String> log = childLog(ChildLoad.class, cache);
            assertFalse(searchedSystemPath(log), "our loader resolved libtorch outside the cache:\n"
                    + String.join("\n", log));
            int extracted = indexOf(log, l -> l.startsWith("Debug: Extracting") && l.endsWith("/linux-x86_64/"));
            int firstTorchLoad = indexOf(log, l -> l.startsWith("Debug: Loading /") && l.endsWith("/libtorch.so"));
            assertTrue(extracted >= 0 && firstTorchLoad > extracted, "the whole folder is extracted first");
            String mapped = log.stream().filter(l -> l.startsWith("MAPPED ")).reduce("", (a, b) -> a + b + "\n");
            assertFalse(mapped.isEmpty());
            for (String l : mapped.split("\n")) {
                assertTrue(l.substring(7).startsWith(cache.toString()), l);
            }

            // Control: JavaCPP's plain loading order does search the system path, which is how a Debian
            // libtorch1.13 got mixed in. If this ever stops holding, the pre-extraction is no longer needed.
            List<String> plain = childLog(ChildPlainLoad.class, tmp.resolve("cache-plain"));
            assertTrue(searchedSystemPath(plain), "plain Loader.load resolves libtorch via the library path");
        } finally {
            deleteTree(tmp.resolve("cache-ours"));
            deleteTree(tmp.resolve("cache-plain"));
        }
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Child JVM: the project's loader. */
    public static final class ChildLoad {
        public static void main(String[] args) {
            Natives.load();
            torch.ones(2).sum();
            Natives.mappedTorchLibraries().forEach(p -> System.out.println("MAPPED " + p));
        }
    }

    /** Child JVM: JavaCPP's loading without pre-extraction (the hazard). */
    public static final class ChildPlainLoad {
        public static void main(String[] args) {
            Loader.load(torch.class);
        }
    }
}
