package org.lovt.eval.segmentation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNet;

/**
 * The frozen-backbone U-Net learns: four 64×64 noise images, each with one bright square (its mask), the stem-8
 * ResNet frozen (eval, no-grad) and the head trained with the Dice loss and Adam, as the frozen U-Net tasks do.
 * Here: loss 0.85 → 0.26 in 40 steps at lr 1e-2, eval-mode Dice 0.946 (from below 0.5 untrained).
 */
class ResUNetOverfitTest {
    static final int B = 4;
    static final int S = 64;

    @Test
    void lossFallsAndDiceRises() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] img = new float[B * 3 * S * S];
        float[] mask = new float[B * S * S];
        for (int b = 0; b < B; b++) {
            int side = 16 + rnd.nextInt(9);
            int y0 = rnd.nextInt(S - side);
            int x0 = rnd.nextInt(S - side);
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    boolean in = y >= y0 && y < y0 + side && x >= x0 && x < x0 + side;
                    float v = (float) (0.3 * rnd.nextGaussian()) + (in ? 1f : 0f);
                    for (int c = 0; c < 3; c++) {
                        img[((b * 3 + c) * S + y) * S + x] = v;                 // the channel replicated, as §3.2
                    }
                    mask[(b * S + y) * S + x] = in ? 1f : 0f;
                }
            }
        }
        try (Scope s = Scope.open()) {
            Tensor x = Tensors.floats(img, B, 3, S, S);
            Tensor y = Tensors.floats(mask, B, 1, S, S);
            ResNet resnet = ResUNetHeadTest.backbone();
            resnet.eval();
            Seeds.manualSeed(5);
            ResUNetHead head = new ResUNetHead(resnet.config(), 1);
            double before = evalDice(head, resnet, x, y);
            head.train(true);
            Adam opt = new Adam(head.parameters(true), new AdamOptions(1e-2));
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 40; step++) {
                try (Scope st = Scope.open()) {
                    Tensor loss = Dice.loss(head.forward(resnet, x, true), y);
                    opt.zero_grad();
                    loss.backward();
                    opt.step();
                    last = loss.item_double();
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            double dice = evalDice(head, resnet, x, y);
            System.out.printf("U-Net overfit: loss %.4f -> %.4f, Dice (eval mode) %.4f -> %.4f%n", first, last,
                    before, dice);
            assertTrue(last < 0.45 && last < first - 0.3, "loss " + first + " -> " + last);
            assertTrue(before < 0.5, "Dice before training: " + before);
            assertTrue(dice > 0.85, "Dice after 40 steps: " + dice);
        }
    }

    /** The dataset-level Dice of the head in eval mode (BatchNorm on running statistics), without gradient. */
    static double evalDice(ResUNetHead head, ResNet resnet, Tensor x, Tensor y) {
        head.eval();
        SegmentationMetrics metrics = new SegmentationMetrics(List.of("square"));
        try (NoGradGuard g = new NoGradGuard()) {
            metrics.update(head.forward(resnet, x, true), y);
        }
        return metrics.compute().get("square_dice");
    }
}
