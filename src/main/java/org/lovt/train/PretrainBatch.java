package org.lovt.train;

import java.util.List;

import org.lovt.torch.HostTensor;

/**
 * One pre-training batch in Java memory, as the data loader produces it; the trainer turns it into tensors inside
 * its step scope.
 *
 * @param scans    (B, 3, H, W) float32, normalised
 * @param reports  per sample its (augmented) sentences
 * @param chexpert (B, 5) float32 binary labels, or null
 * @param ids      sample ids (study ids)
 */
public record PretrainBatch(HostTensor scans, List<List<String>> reports, HostTensor chexpert, List<String> ids) {
    public int size() {
        return reports.size();
    }
}
