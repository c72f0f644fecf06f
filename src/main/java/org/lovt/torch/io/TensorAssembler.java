package org.lovt.torch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/**
 * Turns (storage, offset, size, stride) into a contiguous little-endian {@link HostTensor}, the way
 * {@code torch.empty(0).set_(storage, offset, size, stride)} followed by {@code contiguous()} would.
 *
 * <p>A tensor whose strides are the C-order strides of its shape is a zero-copy slice of the storage bytes; anything
 * else (a transposed or sliced view, an expanded zero-stride tensor, data from a big-endian archive) is gathered
 * into a new buffer. Every index is validated against the storage before a byte is touched, and the bytes gathered
 * over a whole file are capped, because zero strides let a one-element storage claim an arbitrarily large tensor.
 */
final class TensorAssembler {
    private final Path file;
    private final boolean bigEndian;
    private final boolean copyAll;
    private final long copyLimit;
    private long copied;

    /**
     * @param bigEndian whether storage bytes are big-endian (a {@code byteorder} record saying {@code big})
     * @param copyAll copy even contiguous tensors out of the file mapping
     * @param copyLimit the most bytes that strided or byte-swapped tensors may allocate, all together
     */
    TensorAssembler(Path file, boolean bigEndian, boolean copyAll, long copyLimit) {
        this.file = file;
        this.bigEndian = bigEndian;
        this.copyAll = copyAll;
        this.copyLimit = copyLimit;
    }

    /**
     * Builds the tensor. {@code offset} and strides count elements of {@code dtype}. Returns null when the storage
     * bytes are not known yet (the legacy reader's first pass), after all checks that need only the metadata.
     */
    HostTensor build(String what, StorageRef storage, DType dtype, long offset, long[] size, long[] stride) {
        if (size.length != stride.length) {
            throw fail(what, "has " + size.length + " sizes but " + stride.length + " strides");
        }
        int es = dtype.byteSize();
        long numel;
        try {
            numel = HostTensor.numel(size);
        } catch (RuntimeException e) {
            throw fail(what, "has an invalid shape " + Arrays.toString(size) + " (negative or overflowing)");
        }
        for (long s : stride) {
            if (s < 0) {
                throw fail(what, "has a negative stride " + Arrays.toString(stride));
            }
        }
        if (offset < 0) {
            throw fail(what, "has a negative storage offset " + offset);
        }
        // Elements of `dtype` the storage holds; an untyped storage read with a wider dtype rounds down.
        long storageElems = storage.nbytes() / es;
        long nbytes;
        try {
            nbytes = Math.multiplyExact(numel, (long) es);
        } catch (ArithmeticException e) {
            throw fail(what, "shape " + Arrays.toString(size) + " is too large");
        }
        if (numel == 0) {
            if (offset > storageElems) {
                throw fail(what, "storage offset " + offset + " is beyond storage '" + storage.key() + "' of "
                        + storageElems + " elements");
            }
            return storage.bytes() == null ? null : new HostTensor(dtype, size, ByteBuffer.allocateDirect(0));
        }
        long maxIndex = offset;
        try {
            for (int d = 0; d < size.length; d++) {
                maxIndex = Math.addExact(maxIndex, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException e) {
            throw fail(what, "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                    + " reach beyond any storage");
        }
        if (maxIndex >= storageElems) {
            throw fail(what, "with offset " + offset + ", size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " reads element " + maxIndex + " of storage '" + storage.key()
                    + "', which has " + storageElems + " elements of " + dtype);
        }
        if (nbytes > Integer.MAX_VALUE) {
            throw fail(what, "is " + nbytes + " bytes; tensors above 2 GiB are not supported");
        }
        if (storage.bytes() == null) {
            return null;
        }
        boolean swap = bigEndian && es > 1;
        if (isContiguous(size, stride) && !swap) {
            ByteBuffer slice = storage.bytes().slice((int) (offset * es), (int) nbytes);
            if (copyAll) {
                ByteBuffer copy = ByteBuffer.allocateDirect((int) nbytes);
                copy.put(slice).flip();
                slice = copy;
            }
            return new HostTensor(dtype, size, slice);
        }
        if (nbytes > copyLimit - copied) {
            throw fail(what, "needs a " + nbytes + "-byte copy (strided, expanded or byte-swapped), which exceeds the"
                    + " limit of " + copyLimit + " bytes of copies for this file (Options.maxCopyBytes)");
        }
        copied += nbytes;
        return new HostTensor(dtype, size, gather(storage.bytes(), es, offset, size, stride, swap, (int) nbytes));
    }

    /** C-order contiguity as torch defines it: strides of size-1 dimensions do not matter. */
    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1) {
                if (stride[d] != expected) {
                    return false;
                }
                expected *= size[d];
            }
        }
        return true;
    }

    /** Copies the strided elements in C order into a new little-endian buffer, swapping bytes if asked. */
    static ByteBuffer gather(ByteBuffer storage, int es, long offset, long[] size, long[] stride, boolean swap,
            int nbytes) {
        // Reading with big-endian order and writing with little-endian order is the byte swap.
        ByteBuffer src = storage.duplicate().order(swap ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(nbytes).order(ByteOrder.LITTLE_ENDIAN);
        int nd = size.length;
        if (nd == 0) {
            copyElement(src, (int) (offset * es), out, 0, es);
            return out;
        }
        long inner = size[nd - 1];
        long innerStride = stride[nd - 1];
        long[] idx = new long[nd];
        long base = offset;
        int outPos = 0;
        while (true) {
            if (!swap && innerStride == 1) {
                int len = (int) (inner * es);
                out.put(outPos, src, (int) (base * es), len);
                outPos += len;
            } else {
                for (long j = 0; j < inner; j++) {
                    copyElement(src, (int) ((base + j * innerStride) * es), out, outPos, es);
                    outPos += es;
                }
            }
            int d = nd - 2;
            while (d >= 0) {
                idx[d]++;
                base += stride[d];
                if (idx[d] < size[d]) {
                    break;
                }
                base -= stride[d] * size[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    private static void copyElement(ByteBuffer src, int srcPos, ByteBuffer out, int outPos, int es) {
        switch (es) {
            case 1 -> out.put(outPos, src.get(srcPos));
            case 2 -> out.putShort(outPos, src.getShort(srcPos));
            case 4 -> out.putInt(outPos, src.getInt(srcPos));
            case 8 -> out.putLong(outPos, src.getLong(srcPos));
            default -> throw new IllegalStateException("element size " + es);
        }
    }

    private CheckpointFormatException fail(String what, String problem) {
        return new CheckpointFormatException(file, what + " " + problem);
    }
}
