package org.lovt.torch.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bounds-checked, read-only access to a checkpoint file: small positional reads for metadata, and memory-mapped
 * slices for tensor data.
 *
 * <p>Files below 2 GiB are mapped once and sliced, because one mapping per storage would cost a system call and a
 * kernel map entry per tensor. Larger files cannot be held by one {@link MappedByteBuffer} (int-indexed), so their
 * slices are mapped individually. A mapping stays valid after the channel is closed, so tensors outlive this
 * object.
 */
final class FileSource implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer whole;

    FileSource(Path path) {
        this(path, true);
    }

    /**
     * @param mapWhole map the whole file once when it is below 2 GiB; false forces one mapping per slice, the path
     *     that files above 2 GiB always take (so that tests can exercise it without such a file)
     */
    FileSource(Path path, boolean mapWhole) {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointFormatException(path, "cannot open file: " + e, e);
        }
        try {
            this.size = channel.size();
            this.whole = mapWhole && size <= Integer.MAX_VALUE
                    ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
        } catch (IOException e) {
            closeQuietly();
            throw new CheckpointFormatException(path, "cannot map file: " + e, e);
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** Reads {@code length} bytes at {@code offset} into a new array; the range must lie inside the file. */
    byte[] read(long offset, int length, String what) {
        check(offset, length, what);
        byte[] out = new byte[length];
        if (whole != null) {
            whole.get((int) offset, out);
            return out;
        }
        ByteBuffer buf = ByteBuffer.wrap(out);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new CheckpointFormatException(path, "file shrank while reading " + what);
                }
            }
        } catch (IOException e) {
            throw new CheckpointFormatException(path, "cannot read " + what + ": " + e, e);
        }
        return out;
    }

    /** A read-only view of {@code length} bytes at {@code offset}, without copying. */
    ByteBuffer slice(long offset, long length, String what) {
        check(offset, length, what);
        if (length > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(path, what + " is " + length
                    + " bytes; a single tensor or record above 2 GiB is not supported");
        }
        if (whole != null) {
            return whole.slice((int) offset, (int) length).asReadOnlyBuffer();
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).asReadOnlyBuffer();
        } catch (IOException e) {
            throw new CheckpointFormatException(path, "cannot map " + what + ": " + e, e);
        }
    }

    private void check(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new CheckpointFormatException(path, what + " (bytes " + offset + ".." + (offset + length)
                    + ") lies outside the file of " + size + " bytes; the file is truncated or corrupt");
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing was written that a failed close could lose.
        }
    }
}
