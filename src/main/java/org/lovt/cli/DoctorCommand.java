package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.lovt.torch.Devices;
import org.lovt.torch.KernelCheck;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt doctor}: what this machine offers the library, and whether the native setup is sound. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the libtorch version, threads, CUDA availability, native cache and Java version, "
                + "check that libtorch was loaded only from its own extracted folder, and show the oneDNN kernel "
                + "check's verdict and the cap in force.")
public final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--no-matmul", description = "Skip the float32 matmul throughput probe.")
    boolean noMatmul;

    @CommandLine.Option(names = "--recheck-kernels", description = "Run the oneDNN kernel check again now and "
            + "rewrite its cached verdict (this process keeps the cap it started with).")
    boolean recheckKernels;

    @CommandLine.Option(names = "--train-step", description = "Time one full-size ResNet-50 training step "
            + "(batch 8, 224x224, forward, backward and SGD update) on the default device.")
    boolean trainStep;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Natives.load();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        row(out, "lovt", new Main.Version().getVersion()[0].substring(5));
        row(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        row(out, "jvm heap max", (rt.maxMemory() >> 20) + " MiB");
        row(out, "os / cpus", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + rt.availableProcessors() + " processors visible to the JVM");
        row(out, "libtorch", Natives.torchVersion() + String.format(" (loaded in %.1f s)", loadSeconds));
        row(out, "threads", "intra-op " + torch.get_num_threads() + " (" + Natives.threadsNote() + "), inter-op "
                + torch.get_num_interop_threads());
        row(out, "bf16 on cpu", org.lovt.torch.Precision.cpuHasNativeBf16()
                ? "native (avx512_bf16 or amx_bf16): trainer.amp_dtype=bfloat16 with trainer.amp_on_cpu=true is usable"
                : "emulated (no avx512_bf16/amx_bf16), about 100x slower than float32: bfloat16 autocast is refused");
        row(out, "backends", "OpenMP " + torch.hasOpenMP() + ", oneDNN " + torch.hasMKLDNN() + ", MKL "
                + torch.hasMKL() + ", LAPACK " + torch.hasLAPACK());
        boolean cuda = Devices.cudaAvailable();
        row(out, "cuda", cuda ? "available, " + Devices.cudaDeviceCount() + " device(s)"
                : "not available (" + (torch.hasCUDA() ? "no device/driver" : "CPU build of libtorch") + ")");
        row(out, "default device", Devices.name(Devices.best()));
        row(out, "native cache", Natives.cacheDir().toString());
        row(out, "libtorch dir", Natives.torchLibraryDir().toString());
        List<Path> mapped = Natives.mappedTorchLibraries();
        Path dir = Natives.torchLibraryDir();
        List<Path> foreign = mapped.stream().filter(p -> !p.startsWith(dir)).toList();
        row(out, "isolation", foreign.isEmpty()
                ? "ok: all " + mapped.size() + " libtorch/c10 libraries mapped from the libtorch dir"
                : "PROBLEM: libraries from elsewhere are mapped: " + foreign);
        KernelCheck.Verdict kernels = KernelCheck.current();
        row(out, "kernel check", kernels.checkDescription());
        row(out, "oneDNN cap", kernels.capDescription());
        if (recheckKernels) {
            out.flush();
            KernelCheck.Verdict again = KernelCheck.recheck(line -> System.err.println("lovt: " + line));
            row(out, "kernel recheck", again.checkDescription());
            row(out, "new cap", again.capDescription() + " (from the next start on)");
        }
        if (!noMatmul) {
            row(out, "matmul fp32", String.format("%.1f GFLOP/s (1024x1024x1024, best of 5)", matmulGflops()));
        }
        if (trainStep) {
            out.flush();
            row(out, "resnet50 step", resnet50Step());
        }
        out.flush();
        return foreign.isEmpty() ? 0 : 1;
    }

    private static double matmulGflops() {
        double best = Double.MAX_VALUE;
        try (Scope s = Scope.open()) {
            Tensor a = torch.randn(1024, 1024);
            Tensor b = torch.randn(1024, 1024);
            a.matmul(b);
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                a.matmul(b).sum().item_double();
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }

    /** One warm-up and two timed ResNet-50 training steps; the faster timed one. */
    private static String resnet50Step() {
        org.bytedeco.pytorch.Device device = Devices.best();
        ResNet model = new ResNet(ResNetConfig.resnet50(1000));
        model.to(device, false);
        model.train(true);
        SGD sgd = new SGD(model.parameters(), new SGDOptions(0.01));
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            try (Scope s = Scope.open()) {
                Tensor x = torch.randn(8, 3, 224, 224).to(device, torch.ScalarType.Float);   // (8, 3, 224, 224)
                Tensor y = torch.randint(1000, new long[] {8}).to(device, torch.ScalarType.Long);
                long t = System.nanoTime();
                sgd.zero_grad();
                Tensor loss = torch.cross_entropy(model.forward(x), y);                    // ()
                loss.backward();
                sgd.step();
                double l = loss.item_double();
                if (!Double.isFinite(l)) {
                    return "FAILED: the loss is " + l;
                }
                if (i > 0) {
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                }
            }
        }
        return String.format("%.2f s (batch 8, 224x224, forward + backward + SGD, %s, best of 2 after a warm-up)",
                best, Devices.name(device));
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-15s %s%n", key, value);
    }
}
