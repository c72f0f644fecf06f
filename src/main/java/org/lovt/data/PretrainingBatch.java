package org.lovt.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

import org.lovt.torch.HostTensor;

/**
 * A collated pre-training batch in Java memory; the trainer turns {@link #scans()} and {@link #chexpert()} into
 * tensors ({@code Tensors.fromHost}) inside its step scope.
 *
 * @param studyIds  the B study ids, in batch order
 * @param scans     float32 (B, 3, H, W)
 * @param sentences the B sentence lists (the report encoder's input)
 * @param chexpert  float32 (B, 5) binary CheXpert labels
 */
public record PretrainingBatch(List<String> studyIds, HostTensor scans, List<List<String>> sentences,
                               HostTensor chexpert) {

    /** Batch size. */
    public int size() {
        return studyIds.size();
    }

    /** The scans as floats (a read-only view over the tensor's bytes). */
    public FloatBuffer scanFloats() {
        return scans.bytes().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    static ByteBuffer floats(int n) {
        return ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
