package org.lovt.torch.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lovt.torch.io.CheckpointTestSupport.dims;
import static org.lovt.torch.io.CheckpointTestSupport.stateDict;
import static org.lovt.torch.io.CheckpointTestSupport.storage;
import static org.lovt.torch.io.CheckpointTestSupport.tensor;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.torch.DType;
import org.lovt.torch.io.TorchSaveWriter.ZipOptions;

/**
 * A header claiming a 10^12-element tensor fails at once: an error naming the file and the tensor, within a few
 * megabytes of heap (nothing of the claimed size is allocated), in safetensors and in torch.save.
 */
class ClaimedSizeTest {
    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static LovtException refusedCheaply(org.junit.jupiter.api.function.Executable read) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        long t0 = System.nanoTime();
        LovtException e = assertThrows(LovtException.class, read);
        long allocated = THREADS.getThreadAllocatedBytes(id) - before;
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes for a claim: " + e.getMessage());
        assertTrue(ms < 2000, "took " + ms + " ms");
        return e;
    }

    @Test
    void safetensorsHeaderClaimingATrillionElements() throws Exception {
        String header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1000000, 1000000], \"data_offsets\": [0, 16]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = Files.write(dir.resolve("claim.safetensors"), b.array());
        LovtException e = refusedCheaply(() -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void torchSaveTensorClaimingATrillionElements() throws Exception {
        var s = storage("0", DType.F32, 6, 1);
        Object sd = stateDict("w", tensor(s, 0, dims(1_000_000, 1_000_000), dims(1_000_000, 1)));
        Path f = Files.write(dir.resolve("claim.pth"), TorchSaveWriter.zip(sd, ZipOptions.torch("archive")));
        LovtException e = refusedCheaply(() -> TorchCheckpoint.loadStateDict(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
