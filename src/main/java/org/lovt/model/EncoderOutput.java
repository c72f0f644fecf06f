package org.lovt.model;

import org.bytedeco.pytorch.Tensor;

/**
 * What an encoder gives the alignment part (the original's {@code EncoderOutput}).
 *
 * @param local     local features {@code yl} (B, N, d_l): scan regions or report sentences
 * @param global    global feature {@code yg} (B, d_g)
 * @param mask      (B, N) bool, true for valid elements, or null when all are valid (scans)
 * @param weights   local weights from the global aggregator's attention (B, N), or null
 * @param structure the local structure: {@code {H, W}} for a region grid, {@code {N}} for sentences
 */
public record EncoderOutput(Tensor local, Tensor global, Tensor mask, Tensor weights, int[] structure) {}
