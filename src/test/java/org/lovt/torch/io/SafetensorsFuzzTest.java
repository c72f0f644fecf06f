package org.lovt.torch.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;
import org.lovt.torch.HostTensor;

/** Coverage-guided fuzzing of the safetensors reader (contract: {@link FuzzContract}); every tensor's bytes are read. */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] data) {
        Path f = FuzzContract.scratch("fuzz.safetensors", data);
        FuzzContract.check("safetensors", data.length, 8, () -> {
            for (HostTensor t : Safetensors.read(f).tensors().values()) {
                touch(t);
            }
        });
    }

    /** Reads every byte of the tensor (a mapping past the file's end would fault here). */
    static long touch(HostTensor t) {
        ByteBuffer b = t.bytes();
        long sum = t.numel();
        for (int i = b.position(); i < b.limit(); i++) {
            sum += b.get(i);
        }
        return sum;
    }
}
