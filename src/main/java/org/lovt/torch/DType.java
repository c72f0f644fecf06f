package org.lovt.torch;

import java.util.Locale;

import org.lovt.LovtException;

/**
 * Element types of tensors as the checkpoint formats name them.
 *
 * <p>Covers every dtype of the safetensors format and every storage class of {@code torch.save} files. Which of
 * them libtorch can hold is {@link #torchSupported()}; the 8-bit float and unsigned 16/32/64-bit types are read
 * and written by the file readers but have no CPU arithmetic in libtorch 2.10.
 */
public enum DType {
    F64("F64", 8, "DoubleStorage", "float64"),
    F32("F32", 4, "FloatStorage", "float32"),
    F16("F16", 2, "HalfStorage", "float16"),
    BF16("BF16", 2, "BFloat16Storage", "bfloat16"),
    F8_E4M3("F8_E4M3", 1, "Float8_e4m3fnStorage", "float8_e4m3fn"),
    F8_E5M2("F8_E5M2", 1, "Float8_e5m2Storage", "float8_e5m2"),
    I64("I64", 8, "LongStorage", "int64"),
    I32("I32", 4, "IntStorage", "int32"),
    I16("I16", 2, "ShortStorage", "int16"),
    I8("I8", 1, "CharStorage", "int8"),
    U64("U64", 8, "UInt64Storage", "uint64"),
    U32("U32", 4, "UInt32Storage", "uint32"),
    U16("U16", 2, "UInt16Storage", "uint16"),
    U8("U8", 1, "ByteStorage", "uint8"),
    BOOL("BOOL", 1, "BoolStorage", "bool");

    private final String safetensorsName;
    private final int byteSize;
    private final String storageClass;
    private final String torchName;

    DType(String safetensorsName, int byteSize, String storageClass, String torchName) {
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
        this.storageClass = storageClass;
        this.torchName = torchName;
    }

    /** The name in a safetensors header, e.g. {@code "BF16"}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The legacy storage class name in a {@code torch.save} pickle, e.g. {@code "FloatStorage"}. */
    public String storageClass() {
        return storageClass;
    }

    /** The PyTorch dtype name, e.g. {@code "float32"}. */
    public String torchName() {
        return torchName;
    }

    /** Whether libtorch (2.10, CPU) has a matching scalar type that tensors of this dtype can be created with. */
    public boolean torchSupported() {
        return this != U64 && this != U32 && this != U16;
    }

    /** Parses a safetensors dtype name; unknown names raise an exception naming the value. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return d;
            }
        }
        throw new LovtException("unknown safetensors dtype '" + name + "'");
    }

    /** Looks up a {@code torch.save} storage class name; returns null when it is not a known storage. */
    public static DType fromStorageClass(String className) {
        for (DType d : values()) {
            if (d.storageClass.equals(className)) {
                return d;
            }
        }
        return null;
    }

    /** Parses a PyTorch dtype name such as {@code float32} or {@code torch.float32}; null when unknown. */
    public static DType fromTorchName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("torch.")) {
            n = n.substring(6);
        }
        for (DType d : values()) {
            if (d.torchName.equals(n)) {
                return d;
            }
        }
        return null;
    }
}
