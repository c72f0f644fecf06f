package org.lovt.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.lovt.LovtException;

/**
 * A tensor held in Java memory: dtype, shape and its elements as contiguous, C-ordered, little-endian bytes.
 *
 * <p>This is what the file readers ({@code Safetensors}, {@code TorchCheckpoint}) produce before anything
 * touches libtorch, so that format parsing is plain, testable Java and the native side receives only validated
 * data. The buffer may be a zero-copy slice of a memory-mapped file; it is read-only for consumers.
 *
 * @param dtype element type
 * @param shape sizes of each dimension (empty for a scalar)
 * @param data exactly {@code numel(shape) * dtype.byteSize()} bytes, position 0, little-endian
 */
public record HostTensor(DType dtype, long[] shape, ByteBuffer data) {

    public HostTensor {
        if (dtype == null || shape == null || data == null) {
            throw new IllegalArgumentException("dtype, shape and data are required");
        }
        shape = shape.clone();
        long expected = byteLength(dtype, shape);
        if (data.remaining() != expected) {
            throw new LovtException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements; 1 for a scalar. */
    public long numel() {
        return numel(shape);
    }

    /** Size in bytes of the element data. */
    public long byteSize() {
        return data.remaining();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer bytes() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Element count of a shape; rejects negative sizes and products that overflow a long. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new LovtException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Byte length of a contiguous tensor of this dtype and shape; overflow raises an exception. */
    public static long byteLength(DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(numel(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new LovtException("shape " + Arrays.toString(shape) + " is too large (element count overflows)");
        }
    }

    /** Whether dtype, shape and bytes are all equal. */
    public boolean contentEquals(HostTensor other) {
        return dtype == other.dtype && Arrays.equals(shape, other.shape) && bytes().equals(other.bytes());
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
