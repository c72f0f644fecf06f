package org.lovt.eval.downstream;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * What the runner needs of a downstream head: its module, the forward pass from the backbone's feature maps, the
 * loss, and the split-level metrics accumulated batch by batch.
 */
abstract class HeadAdapter {
    /** The head's module (its parameters are the ones a frozen task optimises). */
    abstract Module module();

    /** The backbone layers the head reads ({@code input} = the normalised 3-channel image). */
    abstract List<String> layers();

    /** The head's raw outputs for the feature maps (by layer name). */
    abstract List<Tensor> forward(Map<String, Tensor> features);

    /**
     * The loss of the outputs against the batch's targets (masks on the device, boxes); puts its parts for logging
     * into {@code parts}.
     */
    abstract Tensor loss(List<Tensor> outputs, Tensor masks, EvalBatch batch, Map<String, Double> parts);

    /** Starts a split's metrics. */
    abstract void resetMetrics();

    /** Adds a batch's predictions to the split's metrics. */
    abstract void accumulate(List<Tensor> outputs, Tensor masks, EvalBatch batch);

    /** The split's metrics (keys without prefix, e.g. {@code mAP}, {@code opacity_dice}). */
    abstract Map<String, Double> metrics();
}
