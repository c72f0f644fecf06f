package org.lovt.torch;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;

/**
 * Loads libtorch's natives so that no other libtorch on the machine can be mixed in.
 *
 * <p>JavaCPP extracts and loads the libraries of a preset one by one. For pytorch it loads {@code libtorch.so}
 * before it has extracted {@code libtorch_cpu.so}; the dynamic linker then cannot find {@code libtorch_cpu.so}
 * next to it ({@code RUNPATH=$ORIGIN}) and JavaCPP falls back to {@code System.loadLibrary}, which searches the
 * system library path. With a system-wide libtorch (Debian's {@code libtorch1.13}) two builds end up in one
 * process and the first run crashes (libtorch-java.md §9.1). Extracting the whole native folder before the first
 * load makes every library resolve next to its neighbours. Every entry point of the library calls
 * {@link #load()} before touching libtorch.
 */
public final class Natives {
    private static final String TORCH_RESOURCE_ROOT = "org/bytedeco/pytorch/";
    private static volatile boolean loaded;
    /** True while {@link KernelCheck} runs inside {@link #load()}: its own calls back into load() return at once. */
    private static boolean checkingKernels;
    private static volatile Path torchDir;

    private Natives() {}

    /**
     * Extracts the pytorch natives (CPU or GPU build, whichever is on the class path), loads them and applies the
     * oneDNN {@linkplain KernelCheck kernel check} before any kernel runs; idempotent.
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (Natives.class) {
            if (loaded || checkingKernels) {
                return;
            }
            String platform = Loader.getPlatform();
            String found = null;
            // The -gpu classifier jar keeps its libraries under "<platform>-gpu/"; prefer it when present.
            for (String folder : new String[] {platform + "-gpu", platform}) {
                String dir = TORCH_RESOURCE_ROOT + folder + "/";
                URL probe = Natives.class.getClassLoader().getResource(dir + "libjnitorch.so");
                if (probe == null) {
                    continue;
                }
                try {
                    File[] files = Loader.cacheResources(torch.class, dir);
                    if (files != null && files.length > 0) {
                        torchDir = files[0].toPath();
                    }
                } catch (IOException e) {
                    throw new LovtException("cannot extract the libtorch natives (" + dir + ") into the JavaCPP cache "
                            + cacheDir() + ": " + e.getMessage(), e);
                }
                found = folder;
                break;
            }
            if (found == null) {
                throw new LovtException("no libtorch natives for platform " + platform + " on the class path "
                        + "(expected org.bytedeco:pytorch with classifier " + platform + " or " + platform + "-gpu)");
            }
            if (found.endsWith("-gpu") && System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
                System.setProperty("org.bytedeco.javacpp.platform.extension", "-gpu");
            }
            try {
                Loader.load(torch.class);
            } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
                throw new LovtException("cannot load libtorch from " + torchDir + ": " + e, e);
            }
            // NNPACK: where it cannot initialise (this project's VMs: "Unsupported hardware"), libtorch tries again
            // and logs a warning for every eligible convolution (thousands per evaluation); where it can, it is an
            // alternative kernel for a few no-grad convolutions. Off, every convolution takes the oneDNN/native path.
            torch.globalContext().setUserEnabledNNPACK(false);
            checkingKernels = true;
            try {
                KernelCheck.applyBeforeFirstUse();
            } finally {
                checkingKernels = false;
            }
            applyThreadDefault();
            loaded = true;
        }
    }

    /** How the intra-op thread count was chosen (for {@code lovt doctor}). */
    public static String threadsNote() {
        return threadsNote;
    }

    private static volatile String threadsNote = "libtorch's default";

    /**
     * Intra-op threads: {@code OMP_NUM_THREADS}, when set, is libtorch's own setting and is left alone; else
     * {@code -Dlovt.threads=N} or {@code LOVT_THREADS=N}; else the number of physical cores this process may use
     * where libtorch chose fewer. libtorch means to default to the physical cores, but its CPU detection can count
     * fewer: on the 2-core development VM (AMD family 26, one thread per core) libtorch 2.10 picks 1, and a ResNet-50
     * training step then takes about 1.3 times as long as with 2 (README "Benchmarks").
     */
    private static void applyThreadDefault() {
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && !omp.isBlank()) {
            threadsNote = "OMP_NUM_THREADS=" + omp.strip();
            return;
        }
        String asked = System.getProperty("lovt.threads");
        String source = "-Dlovt.threads";
        if (asked == null || asked.isBlank()) {
            asked = System.getenv("LOVT_THREADS");
            source = "LOVT_THREADS";
        }
        if (asked != null && !asked.isBlank()) {
            int n;
            try {
                n = Integer.parseInt(asked.strip());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                throw new LovtException(source + " must be a positive number of threads, got '" + asked + "'");
            }
            torch.set_num_threads(n);
            threadsNote = "set by " + source;
            return;
        }
        int chosen = torch.get_num_threads();
        int physical = physicalCores(Runtime.getRuntime().availableProcessors(),
                Path.of("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list"));
        if (physical > chosen) {
            torch.set_num_threads(physical);
            threadsNote = "the physical cores available to this process, where libtorch chose " + chosen
                    + "; -Dlovt.threads or LOVT_THREADS to change";
        } else {
            threadsNote = "libtorch's default; -Dlovt.threads or LOVT_THREADS to change";
        }
    }

    /**
     * {@code processors} (those this process may use) divided by the hardware threads per core read from a Linux
     * {@code thread_siblings_list} ({@code 0}, {@code 0-1}, {@code 0,64}); 0 when the file cannot be read or parsed
     * (then nothing is changed).
     */
    static int physicalCores(int processors, Path siblingsList) {
        int perCore = 0;
        try {
            for (String part : Files.readString(siblingsList).strip().split(",")) {
                if (!part.strip().matches("\\d+(-\\d+)?")) {
                    return 0;
                }
                String[] range = part.strip().split("-");
                perCore += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return perCore < 1 ? 0 : Math.max(1, processors / perCore);
    }

    /** The folder the libtorch libraries were extracted to (inside the JavaCPP cache). */
    public static Path torchLibraryDir() {
        load();
        return torchDir;
    }

    /** JavaCPP's native cache directory ({@code org.bytedeco.javacpp.cachedir}, default {@code ~/.javacpp/cache}). */
    public static Path cacheDir() {
        try {
            return Loader.getCacheDir().toPath();
        } catch (IOException e) {
            throw new LovtException("cannot determine the JavaCPP cache directory: " + e.getMessage(), e);
        }
    }

    /** The libtorch version, read from its build configuration (e.g. {@code 2.10.0}). */
    public static String torchVersion() {
        load();
        String config = torch.show_config().getString();
        int i = config.indexOf("TORCH_VERSION=");
        if (i < 0) {
            return "unknown";
        }
        int end = i + "TORCH_VERSION=".length();
        while (end < config.length() && config.charAt(end) != ',' && !Character.isWhitespace(config.charAt(end))) {
            end++;
        }
        return config.substring(i + "TORCH_VERSION=".length(), end);
    }

    /**
     * The libtorch and c10 shared objects mapped into this process (from {@code /proc/self/maps}); every one of them
     * should lie in {@link #torchLibraryDir()}. Empty on systems without {@code /proc}.
     */
    public static List<Path> mappedTorchLibraries() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return List.of();
        }
        Set<Path> libs = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(maps)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path p = Path.of(line.substring(slash).trim());
                String name = p.getFileName().toString();
                if (name.startsWith("libtorch") || name.startsWith("libc10") || name.startsWith("libjnitorch")) {
                    libs.add(p);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(libs);
    }
}
