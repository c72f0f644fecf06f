package org.lovt.eval.downstream;

import java.util.List;
import java.util.Map;

import org.lovt.eval.metrics.BoxTarget;
import org.lovt.torch.HostTensor;

/**
 * A batch of a downstream split, in Java memory (the loader's threads never create tensors): either the normalised
 * images (B, 1, S, S) or, for frozen tasks with the feature cache, the backbone's feature maps by layer; the masks
 * (B, n, S, S) as bytes 0/1 and the boxes per image in the S-pixel frame.
 *
 * @param indices  the samples' indices in their split
 * @param images   float32 (B, 1, S, S), null when {@code features} is given
 * @param features float32 feature maps by layer name (B, C, h, w), null when {@code images} is given
 * @param masks    uint8 (B, n, S, S)
 * @param boxes    per image, its target boxes
 */
record EvalBatch(int[] indices, HostTensor images, Map<String, HostTensor> features, HostTensor masks,
                 List<List<BoxTarget>> boxes) {
    int size() {
        return indices.length;
    }
}
