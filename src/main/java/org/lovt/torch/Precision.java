package org.lovt.torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;

/**
 * Mixed precision for one training run, with PyTorch's semantics: {@code FP16} is autocast to float16 with dynamic
 * loss scaling ({@code torch.cuda.amp.GradScaler}: the loss is multiplied by the scale before the backward pass, the
 * gradients are divided by it before clipping and the optimizer step, a step whose gradients are not all finite is
 * skipped and the scale multiplied by 0.5, and after 2000 finite steps in a row the scale doubles; initial scale
 * 2^16); {@code BF16} is autocast to bfloat16 without scaling (its range is float32's); {@code FP32} changes
 * nothing. Autocast is libtorch's own ({@code set_autocast_enabled}/{@code set_autocast_dtype}, thread-local): matrix
 * products and convolutions run in the low precision, reductions and losses stay float32, parameters and their
 * gradients stay float32.
 */
public final class Precision {
    /** The arithmetic of the forward pass. */
    public enum Mode { FP32, FP16, BF16 }

    private final Mode mode;
    private final torch.DeviceType device;
    private final double growthFactor;
    private final double backoffFactor;
    private final int growthInterval;
    private double scale;
    private int growthTracker;
    private long skipped;

    private Precision(Mode mode, torch.DeviceType device, double initScale, double growthFactor,
                      double backoffFactor, int growthInterval) {
        this.mode = mode;
        this.device = device;
        this.scale = initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    /** Plain float32. */
    public static Precision fp32() {
        return new Precision(Mode.FP32, torch.DeviceType.CPU, 1, 1, 1, 1);
    }

    /** {@code mode} on {@code device} with GradScaler's defaults (scale 2^16, ×2 every 2000 steps, ×0.5 on overflow). */
    public static Precision of(Mode mode, boolean cuda) {
        return of(mode, cuda, 65536.0, 2000);
    }

    /** As {@link #of(Mode, boolean)} with another initial scale and growth interval (tests). */
    public static Precision of(Mode mode, boolean cuda, double initScale, int growthInterval) {
        if (!(initScale > 0) || growthInterval < 1) {
            throw new LovtException("loss scaling needs an initial scale > 0 and a growth interval >= 1");
        }
        if (mode == Mode.BF16 && !cuda && !cpuHasNativeBf16()) {
            throw new LovtException("bfloat16 autocast on this CPU would be emulated, about 100 times slower than "
                    + "float32: it has no native bfloat16 instructions (avx512_bf16 or amx_bf16 in /proc/cpuinfo)");
        }
        return new Precision(mode, cuda ? torch.DeviceType.CUDA : torch.DeviceType.CPU, initScale, 2.0, 0.5,
                growthInterval);
    }

    /** Whether this CPU has native bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16), from /proc/cpuinfo. */
    public static boolean cpuHasNativeBf16() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    String flags = " " + line.substring(line.indexOf(':') + 1).strip() + " ";
                    return flags.contains(" avx512_bf16 ") || flags.contains(" amx_bf16 ");
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    public Mode mode() {
        return mode;
    }

    /** Whether losses are scaled (float16). */
    public boolean scales() {
        return mode == Mode.FP16;
    }

    /** The current loss scale (1 without scaling). */
    public double scale() {
        return scales() ? scale : 1.0;
    }

    /** Optimizer steps skipped because a gradient was not finite. */
    public long skippedSteps() {
        return skipped;
    }

    /** An autocast region; closing it throws nothing. */
    public interface Autocast extends AutoCloseable {
        @Override
        void close();
    }

    /** Autocast on this thread until closed (nothing for FP32); nests. */
    public Autocast autocast() {
        if (mode == Mode.FP32) {
            return () -> { };
        }
        boolean wasEnabled = torch.is_autocast_enabled(device);
        torch.ScalarType wasType = torch.get_autocast_dtype(device).intern();
        torch.set_autocast_enabled(device, true);
        torch.set_autocast_dtype(device, mode == Mode.FP16 ? torch.ScalarType.Half : torch.ScalarType.BFloat16);
        torch.increment_nesting();
        return () -> {
            if (torch.decrement_nesting() == 0) {
                torch.clear_cache();
            }
            torch.set_autocast_enabled(device, wasEnabled);
            torch.set_autocast_dtype(device, wasType);
        };
    }

    /** The loss to differentiate: {@code loss × scale} with float16, else {@code loss}. */
    public Tensor scaleLoss(Tensor loss) {
        return scales() ? loss.mul(new Scalar(scale)) : loss;
    }

    /**
     * Before clipping and the optimizer step: divides the gradients by the scale (float16) and tells whether all of
     * them are finite; true without scaling.
     */
    public boolean unscaleAndCheck(TensorVector params) {
        if (!scales()) {
            return true;
        }
        try (Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            TensorVector finite = new TensorVector();
            Scalar inv = new Scalar(1.0 / scale);
            for (long i = 0; i < params.size(); i++) {
                Tensor grad = params.get(i).grad();
                if (grad.defined()) {
                    grad.mul_(inv);
                    finite.push_back(torch.isfinite(grad).all());
                }
            }
            return finite.size() == 0 || torch.stack(finite).all().item_bool();
        }
    }

    /** After the step (taken or skipped): GradScaler's {@code update} with whether an overflow was found. */
    public void update(boolean foundInf) {
        if (!scales()) {
            return;
        }
        if (foundInf) {
            skipped++;
            scale *= backoffFactor;
            growthTracker = 0;
        } else if (++growthTracker == growthInterval) {
            double grown = scale * growthFactor;
            if (Double.isFinite(grown) && grown <= Float.MAX_VALUE) {
                scale = grown; // the scale is a float32 tensor in PyTorch: it stops growing at the float range
            }
            growthTracker = 0;
        }
    }

    /** The scaler's state for a checkpoint ({@code amp_scale}, {@code amp_growth_tracker}, {@code amp_skipped}). */
    public Map<String, Double> state() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (scales()) {
            m.put("amp_scale", scale);
            m.put("amp_growth_tracker", (double) growthTracker);
            m.put("amp_skipped", (double) skipped);
        }
        return m;
    }

    /** Restores {@link #state()} (keys absent: left as they are). */
    public void restore(Map<String, Double> state) {
        if (state.containsKey("amp_scale")) {
            scale = state.get("amp_scale");
            growthTracker = (int) Math.round(state.getOrDefault("amp_growth_tracker", 0.0));
            skipped = Math.round(state.getOrDefault("amp_skipped", 0.0));
        }
    }
}
