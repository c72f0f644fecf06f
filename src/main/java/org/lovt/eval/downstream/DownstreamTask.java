package org.lovt.eval.downstream;

import java.util.List;
import java.util.Objects;

import org.lovt.LovtException;

/**
 * One of the paper's 18 localized downstream tasks (spec lovt-data-eval §3.1): which prepared data set and subset,
 * which head on which backbone layers, frozen or fine-tuned, and the training protocol's numbers.
 *
 * @param key            the results key ({@code results/generated/downstream_<key>.csv}), e.g. {@code rsna_frozen_10}
 * @param evalName       the original's metric prefix ({@code <evalName>_val/mAP}), e.g. {@code rsna}
 * @param dataset        the prepared data set ({@code rsna}, {@code covid}, {@code siim}, {@code object-cxr},
 *                       {@code nih})
 * @param trainFraction  the training subset (a prefix of the split), null for all of it
 * @param valFraction    the validation subset, null for all of it (RSNA uses 0.1)
 * @param head           the downstream head
 * @param frozen         whether the backbone stays frozen for the whole run (false: fine-tuned after the warm-up)
 * @param batchSize      samples per batch (train, validation and test)
 * @param maxEpochs      the epoch limit
 * @param lrGrid         the learning rates the protocol tries (empty: only {@code configLr}, task 5)
 * @param configLr       the lr of the original's yaml, used when no lr is given
 * @param warmupSteps    fine-tuning: training batches with the backbone frozen at {@link #WARMUP_LR} (0 for frozen
 *                       tasks)
 * @param patience       early-stopping patience in epochs
 * @param monitor        the validation metric that picks the best epoch and the lr (maximised), e.g. {@code mAP}
 * @param reported       the metrics the results tables keep, the first one being the headline
 */
public record DownstreamTask(String key, String evalName, String dataset, Double trainFraction, Double valFraction,
                             Head head, boolean frozen, int batchSize, int maxEpochs, List<Double> lrGrid,
                             double configLr, int warmupSteps, int patience, String monitor, List<String> reported) {
    /** The learning rate of the frozen warm-up of fine-tuning tasks ({@code warmup_lr}). */
    public static final double WARMUP_LR = 1e-3;
    /** Adam's L2 weight decay in every task. */
    public static final double WEIGHT_DECAY = 1e-6;
    /** Early stopping's {@code min_delta}. */
    public static final double MIN_DELTA = 1e-5;
    /** ReduceLROnPlateau's patience (epochs) and factor, on the validation loss. */
    public static final int PLATEAU_PATIENCE = 3;
    public static final double PLATEAU_FACTOR = 0.5;
    /** The backbone's input size (every task). */
    public static final int INPUT_SIZE = 224;

    /** The downstream heads (spec §3.5–§3.7). */
    public enum Head {
        /** YOLOv3 on conv3–conv5. */
        YOLO_V3("conv3", "conv4", "conv5"),
        /** The ResUNet U-Net on the input and conv1–conv5. */
        UNET("conv1", "conv2", "conv3", "conv4", "conv5"),
        /** A 1×1 convolution on conv5, bilinearly upsampled. */
        LINEAR("conv5");

        private final List<String> layers;

        Head(String... layers) {
            this.layers = List.of(layers);
        }

        /** The backbone feature maps the head reads. */
        public List<String> layers() {
            return layers;
        }

        /** Whether the task is detection (boxes) rather than segmentation (masks). */
        public boolean detection() {
            return this == YOLO_V3;
        }
    }

    public DownstreamTask {
        Objects.requireNonNull(key);
        lrGrid = List.copyOf(lrGrid);
        reported = List.copyOf(reported);
        if (frozen != (warmupSteps == 0)) {
            throw new LovtException(key + ": frozen tasks have no warm-up, fine-tuning tasks have one");
        }
    }

    /** The validation metric as logged by this implementation ({@code val/<monitor>}). */
    public String monitorKey() {
        return "val/" + monitor;
    }

    /** The original's name of the monitored metric, e.g. {@code rsna_val/mAP}. */
    public String originalMonitor() {
        return evalName + "_val/" + monitor;
    }
}
