package org.lovt.torch.io;

import java.nio.ByteBuffer;

import org.lovt.torch.DType;

/**
 * A storage named by a persistent id: the raw bytes of one {@code data/<key>} record (or legacy storage blob) and
 * the element type the pickle declared for it.
 *
 * @param key the storage key in the archive
 * @param dtype element type; {@link DType#U8} for an untyped storage
 * @param untyped whether the pickle named {@code torch.UntypedStorage} (then {@code numel} counts bytes, and
 *     {@code _rebuild_tensor_v3} supplies the tensor's dtype)
 * @param numel element count the pickle declared
 * @param bytes the storage bytes in the file's byte order, or null while the legacy reader's first pass has not
 *     located them yet
 */
record StorageRef(String key, DType dtype, boolean untyped, long numel, ByteBuffer bytes) {

    long nbytes() {
        return numel * dtype.byteSize();
    }
}
