package org.lovt.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.lovt.LovtException;

/**
 * Java arrays and {@link HostTensor}s to libtorch tensors and back.
 *
 * <p>Every conversion copies exactly once, into or out of libtorch-owned memory: a tensor never aliases a Java
 * buffer whose lifetime libtorch cannot see. Tensors returned here belong to the caller's {@link Scope}.
 */
public final class Tensors {
    private Tensors() {}

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // HostTensor bytes are little-endian; copying them raw is only right on a little-endian machine.
            throw new ExceptionInInitializerError("LoVT for the JVM needs a little-endian platform");
        }
    }

    /** libtorch's scalar type for a dtype. */
    public static ScalarType scalarType(DType dtype) {
        return switch (dtype) {
            case F64 -> ScalarType.Double;
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case F8_E4M3 -> ScalarType.Float8_e4m3fn;
            case F8_E5M2 -> ScalarType.Float8_e5m2;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U64 -> ScalarType.UInt64;
            case U32 -> ScalarType.UInt32;
            case U16 -> ScalarType.UInt16;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /** The dtype of a tensor; scalar types without a file-format name (complex, quantized) raise an exception. */
    public static DType dtype(Tensor t) {
        // Enums coming back from native code are fresh instances: compare their values (libtorch-java.md §9.2).
        int v = t.scalar_type().value;
        for (DType d : DType.values()) {
            if (scalarType(d).value == v) {
                return d;
            }
        }
        throw new LovtException("tensor scalar type " + t.scalar_type() + " has no file-format dtype");
    }

    /** The shape of a tensor as a Java array. */
    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    /** Allocates an uninitialised CPU tensor. */
    public static Tensor empty(DType dtype, long... shape) {
        Natives.load();
        return torch.empty(shape, new TensorOptions(scalarType(dtype)), new MemoryFormatOptional());
    }

    /** Copies a host tensor into a new libtorch CPU tensor (one memcpy). */
    public static Tensor fromHost(HostTensor h) {
        Tensor t = empty(h.dtype(), h.shape());
        if (h.byteSize() > 0) {
            writableBytes(t).put(h.bytes());
        }
        return t;
    }

    /** Copies a tensor (any device, any layout) into a contiguous little-endian host tensor. */
    public static HostTensor toHost(Tensor t) {
        DType dtype = dtype(t);
        Tensor c = t.is_cpu() ? t : t.cpu();
        c = c.contiguous();
        long n = c.nbytes();
        if (n > Integer.MAX_VALUE) {
            throw new LovtException("tensor of shape " + Arrays.toString(shape(t)) + " is too large for a Java buffer");
        }
        ByteBuffer out = ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN);
        if (n > 0) {
            out.put(readableBytes(c));
        }
        out.flip();
        return new HostTensor(dtype, shape(t), out);
    }

    /** A float32 tensor holding {@code data} in the given shape (C order). */
    public static Tensor floats(float[] data, long... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.F32, shape);
        writableBytes(t).asFloatBuffer().put(data);
        return t;
    }

    /** A float64 tensor holding {@code data} in the given shape (C order). */
    public static Tensor doubles(double[] data, long... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.F64, shape);
        writableBytes(t).asDoubleBuffer().put(data);
        return t;
    }

    /** An int64 tensor holding {@code data} in the given shape (C order). */
    public static Tensor longs(long[] data, long... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.I64, shape);
        writableBytes(t).asLongBuffer().put(data);
        return t;
    }

    /** An int32 tensor holding {@code data} in the given shape (C order). */
    public static Tensor ints(int[] data, long... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.I32, shape);
        writableBytes(t).asIntBuffer().put(data);
        return t;
    }

    /** A bool tensor holding {@code data} in the given shape (C order). */
    public static Tensor bools(boolean[] data, long... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.BOOL, shape);
        ByteBuffer b = writableBytes(t);
        for (boolean v : data) {
            b.put((byte) (v ? 1 : 0));
        }
        return t;
    }

    /** The elements of a tensor as floats (converted from its dtype, C order). */
    public static float[] toFloats(Tensor t) {
        Tensor c = convertedContiguous(t, ScalarType.Float);
        float[] out = new float[(int) c.numel()];
        readableBytes(c).asFloatBuffer().get(out);
        return out;
    }

    /** The elements of a tensor as doubles (converted from its dtype, C order). */
    public static double[] toDoubles(Tensor t) {
        Tensor c = convertedContiguous(t, ScalarType.Double);
        double[] out = new double[(int) c.numel()];
        readableBytes(c).asDoubleBuffer().get(out);
        return out;
    }

    /** The elements of a tensor as longs (converted from its dtype, C order). */
    public static long[] toLongs(Tensor t) {
        Tensor c = convertedContiguous(t, ScalarType.Long);
        long[] out = new long[(int) c.numel()];
        readableBytes(c).asLongBuffer().get(out);
        return out;
    }

    private static Tensor convertedContiguous(Tensor t, ScalarType target) {
        if (t.numel() > Integer.MAX_VALUE) {
            throw new LovtException("tensor of shape " + Arrays.toString(shape(t)) + " is too large for a Java array");
        }
        Tensor c = t.is_cpu() ? t : t.cpu();
        if (c.scalar_type().value != target.value) {
            c = c.to(target);
        }
        return c.contiguous();
    }

    private static void checkLength(int length, long[] shape) {
        long n = HostTensor.numel(shape);
        if (n != length) {
            throw new LovtException("array of " + length + " elements does not fit shape " + Arrays.toString(shape)
                    + " (" + n + " elements)");
        }
    }

    /** The bytes of a contiguous CPU tensor, as a little-endian buffer positioned at 0. */
    private static ByteBuffer writableBytes(Tensor t) {
        if (t.nbytes() == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return new BytePointer(t.data_ptr()).capacity(t.nbytes()).asBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readableBytes(Tensor contiguousCpu) {
        return writableBytes(contiguousCpu).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
