package org.lovt.eval.downstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;

/**
 * Fixed-size float records per sample and layer: the frozen backbone's feature maps of a split, computed once and
 * read back every epoch. Records live on the Java heap while the whole store fits {@code memoryBudget} bytes, else in
 * one file per layer under {@code spillDir} (read with positional reads; the page cache keeps what fits), deleted by
 * {@link #close()}.
 */
final class FeatureStore implements AutoCloseable {
    private final int samples;
    private final Map<String, Integer> floatsPer = new LinkedHashMap<>();
    private final Map<String, float[][]> memory = new LinkedHashMap<>();
    private final Map<String, FileChannel> files = new LinkedHashMap<>();
    private final Map<String, Path> paths = new LinkedHashMap<>();

    /**
     * @param layers       the layer names with their floats per sample
     * @param memoryBudget bytes the store may keep on the heap
     * @param spillDir     where the files go when it does not fit (created if needed)
     */
    FeatureStore(int samples, Map<String, Integer> layers, long memoryBudget, Path spillDir) {
        this.samples = samples;
        this.floatsPer.putAll(layers);
        long bytes = 0;
        for (int n : layers.values()) {
            bytes += 4L * n * samples;
        }
        boolean inMemory = bytes <= memoryBudget;
        try {
            for (var e : layers.entrySet()) {
                if (inMemory) {
                    memory.put(e.getKey(), new float[samples][]);
                } else {
                    Files.createDirectories(spillDir);
                    Path f = Files.createTempFile(spillDir, "features-" + e.getKey().replaceAll("[^A-Za-z0-9]", "_"),
                            ".f32");
                    paths.put(e.getKey(), f);
                    files.put(e.getKey(), FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            StandardOpenOption.DELETE_ON_CLOSE));
                }
            }
        } catch (IOException ex) {
            close();
            throw new LovtException("cannot create the feature cache in " + spillDir + ": " + ex.getMessage(), ex);
        }
    }

    /** Whether the records are on the heap (false: in files). */
    boolean inMemory() {
        return files.isEmpty();
    }

    int size() {
        return samples;
    }

    List<String> layers() {
        return List.copyOf(floatsPer.keySet());
    }

    /** Stores sample {@code index}'s record of {@code layer}. */
    void put(String layer, int index, float[] values) {
        int n = floatsPer.get(layer);
        if (values.length != n) {
            throw new LovtException("feature cache: layer " + layer + " holds " + n + " floats per sample, got "
                    + values.length);
        }
        float[][] m = memory.get(layer);
        if (m != null) {
            m[index] = values;
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        write(layer, (long) index * 4 * n, b);
    }

    /** The records of {@code indices}, concatenated in that order. */
    float[] gather(String layer, int[] indices) {
        int n = floatsPer.get(layer);
        float[] out = new float[n * indices.length];
        float[][] m = memory.get(layer);
        ByteBuffer b = m == null ? ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN) : null;
        for (int k = 0; k < indices.length; k++) {
            if (m != null) {
                float[] r = m[indices[k]];
                if (r == null) {
                    throw new IllegalStateException("feature cache: sample " + indices[k] + " of " + layer + " unset");
                }
                System.arraycopy(r, 0, out, k * n, n);
            } else {
                b.clear();
                read(layer, (long) indices[k] * 4 * n, b);
                b.flip();
                b.asFloatBuffer().get(out, k * n, n);
            }
        }
        return out;
    }

    private void write(String layer, long pos, ByteBuffer b) {
        try {
            FileChannel c = files.get(layer);
            while (b.hasRemaining()) {
                pos += c.write(b, pos);
            }
        } catch (IOException e) {
            throw new LovtException("cannot write the feature cache " + paths.get(layer) + ": " + e.getMessage(), e);
        }
    }

    private void read(String layer, long pos, ByteBuffer b) {
        try {
            FileChannel c = files.get(layer);
            while (b.hasRemaining()) {
                int r = c.read(b, pos);
                if (r < 0) {
                    throw new IOException("unexpected end of file");
                }
                pos += r;
            }
        } catch (IOException e) {
            throw new LovtException("cannot read the feature cache " + paths.get(layer) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        memory.clear();
        for (FileChannel c : files.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // DELETE_ON_CLOSE: nothing to keep
            }
        }
        files.clear();
    }
}
