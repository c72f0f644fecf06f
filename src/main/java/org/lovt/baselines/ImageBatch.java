package org.lovt.baselines;

import java.util.List;

import org.lovt.torch.HostTensor;

/**
 * A batch of the MIMIC-CXR image list, in Java memory (the loader's workers make no libtorch tensors).
 *
 * @param ids    the images' DICOM ids
 * @param images the self-supervised baselines' {@code (B, 1, S, S)} uint8 images (resized to {@code max_size}, not yet
 *               augmented), or the supervised baseline's {@code (B, 3, s, s)} float32 transformed scans
 * @param labels {@code (B, 5)} float32 binary CheXpert labels
 */
public record ImageBatch(List<String> ids, HostTensor images, HostTensor labels) {
    public ImageBatch {
        ids = List.copyOf(ids);
    }

    /** Number of images. */
    public int size() {
        return ids.size();
    }
}
