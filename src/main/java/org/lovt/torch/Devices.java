package org.lovt.torch;

import java.util.Locale;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.lovt.LovtException;

/**
 * Device selection: CUDA when the GPU build of libtorch finds a device, otherwise CPU.
 *
 * <p>The choice can be forced with the system property {@code lovt.device} or the environment variable
 * {@code LOVT_DEVICE} ({@code cpu}, {@code cuda}, {@code cuda:1}); asking for CUDA where there is none is an error
 * rather than a silent fallback.
 */
public final class Devices {
    private Devices() {}

    /** Whether libtorch can use a CUDA device (false on the CPU build, without an exception). */
    public static boolean cudaAvailable() {
        Natives.load();
        return torch.cuda_is_available();
    }

    /** Number of visible CUDA devices (0 on the CPU build). */
    public static long cudaDeviceCount() {
        Natives.load();
        return torch.cuda_device_count();
    }

    /** The device requested by {@code lovt.device} / {@code LOVT_DEVICE}, else CUDA 0 when available, else CPU. */
    public static Device best() {
        String requested = System.getProperty("lovt.device", System.getenv("LOVT_DEVICE"));
        if (requested != null && !requested.isBlank()) {
            return parse(requested);
        }
        return cudaAvailable() ? new Device(DeviceType.CUDA, (byte) 0) : new Device(DeviceType.CPU);
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}; CUDA requests are checked against the visible devices. */
    public static Device parse(String spec) {
        Natives.load();
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return new Device(DeviceType.CPU);
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            int index = 0;
            if (s.startsWith("cuda:")) {
                try {
                    index = Integer.parseInt(s.substring(5));
                } catch (NumberFormatException e) {
                    throw new LovtException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
                }
            }
            long count = cudaDeviceCount();
            if (index < 0 || index >= count) {
                throw new LovtException("device '" + spec + "' requested but libtorch sees " + count
                        + " CUDA device(s)" + (count == 0 ? " (CPU build of libtorch, or no GPU/driver)" : ""));
            }
            return new Device(DeviceType.CUDA, (byte) index);
        }
        throw new LovtException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    /** A short name such as {@code cpu} or {@code cuda:0}. */
    public static String name(Device device) {
        return device.str().getString();
    }
}
