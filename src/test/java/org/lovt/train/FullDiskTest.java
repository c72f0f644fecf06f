package org.lovt.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.data.image.ImageCache;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Natives;
import org.lovt.torch.io.Safetensors;
import org.lovt.testing.SmallDisk;
import org.lovt.util.AtomicFiles;
import org.lovt.util.StagingDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk (a 4 MB tmpfs, mounted by this test where it runs as root and may mount; skipped with a message
 * elsewhere): every writer fails with the path in the error, the previous good state stays, and nothing half-written is
 * left that looks complete.
 */
class FullDiskTest {
    @TempDir
    static Path tmp;
    static Path disk;

    @BeforeAll
    static void mount() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("disk"), "4m");
        Natives.load();
    }

    @AfterAll
    static void unmount() throws Exception {
        SmallDisk.unmount(disk);
    }

    private static void fill(long free) throws IOException {
        SmallDisk.fill(disk, free);
    }

    private static List<String> leftovers(Path dir) throws IOException {
        return SmallDisk.leftovers(dir);
    }

    @Test
    void everyWriterFailsCleanlyOnAFullDisk() throws Exception {
        Path text = disk.resolve("state.txt");
        AtomicFiles.writeString(text, "good");
        Path ckptDir = disk.resolve("checkpoints");
        Checkpoints checkpoints = new Checkpoints(ckptDir);
        LinearImpl small = new LinearImpl(8, 8);
        checkpoints.save("c1", small, new SGD(small.parameters(), new SGDOptions(0.1)), TrainState.start(),
                Checkpoints.LAST);
        fill(64 * 1024);

        IOException io = assertThrows(IOException.class, () -> AtomicFiles.writeString(text, "x".repeat(1 << 20)));
        assertTrue(String.valueOf(io.getMessage()).contains("space") || io instanceof java.nio.file.FileSystemException,
                String.valueOf(io));
        assertEquals("good", Files.readString(text), "the previous file is untouched");

        ByteBuffer data = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        Path weights = disk.resolve("weights.safetensors");
        LovtException e = assertThrows(LovtException.class, () -> Safetensors.write(weights,
                Map.of("w", new HostTensor(DType.F32, new long[] {1 << 18}, data)), Map.of()));
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
        assertFalse(Files.exists(weights));

        LinearImpl big = new LinearImpl(400, 400);                         // 640 KB of weights
        LovtException c = assertThrows(LovtException.class, () -> checkpoints.save("c2", big,
                new SGD(big.parameters(), new SGDOptions(0.1)), TrainState.start(), Checkpoints.LAST));
        assertTrue(c.getMessage().contains("cannot write checkpoint") && c.getMessage().contains("c2"), c.getMessage());
        assertEquals(ckptDir.resolve("c1"), checkpoints.resolve(Checkpoints.LAST).orElseThrow(), "last is unchanged");
        assertNull(Checkpoints.verify(ckptDir.resolve("c1")), "and intact");
        assertFalse(Files.exists(ckptDir.resolve("c2")));

        // The image cache (a miss decodes the source and writes the reduced copy): the error names the entry.
        fill(1024);
        Path jpeg;
        try (var files = Files.walk(TestData.require("data/mimic-cxr-sample/files"))) {
            jpeg = files.filter(f -> f.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        ImageCache cache = new ImageCache(disk.resolve("image-cache"), 256);
        LovtException ic = assertThrows(LovtException.class, () -> cache.load(jpeg));
        assertTrue(ic.getMessage().startsWith("cannot write image cache entry " + disk.resolve("image-cache"))
                && ic.getMessage().contains(jpeg.toString()), ic.getMessage());

        // A preparation that cannot even take its folder's lock fails at once, naming the path.
        Path prepared = disk.resolve("prepared");
        LovtException lock = assertThrows(LovtException.class, () -> StagingDir.begin(prepared).close());
        assertTrue(lock.getMessage().contains(disk.toString()), lock.getMessage());
        Files.delete(disk.resolve("filler"));
        fill(64 * 1024);

        try (StagingDir s = StagingDir.begin(prepared)) {
            assertThrows(IOException.class, () -> Files.write(s.dir().resolve("big.bin"), new byte[1 << 20]));
        }
        assertFalse(Files.exists(prepared), "no folder appears at the target");
        assertEquals(List.of(), leftovers(disk), "nothing half-written is left");
    }
}
