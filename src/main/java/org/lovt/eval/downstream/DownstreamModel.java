package org.lovt.eval.downstream;

import org.bytedeco.pytorch.Module;
import org.lovt.vision.ResNet;

/**
 * The evaluated model as one module, so that checkpoints hold backbone and head together: the ResNet under
 * {@code backbone.*} (torchvision names below it) and the head under {@code head.*} (the original head's names below
 * it).
 */
final class DownstreamModel extends Module {
    private final ResNet backbone;
    private final HeadAdapter head;

    DownstreamModel(ResNet backbone, HeadAdapter head) {
        this.backbone = register_module("backbone", backbone);
        this.head = head;
        register_module("head", head.module());
    }

    ResNet backbone() {
        return backbone;
    }

    HeadAdapter head() {
        return head;
    }
}
