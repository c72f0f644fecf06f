package org.lovt.eval.downstream;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.eval.detection.YoloAnchors;
import org.lovt.eval.detection.YoloDecoder;
import org.lovt.eval.detection.YoloLoss;
import org.lovt.eval.detection.YoloV3Head;
import org.lovt.eval.metrics.BoxPrediction;
import org.lovt.eval.metrics.DetectionMetrics;
import org.lovt.eval.segmentation.Dice;
import org.lovt.eval.segmentation.LinearSegmentation;
import org.lovt.eval.segmentation.ResUNetHead;
import org.lovt.eval.segmentation.SegmentationMetrics;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/** The three downstream heads behind one {@link HeadAdapter} interface. */
final class Heads {
    private Heads() {}

    /**
     * The task's head for {@code backbone}, initialised from libtorch's generator.
     *
     * @param targets the data set's target names (segmentation: one output per target; detection: the class name
     *                of the single class, as the original forces every box to class 0)
     */
    static HeadAdapter create(DownstreamTask task, ResNet backbone, List<String> targets, DownstreamRunner.Settings s) {
        ResNetConfig c = backbone.config();
        if (targets.isEmpty()) {
            throw new LovtException("the data set names no target for task " + task.key());
        }
        return switch (task.head()) {
            case YOLO_V3 -> new Yolo(c, targets.get(0), s.inputSize(), s.headWidthDivisor());
            case UNET -> new Segmentation(new ResUNetHead(c, targets.size()), targets, List.of("input", "conv1",
                    "conv2", "conv3", "conv4", "conv5"), s.inputSize());
            case LINEAR -> new Segmentation(new LinearSegmentation(shape(backbone, s.linearLayer(), s.inputSize())[0],
                    targets.size()), targets, List.of(s.linearLayer()), s.inputSize());
        };
    }

    /** (C, h, w) of a feature map of {@code backbone} for a square input of side {@code size}. */
    static long[] shape(ResNet backbone, String layer, int size) {
        ResNetConfig c = backbone.config();
        return switch (layer) {
            case "input" -> new long[] {3, size, size};
            case "conv1" -> new long[] {c.stemWidth(), size / 2, size / 2};
            case "conv2", "conv3", "conv4", "conv5" -> {
                int i = layer.charAt(4) - '2';
                long side = size >> (i + 2);
                yield new long[] {c.stageChannels(i), side, side};
            }
            default -> throw new LovtException("unknown feature layer '" + layer + "'");
        };
    }

    /** YOLOv3 on conv3–conv5, one class, mAP/fROC metrics over the decoded, suppressed predictions. */
    static final class Yolo extends HeadAdapter {
        private final YoloV3Head head;
        private final YoloLoss loss;
        private final YoloDecoder decoder;
        private final DetectionMetrics metrics;

        Yolo(ResNetConfig c, String className, int inputSize, int divisor) {
            YoloAnchors anchors = inputSize == DownstreamTask.INPUT_SIZE ? YoloAnchors.LOVT_224
                    : YoloAnchors.LOVT_224.scaled(inputSize / (double) DownstreamTask.INPUT_SIZE);
            head = new YoloV3Head(c.stageChannels(1), c.stageChannels(2), c.stageChannels(3), 1, anchors, divisor);
            loss = new YoloLoss(head, inputSize);
            decoder = new YoloDecoder(head, inputSize);
            metrics = new DetectionMetrics(List.of(className));
        }

        @Override
        Module module() {
            return head;
        }

        @Override
        List<String> layers() {
            return List.of("conv3", "conv4", "conv5");
        }

        @Override
        List<Tensor> forward(Map<String, Tensor> f) {
            return head.forward(f.get("conv3"), f.get("conv4"), f.get("conv5"));
        }

        @Override
        Tensor loss(List<Tensor> outputs, Tensor masks, EvalBatch batch, Map<String, Double> parts) {
            YoloLoss.Output o = loss.compute(outputs, batch.boxes());
            parts.putAll(o.detailed());
            return o.total();
        }

        @Override
        void resetMetrics() {
            metrics.reset();
        }

        @Override
        void accumulate(List<Tensor> outputs, Tensor masks, EvalBatch batch) {
            List<List<BoxPrediction>> predictions = decoder.predict(outputs);
            for (int i = 0; i < batch.size(); i++) {
                metrics.add(batch.boxes().get(i), predictions.get(i));
            }
        }

        @Override
        Map<String, Double> metrics() {
            return metrics.compute();
        }
    }

    /** The U-Net or the linear head: logits at the input size, the Dice loss, dataset-level Dice per target. */
    static final class Segmentation extends HeadAdapter {
        private final Module head;
        private final List<String> layers;
        private final SegmentationMetrics metrics;
        private final int size;

        Segmentation(Module head, List<String> targets, List<String> layers, int size) {
            this.head = head;
            this.layers = layers;
            this.metrics = new SegmentationMetrics(targets);
            this.size = size;
        }

        @Override
        Module module() {
            return head;
        }

        @Override
        List<String> layers() {
            return layers;
        }

        @Override
        List<Tensor> forward(Map<String, Tensor> f) {
            if (head instanceof ResUNetHead u) {
                return List.of(u.forward(f.get("input"), f.get("conv1"), f.get("conv2"), f.get("conv3"),
                        f.get("conv4"), f.get("conv5")));
            }
            return List.of(((LinearSegmentation) head).forward(f.get(layers.get(0)), size, size));
        }

        @Override
        Tensor loss(List<Tensor> outputs, Tensor masks, EvalBatch batch, Map<String, Double> parts) {
            return Dice.loss(outputs.get(0), masks);
        }

        @Override
        void resetMetrics() {
            metrics.reset();
        }

        @Override
        void accumulate(List<Tensor> outputs, Tensor masks, EvalBatch batch) {
            metrics.update(outputs.get(0), masks);
        }

        @Override
        Map<String, Double> metrics() {
            return metrics.compute();
        }
    }
}
