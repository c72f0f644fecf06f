package org.lovt.torch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.PickleWriter.Global;
import org.lovt.torch.io.PickleWriter.OrderedDict;
import org.lovt.torch.io.PickleWriter.Reduce;
import org.lovt.torch.io.PickleWriter.Storage;
import org.lovt.torch.io.PickleWriter.Tensor;
import org.lovt.torch.io.PickleWriter.Tup;

/** TEST HELPER ONLY: small builders shared by the checkpoint tests. */
final class CheckpointTestSupport {
    private CheckpointTestSupport() {}

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A zip checkpoint of {@code root} in archive folder {@code archive/}. */
    static Path zip(Path dir, String name, Object root) throws IOException {
        return write(dir, name, TorchSaveWriter.zip(root, TorchSaveWriter.ZipOptions.torch("archive")));
    }

    /** Seeded pseudo-random storage bytes; bool storages hold only 0 and 1, as torch writes them. */
    static byte[] randomBytes(DType dtype, int numel, long seed) {
        byte[] b = new byte[numel * dtype.byteSize()];
        new Random(seed).nextBytes(b);
        if (dtype == DType.BOOL) {
            for (int i = 0; i < b.length; i++) {
                b[i] &= 1;
            }
        }
        return b;
    }

    static Storage storage(String key, DType dtype, int numel, long seed) {
        return Storage.of(key, dtype, randomBytes(dtype, numel, seed));
    }

    /** An OrderedDict of tensors (a state dict). */
    static OrderedDict stateDict(Object... namesAndTensors) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            m.put(namesAndTensors[i], namesAndTensors[i + 1]);
        }
        return new OrderedDict(m);
    }

    static Map<Object, Object> dict(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Reduce call(String module, String name, Object... args) {
        return new Reduce(new Global(module, name), Tup.of(args));
    }

    static Tensor tensor(Storage s, long offset, long[] size, long[] stride) {
        return Tensor.of(s, offset, size, stride);
    }

    static long[] dims(long... v) {
        return v;
    }

    /**
     * The expected C-order bytes of a strided view, computed independently of the reader by walking every
     * multi-index recursively.
     */
    static byte[] expected(byte[] storage, int es, long offset, long[] size, long[] stride, boolean swap) {
        long numel = 1;
        for (long s : size) {
            numel *= s;
        }
        byte[] out = new byte[(int) (numel * es)];
        int[] pos = {0};
        walk(storage, es, offset, size, stride, 0, swap, out, pos);
        return out;
    }

    private static void walk(byte[] storage, int es, long base, long[] size, long[] stride, int dim, boolean swap,
            byte[] out, int[] pos) {
        if (dim == size.length) {
            for (int b = 0; b < es; b++) {
                out[pos[0] + b] = storage[(int) (base * es) + (swap ? es - 1 - b : b)];
            }
            pos[0] += es;
            return;
        }
        for (long i = 0; i < size[dim]; i++) {
            walk(storage, es, base + i * stride[dim], size, stride, dim + 1, swap, out, pos);
        }
    }

    static byte[] bytes(HostTensor t) {
        ByteBuffer b = t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
