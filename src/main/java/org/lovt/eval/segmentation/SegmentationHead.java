package org.lovt.eval.segmentation;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv1dImpl;
import org.bytedeco.pytorch.Conv1dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * LoVT's {@code SegmentationHead} as both segmentation models build it ({@code nonlinear=False},
 * {@code bn_before=False}, dropout 0, so a no-op): one {@code classifier}, a Conv1d with kernel 1 and bias over the
 * flattened pixels, weight (n, C, 1). PyTorch's default initialisation.
 */
final class SegmentationHead extends Module {
    private final long targets;
    private final Conv1dImpl classifier;

    SegmentationHead(long channels, long targets) {
        this.targets = targets;
        classifier = register_module("classifier",
                new Conv1dImpl(new Conv1dOptions(channels, targets, new LongPointer(new long[] {1}))));
    }

    /** Features (B, C, h, w) → logits (B, n, h, w), at the features' size. */
    Tensor forward(Tensor features) {
        long b = features.size(0);
        long h = features.size(2);
        long w = features.size(3);
        Tensor x = classifier.forward(features.flatten(2, 3));                 // (B, n, h·w)
        return x.view(b, targets, h, w);                                       // (B, n, h, w)
    }
}
