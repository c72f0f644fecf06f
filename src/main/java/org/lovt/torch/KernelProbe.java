package org.lovt.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The convolutions that {@link KernelCheck} runs to decide whether this machine's oneDNN kernels are sound:
 * float32 forward, input gradient and weight gradient (oneDNN) against the same computation in float64 (libtorch's
 * own convolution, which oneDNN does not implement).
 *
 * <p>The cases are the minimal reproductions of the faults found on AMD EPYC (family 26) virtual machines whose
 * CPUID hides the cache and topology leaves: channel counts that oneDNN pads to its vector width (4, 8, 12, 24 on
 * AVX2 and AVX-512) give wrong or NaN input gradients, and the 1×1 stride-2 downsample convolutions of ResNet-50's
 * {@code layer3.0} and {@code layer4.0} kill the process with SIGFPE while their input gradient is set up. Because
 * a kernel that reads uninitialised padding passes on fresh zeroed memory, the heap is filled with NaN-carrying
 * buffers before every case, and every case runs twice, with one thread and with several.
 *
 * <p>{@link #main} is the child-process entry point; it prints one line per case and exits with {@link #EXIT_OK} or
 * {@link #EXIT_FAILED}. Internal: used by {@link KernelCheck} and its tests.
 */
final class KernelProbe {
    /** Exit status of a child whose cases all matched the float64 reference. */
    public static final int EXIT_OK = 0;
    /** Exit status of a child in which some case was wrong or non-finite. */
    public static final int EXIT_FAILED = 3;
    /** Largest error, relative to the reference's largest magnitude, that counts as a match (float32 vs float64). */
    static final double TOLERANCE = 1e-4;
    /** The child's first line, printed once libtorch is loaded: from then on a dying child is a verdict. */
    static final String STARTED = "kernel probe started";
    /** Printed before each case, so that a child that dies names the case that killed it. */
    static final String RUNNING = "RUN ";

    /** One convolution without bias: batch, channels in and out, square input size, kernel, stride, padding. */
    record Case(String name, int batch, int in, int out, int size, int kernel, int stride, int padding) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (conv %d->%d %dx%d/%d, input %dx%dx%dx%d)", name, in, out, kernel,
                    kernel, stride, batch, in, size, size);
        }
    }

    /** The outcome of one case: the largest relative error over output, input gradient and weight gradient. */
    record Outcome(Case c, int threads, String worst, double error) {
        boolean ok() {
            return error <= TOLERANCE;   // false for NaN
        }

        String line() {
            return String.format(Locale.ROOT, "%s %s threads=%d %s rel %.3e", ok() ? "PASS" : "FAIL", c, threads,
                    worst, error);
        }
    }

    /** Padded channel counts (not multiples of 8 or 16): wrong input gradients, no crash. Cheap. */
    static final List<Case> PADDED = List.of(
            new Case("stem", 2, 3, 8, 64, 7, 2, 3),
            new Case("padded", 2, 4, 4, 16, 3, 1, 1),
            new Case("padded", 2, 8, 8, 16, 3, 1, 1),
            new Case("padded", 2, 12, 12, 16, 3, 1, 1),
            new Case("padded", 2, 24, 24, 16, 3, 1, 1),
            new Case("downsample", 2, 8, 32, 16, 1, 2, 0));

    /** ResNet-50's own shapes, among them the two that crashed. */
    static final List<Case> RESNET50 = List.of(
            new Case("resnet50 layer1", 2, 64, 64, 28, 3, 1, 1),
            new Case("resnet50 layer2.0", 2, 128, 128, 28, 3, 2, 1),
            new Case("resnet50 layer3.0.downsample", 1, 512, 1024, 28, 1, 2, 0),
            new Case("resnet50 layer4.0.downsample", 1, 1024, 2048, 14, 1, 2, 0));

    private KernelProbe() {}

    /** Every case the child runs. */
    static List<Case> allCases() {
        List<Case> all = new ArrayList<>(PADDED);
        all.addAll(RESNET50);
        return all;
    }

    /**
     * Child entry point: runs every case (twice, with one thread and with the default thread count, at least two)
     * and prints one line each. The oneDNN ISA cap is whatever {@code ONEDNN_MAX_CPU_ISA} the parent set.
     */
    public static void main(String[] args) {
        Natives.load();
        System.out.println(STARTED);
        int threads = Math.max(2, torch.get_num_threads());
        boolean ok = true;
        for (int t : new int[] {1, threads}) {
            torch.set_num_threads(t);
            for (int rep = 0; rep < 2; rep++) {
                for (Case c : allCases()) {
                    System.out.println(RUNNING + c + " threads=" + t);
                    System.out.flush();
                    Outcome o = run(c, t, 1234 + rep, true);
                    System.out.println(o.line());
                    System.out.flush();
                    ok &= o.ok();
                }
            }
        }
        System.exit(ok ? EXIT_OK : EXIT_FAILED);
    }

    /**
     * Runs the cheap padded-channel cases in this process, on the heap as it is (no NaN filling: that is for the
     * thorough check in the child; uncapped kernels get these cases wrong on fresh memory too); the failures (empty
     * when sound). Proves at start-up that a cap took effect, in tens of milliseconds.
     */
    static List<Outcome> runPaddedHere() {
        List<Outcome> failed = new ArrayList<>();
        for (Case c : PADDED) {
            Outcome o = run(c, torch.get_num_threads(), 1234, false);
            if (!o.ok()) {
                failed.add(o);
            }
        }
        return failed;
    }

    /** One case: float32 against float64, optionally after filling freed heap memory with NaN. */
    static Outcome run(Case c, int threads, long seed, boolean poison) {
        if (poison) {
            poisonHeap();
        }
        try (Scope s = Scope.open()) {
            torch.manual_seed(seed);
            Tensor x = torch.randn(c.batch(), c.in(), c.size(), c.size());                     // (B, Cin, H, W)
            Tensor w = torch.randn(c.out(), c.in(), c.kernel(), c.kernel())
                    .mul(new Scalar(1.0 / Math.sqrt((double) c.in() * c.kernel() * c.kernel())));   // (Cout, Cin, k, k)
            int outSize = (c.size() + 2 * c.padding() - c.kernel()) / c.stride() + 1;
            Tensor g = torch.randn(c.batch(), c.out(), outSize, outSize);                      // (B, Cout, H', W')
            Tensor[] f32 = convWithGradients(c, x, w, g, ScalarType.Float);
            Tensor[] f64 = convWithGradients(c, x, w, g, ScalarType.Double);
            String[] names = {"output", "grad_input", "grad_weight"};
            String worst = names[0];
            double error = 0;
            for (int i = 0; i < 3; i++) {
                double e = relativeError(f32[i], f64[i]);
                if (!(e <= error)) {          // NaN wins
                    error = e;
                    worst = names[i];
                }
            }
            return new Outcome(c, threads, worst, error);
        }
    }

    private static Tensor[] convWithGradients(Case c, Tensor x, Tensor w, Tensor g, ScalarType type) {
        Tensor xx = x.to(type).detach().requires_grad_(true);
        Tensor ww = w.to(type).detach().requires_grad_(true);
        Tensor y = torch.conv2d(xx, ww, new TensorOptional(), new long[] {c.stride(), c.stride()},
                new long[] {c.padding(), c.padding()}, new long[] {1, 1}, 1);
        y.mul(g.to(type)).sum().backward();
        return new Tensor[] {y.detach(), xx.grad(), ww.grad()};
    }

    /** max |a − b| / max |b|, NaN when {@code a} has a non-finite value. */
    private static double relativeError(Tensor actual, Tensor reference) {
        Tensor a = actual.to(ScalarType.Double);
        if (!a.isfinite().all().item_bool()) {
            return Double.NaN;
        }
        return a.sub(reference).abs().max().item_double() / Math.max(reference.abs().max().item_double(), 1e-30);
    }

    /** Allocates NaN-filled buffers of many sizes and frees them, so that later allocations reuse dirty memory. */
    private static void poisonHeap() {
        try (Scope s = Scope.open()) {
            for (long n = 256; n <= (1L << 20); n *= 2) {
                for (int i = 0; i < 4; i++) {
                    torch.full(new long[] {n}, new Scalar(Float.NaN));
                }
            }
        }
    }
}
