package org.lovt.torch.io;

import java.nio.file.Path;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;
import org.lovt.torch.HostTensor;

/**
 * Coverage-guided fuzzing of the torch.save reader: the zip container (PyTorch ≥ 1.6) and the legacy pickle stream,
 * each from its own seeds (contract: {@link FuzzContract}). Both read the state dict and every tensor's bytes, as
 * loading a checkpoint does.
 */
class TorchCheckpointFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void zip(byte[] data) {
        read("zip.pth", data);
    }

    @FuzzTest(maxDuration = "10m")
    void legacy(byte[] data) {
        read("legacy.pth", data);
    }

    private static void read(String name, byte[] data) {
        Path f = FuzzContract.scratch(name, data);
        FuzzContract.check("torch.save " + name, data.length, 16, () -> {
            Map<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f,
                    TorchCheckpoint.Options.defaults().lenient(true));
            for (HostTensor t : sd.values()) {
                SafetensorsFuzzTest.touch(t);
            }
        });
    }
}
