package org.lovt.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.eval.metrics.BoxPrediction;
import org.lovt.eval.metrics.BoxTarget;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * End to end on a frozen backbone, as a frozen detection task trains: the stem-8 ResNet-50 of the
 * {@code resnet50-w8} fixture (eval mode, no gradient) gives conv3/conv4/conv5 of four 64×64 images with one bright
 * box each; a head with width divisor 8 is trained with Adam on the YOLO loss until it has learnt the boxes, and the
 * most confident decoded box of each image lands on its target.
 */
class YoloOverfitTest {
    static final int SIZE = 64;
    static final int STEPS = 120;

    static final BoxTarget[] BOXES = {
            new BoxTarget(8, 10, 20, 16, 0), new BoxTarget(30, 6, 14, 28, 0),
            new BoxTarget(12, 36, 28, 20, 0), new BoxTarget(40, 40, 16, 16, 0)};

    /** Four (3, 64, 64) images: noise around 0, the box's pixels at +2. */
    static Tensor images() {
        SplittableRandom rnd = new SplittableRandom(17);
        float[] px = new float[BOXES.length * 3 * SIZE * SIZE];
        for (int n = 0; n < BOXES.length; n++) {
            BoxTarget b = BOXES[n];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean in = x >= b.x() && x < b.x() + b.w() && y >= b.y() && y < b.y() + b.h();
                        px[((n * 3 + c) * SIZE + y) * SIZE + x] = (float) (0.3 * rnd.nextGaussian() + (in ? 2 : 0));
                    }
                }
            }
        }
        return Tensors.floats(px, BOXES.length, 3, SIZE, SIZE);
    }

    static double plainIou(BoxPrediction p, BoxTarget t) {
        double iw = Math.min(p.x() + p.w(), t.x() + t.w()) - Math.max(p.x(), t.x());
        double ih = Math.min(p.y() + p.h(), t.y() + t.h()) - Math.max(p.y(), t.y());
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        return inter / (p.w() * p.h() + t.w() * t.h() - inter);
    }

    static double entropy(double t) {
        return t <= 0 || t >= 1 ? 0 : -(t * Math.log(t) + (1 - t) * Math.log(1 - t));
    }

    @Test
    void aSmallHeadOverfitsFourBoxesOnFrozenResNetFeatures() {
        try (Scope outer = Scope.open()) {
            ResNet backbone = new ResNet(new ResNetConfig(new int[] {3, 4, 6, 3}, 8, 10));
            StateDict.fromHost(Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"))
                    .tensors()).loadInto(backbone, true);
            backbone.eval();
            Map<String, Tensor> f;
            try (NoGradGuard g = new NoGradGuard()) {
                f = backbone.features(images(), "conv5");
            }
            Tensor c3 = f.get("conv3");                                   // (4, 64, 8, 8)
            Tensor c4 = f.get("conv4");                                   // (4, 128, 4, 4)
            Tensor c5 = f.get("conv5");                                   // (4, 256, 2, 2)
            assertEquals(List.of(4L, 256L, 2L, 2L), List.of(c5.size(0), c5.size(1), c5.size(2), c5.size(3)));

            Seeds.manualSeed(1);
            YoloAnchors anchors = YoloAnchors.LOVT_224.scaled(SIZE / 224.0);
            YoloV3Head head = new YoloV3Head(c3.size(1), c4.size(1), c5.size(1), 1, anchors, 8);
            head.train(true);
            YoloLoss loss = new YoloLoss(head, SIZE);
            List<List<BoxTarget>> targets = new ArrayList<>();
            for (BoxTarget b : BOXES) {
                targets.add(List.of(b));
            }
            AdamOptions o = new AdamOptions(3e-3);
            o.weight_decay().put(1e-6);
            Adam adam = new Adam(head.nonBackboneParameters(), o);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < STEPS; step++) {
                try (Scope s = Scope.open()) {
                    YoloLoss.Output out = loss.compute(head.forward(c3, c4, c5), targets);
                    adam.zero_grad();
                    out.total().backward();
                    adam.step();
                    last = out.total().item_double();
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            // BCE against the soft targets tx, ty cannot reach 0: its minimum is their binary entropy
            double floor = 0;
            for (int scale = 0; scale < 3; scale++) {
                long grid = 2L << scale;
                YoloLoss.Targets t = loss.targets(scale, targets, (int) grid, (int) grid);
                for (int i = 0; i < t.mask().length; i++) {
                    if (t.mask()[i] == 1f) {
                        floor += YoloLoss.LAMBDA_XY * (entropy(t.tx()[i]) + entropy(t.ty()[i])) / t.mask().length;
                    }
                }
            }
            assertTrue(last - floor < 0.05 * (first - floor), "loss " + first + " → " + last + ", floor " + floor);

            // One batch of four maps, 2×2 at stride 32: the running BatchNorm averages lag the batch statistics the
            // head was fitted with, so they are re-estimated on the same batch (no-grad train-mode passes) before
            // decoding in eval mode, as validation does.
            try (NoGradGuard g = new NoGradGuard()) {
                for (int i = 0; i < 30; i++) {
                    try (Scope s = Scope.open()) {
                        head.forward(c3, c4, c5);
                    }
                }
            }
            head.eval();
            List<List<BoxPrediction>> pred;
            try (NoGradGuard g = new NoGradGuard()) {
                pred = new YoloDecoder(head, SIZE).predict(head.forward(c3, c4, c5));
            }
            for (int n = 0; n < BOXES.length; n++) {
                BoxPrediction top = pred.get(n).stream().max(Comparator.comparingDouble(BoxPrediction::conf))
                        .orElseThrow(() -> new AssertionError("no box above conf 0.2"));
                double iou = plainIou(top, BOXES[n]);
                assertTrue(iou > 0.6, "image " + n + ": top box " + top + " vs " + BOXES[n] + ", IoU " + iou);
            }
        }
    }
}
