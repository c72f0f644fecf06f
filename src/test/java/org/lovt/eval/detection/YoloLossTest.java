package org.lovt.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.eval.metrics.BoxTarget;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;

/**
 * Target building on hand-made boxes (expected values worked out in the comments) and the loss against a
 * straightforward double-precision re-implementation.
 */
class YoloLossTest {
    static final int INPUT = 64;
    /**
     * Anchors in pixels of the 64 frame. Scale 2 (grid 8, stride 8) in grid units: (1, 2), (2, 2), (4, 1).
     */
    static final YoloAnchors ANCHORS = new YoloAnchors(new double[][][] {
            {{32, 32}, {64, 32}, {64, 64}},
            {{16, 16}, {24, 8}, {20, 40}},
            {{8, 16}, {16, 16}, {32, 8}}});

    static BoxTarget box(double x, double y, double w, double h) {
        return new BoxTarget(x, y, w, h, 0);
    }

    @Test
    void anchorIouUsesThePlusOneConvention() {
        // [0,0,2,2] vs [0,0,1,2]: inter (1+1)(2+1) = 6, union 9 + 6 − 6 = 9 (plain IoU would be 2/4 = 0.5)
        assertEquals(6.0 / 9, YoloLoss.anchorIou(2, 2, 1, 2), 1e-7);
        // [0,0,2,1] vs [0,0,4,1]: inter 3·2 = 6, union 6 + 10 − 6 = 10
        assertEquals(0.6, YoloLoss.anchorIou(2, 1, 4, 1), 1e-7);
    }

    @Test
    void targetsOfHandMadeBoxes() {
        YoloLoss loss = new YoloLoss(ANCHORS, 1, INPUT);
        // Image 0:
        //  A (4,12,16,16): grid units w = h = 2, centre (1.5, 2.5) → cell (i=1, j=2), tx = ty = 0.5.
        //    "+1" IoUs with (1,2), (2,2), (4,1): 6/9, 1, 6/13 → best anchor 1; noobj cleared at anchors 0 and 1.
        //  B (6,14,16,16): same cell and anchor, centre (1.75, 2.75) → overwrites A: tx = ty = 0.75.
        //  C (56,0,16,8): w = 2, h = 1, centre (8, 0.5) → gi = 8 clamped to 7, tx = 8 − 7 = 1, gj = 0, ty = 0.5.
        //    IoUs 4/8 = 0.5 (not > 0.5), 6/9, 6/10 → best anchor 1, noobj cleared at anchors 1 and 2 only.
        //    tw = log(2/2) = 0, th = log(1/2).
        // Image 1:
        //  D (0,0,4,4): w = h = 0.5, centre (0.25, 0.25) → cell (0,0). IoUs 2.25/6, 2.25/9, 2.25/10 → best
        //    anchor 0 with 0.375: no anchor above 0.5, so noobj stays 1 even at the best one.
        //    tw = log(0.5/1), th = log(0.5/2).
        List<List<BoxTarget>> boxes = List.of(
                List.of(box(4, 12, 16, 16), box(6, 14, 16, 16), box(56, 0, 16, 8)),
                List.of(box(0, 0, 4, 4)));
        YoloLoss.Targets t = loss.targets(2, boxes, 8, 8);
        assertEquals(2 * 3 * 8 * 8, t.mask().length);
        assertEquals(2 * 3 * 8 * 8, t.tcls().length);

        int ab = t.index(0, 1, 2, 1);
        int c = t.index(0, 1, 0, 7);
        int d = t.index(1, 0, 0, 0);
        double sumMask = 0;
        for (float m : t.mask()) {
            sumMask += m;
        }
        assertEquals(3, sumMask, "A and B share one (cell, anchor); C and D have their own");
        for (int at : new int[] {ab, c, d}) {
            assertEquals(1f, t.mask()[at]);
            assertEquals(1f, t.tconf()[at]);
            assertEquals(1f, t.tcls()[at]);
        }
        assertEquals(0.75f, t.tx()[ab], 1e-6);
        assertEquals(0.75f, t.ty()[ab], 1e-6);
        assertEquals(0f, t.tw()[ab], 1e-6);
        assertEquals(0f, t.th()[ab], 1e-6);
        assertEquals(1f, t.tx()[c], 1e-6);
        assertEquals(0.5f, t.ty()[c], 1e-6);
        assertEquals(0f, t.tw()[c], 1e-6);
        assertEquals(Math.log(0.5), t.th()[c], 1e-6);
        assertEquals(0.25f, t.tx()[d], 1e-6);
        assertEquals(0.25f, t.ty()[d], 1e-6);
        assertEquals(Math.log(0.5), t.tw()[d], 1e-6);
        assertEquals(Math.log(0.25), t.th()[d], 1e-6);

        // noobj: exactly the four (anchor, cell) places named above are 0
        int zeros = 0;
        for (float v : t.noobjMask()) {
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(4, zeros);
        assertEquals(0f, t.noobjMask()[t.index(0, 0, 2, 1)]);
        assertEquals(0f, t.noobjMask()[t.index(0, 1, 2, 1)]);
        assertEquals(1f, t.noobjMask()[t.index(0, 2, 2, 1)]);
        assertEquals(1f, t.noobjMask()[t.index(0, 0, 0, 7)], "IoU exactly 0.5 is not above the threshold");
        assertEquals(0f, t.noobjMask()[t.index(0, 1, 0, 7)]);
        assertEquals(0f, t.noobjMask()[t.index(0, 2, 0, 7)], "cleared though not the best anchor");
        assertEquals(1f, t.noobjMask()[d], "not cleared at the best anchor when its IoU is 0.375");

        // the later box wins: B then A leaves A's offsets
        YoloLoss.Targets r = loss.targets(2, List.of(List.of(box(6, 14, 16, 16), box(4, 12, 16, 16))), 8, 8);
        assertEquals(0.5f, r.tx()[r.index(0, 1, 2, 1)], 1e-6);
        assertEquals(0.5f, r.ty()[r.index(0, 1, 2, 1)], 1e-6);
    }

    @Test
    void classesAreOneHotAndCheckedWithSeveralClasses() {
        YoloLoss loss = new YoloLoss(ANCHORS, 3, INPUT);
        YoloLoss.Targets t = loss.targets(2, List.of(List.of(new BoxTarget(4, 12, 16, 16, 2))), 8, 8);
        int at = t.index(0, 1, 2, 1);
        assertEquals(0f, t.tcls()[at * 3]);
        assertEquals(0f, t.tcls()[at * 3 + 1]);
        assertEquals(1f, t.tcls()[at * 3 + 2]);
        LovtException e = assertThrows(LovtException.class,
                () -> loss.targets(2, List.of(List.of(new BoxTarget(4, 12, 16, 16, 3))), 8, 8));
        assertTrue(e.getMessage().contains("class 3"), e.getMessage());
        // a single class ignores the box's class, as the original (the datasets force class 0 anyway)
        YoloLoss.Targets one = new YoloLoss(ANCHORS, 1, INPUT)
                .targets(2, List.of(List.of(new BoxTarget(4, 12, 16, 16, 5))), 8, 8);
        assertEquals(1f, one.tcls()[one.index(0, 1, 2, 1)]);
    }

    @Test
    void negativeCellsWrapAroundAsPythonIndexing() {
        YoloLoss loss = new YoloLoss(ANCHORS, 1, INPUT);
        // x = −16, w = 4: centre −1.75 grid units → int() = −1 → column 7; tx keeps −1.75 − (−1) = −0.75
        YoloLoss.Targets t = loss.targets(2, List.of(List.of(box(-16, 20, 4, 8))), 8, 8);
        int best = -1;
        for (int a = 0; a < 3; a++) {
            if (t.mask()[t.index(0, a, 3, 7)] == 1f) {
                best = a;
            }
        }
        assertTrue(best >= 0, "the box lands in column 7 of row 3");
        assertEquals(-0.75f, t.tx()[t.index(0, best, 3, 7)], 1e-6);
        // x = −4, w = 4: centre −0.25 → int() truncates toward zero → column 0
        YoloLoss.Targets z = loss.targets(2, List.of(List.of(box(-4, 20, 4, 8))), 8, 8);
        double inCol0 = 0;
        for (int a = 0; a < 3; a++) {
            inCol0 += z.mask()[z.index(0, a, 3, 0)];
        }
        assertEquals(1, inCol0);
    }

    // ---- an independent double-precision re-implementation of the original loss ----

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** nn.BCELoss for one element: logs clamped at −100. */
    static double bce(double p, double t) {
        return -(t * Math.max(Math.log(p), -100) + (1 - t) * Math.max(Math.log(1 - p), -100));
    }

    static double iouPlusOne(double w1, double h1, double w2, double h2) {
        double inter = (Math.min(w1, w2) + 1) * (Math.min(h1, h2) + 1);
        return inter / ((w1 + 1) * (h1 + 1) + (w2 + 1) * (h2 + 1) - inter);
    }

    /** {total, x, y, w, h, conf, cls} of raw outputs {@code raw[s]} (B, 3(5+C), G, G), flat C order. */
    static double[] reference(float[][] raw, int[] grids, int b, int c, List<List<BoxTarget>> boxes) {
        double[] sums = new double[7];
        int attrs = 5 + c;
        for (int s = 0; s < 3; s++) {
            int g = grids[s];
            double stride = (double) INPUT / g;
            double[][][][] mask = new double[b][3][g][g];
            double[][][][] noobj = new double[b][3][g][g];
            double[][][][][] tgt = new double[b][3][g][g][4];
            int[][][][] cls = new int[b][3][g][g];
            for (double[][][] x : noobj) {
                for (double[][] y : x) {
                    for (double[] z : y) {
                        java.util.Arrays.fill(z, 1);
                    }
                }
            }
            for (int n = 0; n < b; n++) {
                for (BoxTarget bx : boxes.get(n)) {
                    double gw = bx.w() / stride;
                    double gh = bx.h() / stride;
                    double gx = bx.x() / stride + gw / 2;
                    double gy = bx.y() / stride + gh / 2;
                    int gi = Math.min((int) Math.floor(gx), g - 1);
                    int gj = Math.min((int) Math.floor(gy), g - 1);
                    int best = 0;
                    double bestIou = -1;
                    for (int a = 0; a < 3; a++) {
                        double aw = ANCHORS.width(s, a) / stride;
                        double ah = ANCHORS.height(s, a) / stride;
                        double iou = iouPlusOne(gw, gh, aw, ah);
                        if (iou > 0.5) {
                            noobj[n][a][gj][gi] = 0;
                        }
                        if (iou > bestIou) {
                            bestIou = iou;
                            best = a;
                        }
                    }
                    mask[n][best][gj][gi] = 1;
                    tgt[n][best][gj][gi] = new double[] {gx - gi, gy - gj,
                            Math.log(gw / (ANCHORS.width(s, best) / stride)),
                            Math.log(gh / (ANCHORS.height(s, best) / stride))};
                    cls[n][best][gj][gi] = bx.cls();
                }
            }
            double[] part = new double[6];
            for (int n = 0; n < b; n++) {
                for (int a = 0; a < 3; a++) {
                    for (int j = 0; j < g; j++) {
                        for (int i = 0; i < g; i++) {
                            double[] p = new double[attrs];
                            for (int k = 0; k < attrs; k++) {
                                p[k] = raw[s][((n * 3 * attrs + a * attrs + k) * g + j) * g + i];
                            }
                            double m = mask[n][a][j][i];
                            double[] t = tgt[n][a][j][i];
                            part[0] += bce(sigmoid(p[0]) * m, t[0] * m);
                            part[1] += bce(sigmoid(p[1]) * m, t[1] * m);
                            part[2] += Math.pow(p[2] * m - t[2] * m, 2);
                            part[3] += Math.pow(p[3] * m - t[3] * m, 2);
                            double conf = sigmoid(p[4]);
                            part[4] += bce(conf * m, m) + 0.5 * bce(conf * noobj[n][a][j][i], 0);
                            if (c > 1) {
                                for (int k = 0; k < c; k++) {
                                    double tc = (m == 1 && cls[n][a][j][i] == k) ? 1 : 0;
                                    part[5] += bce(sigmoid(p[5 + k]) * m, tc * m) / c;
                                }
                            }
                        }
                    }
                }
            }
            double count = (double) b * 3 * g * g;
            double total = 0;
            double[] lambda = {2.5, 2.5, 2.5, 2.5, 1, 1};
            for (int k = 0; k < 6; k++) {
                part[k] /= count;
                sums[k + 1] += part[k];
                total += lambda[k] * part[k];
            }
            sums[0] += total;
        }
        return sums;
    }

    static void checkAgainstReference(int classes) {
        try (Scope sc = Scope.open()) {
            int b = 2;
            int[] grids = {2, 4, 8};
            int ch = 3 * (5 + classes);
            SplittableRandom rnd = new SplittableRandom(41 + classes);
            float[][] raw = new float[3][];
            Tensor[] out = new Tensor[3];
            for (int s = 0; s < 3; s++) {
                raw[s] = new float[b * ch * grids[s] * grids[s]];
                for (int k = 0; k < raw[s].length; k++) {
                    raw[s][k] = (float) (rnd.nextGaussian() * 1.5);
                }
                out[s] = Tensors.floats(raw[s], b, ch, grids[s], grids[s]);
            }
            // boxes away from cell borders and from IoU ties at 0.5
            List<List<BoxTarget>> boxes = List.of(
                    List.of(new BoxTarget(5, 7, 21, 13, 0), new BoxTarget(33, 30, 9, 26, classes - 1)),
                    List.of(new BoxTarget(18, 41, 37, 19, classes > 2 ? 1 : 0)));
            YoloLoss.Output o = new YoloLoss(ANCHORS, classes, INPUT).compute(List.of(out), boxes);
            double[] ref = reference(raw, grids, b, classes, boxes);
            double[] got = {o.total().item_double(), o.x(), o.y(), o.w(), o.h(), o.conf(), o.cls()};
            String[] names = {"total", "x", "y", "w", "h", "conf", "cls"};
            for (int k = 0; k < 7; k++) {
                assertEquals(ref[k], got[k], 1e-5 * Math.max(1, Math.abs(ref[k])), names[k]);
            }
            assertEquals(o.total().item_double(), o.scale0() + o.scale1() + o.scale2(), 1e-5);
            assertEquals(0, Tensors.shape(o.total()).length, "a scalar");
            assertTrue(ref[6] > 0 == classes > 1);
            assertEquals(List.of("x", "y", "w", "h", "conf", "cls", "loss_scale_0", "loss_scale_1", "loss_scale_2"),
                    List.copyOf(o.detailed().keySet()));
        }
    }

    @Test
    void lossMatchesAStraightforwardReimplementationWithOneClass() {
        checkAgainstReference(1);
    }

    @Test
    void lossMatchesAStraightforwardReimplementationWithThreeClasses() {
        checkAgainstReference(3);
    }

    @Test
    void saturatedProbabilitiesAreClampedAsBceLoss() {
        try (Scope sc = Scope.open()) {
            // conf logit 100 → σ = 1 in float32 everywhere; background BCE per element = −log(1 − 1) → clamp 100.
            // No box: mask 0, noobj 1, so conf = 0.5 · mean(100) over each scale = 50, summed over 3 scales = 150.
            Tensor[] out = new Tensor[3];
            int[] grids = {2, 4, 8};
            for (int s = 0; s < 3; s++) {
                Tensor t = torch.zeros(1, 18, grids[s], grids[s]);
                for (int a = 0; a < 3; a++) {
                    t.select(1, a * 6 + 4).fill_(new org.bytedeco.pytorch.Scalar(100.0));
                }
                out[s] = t;
            }
            YoloLoss.Output o = new YoloLoss(ANCHORS, 1, INPUT).compute(List.of(out), List.of(List.of()));
            assertEquals(150, o.conf(), 1e-3);
            assertEquals(150, o.total().item_double(), 1e-3);
            assertEquals(0, o.x(), 0);
        }
    }

    @Test
    void gradientsReachEveryHeadParameter() {
        try (Scope sc = Scope.open()) {
            Seeds.manualSeed(5);
            YoloV3Head head = new YoloV3Head(16, 24, 32, 2, ANCHORS, 16);
            head.train(true);
            List<Tensor> out = head.forward(torch.randn(2, 16, 8, 8), torch.randn(2, 24, 4, 4),
                    torch.randn(2, 32, 2, 2));
            YoloLoss.Output o = new YoloLoss(head, INPUT).compute(out, List.of(
                    List.of(new BoxTarget(5, 7, 21, 13, 1)), List.of(new BoxTarget(30, 20, 10, 30, 0))));
            o.total().backward();
            StringTensorDict params = head.named_parameters(true);
            assertTrue(params.size() > 0);
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                Tensor g = params.get(i).value().grad();
                assertTrue(g.defined(), name + " has a gradient");
                double sum = g.abs().sum().item_double();
                assertTrue(sum > 0 && Double.isFinite(sum), name + ": |grad| sum " + sum);
            }
        }
    }

    @Test
    void badInputsAreRejected() {
        try (Scope sc = Scope.open()) {
            YoloLoss loss = new YoloLoss(ANCHORS, 1, INPUT);
            List<Tensor> out = List.of(torch.zeros(2, 18, 2, 2), torch.zeros(2, 18, 4, 4), torch.zeros(2, 18, 8, 8));
            LovtException e = assertThrows(LovtException.class, () -> loss.compute(out, List.of(List.of())));
            assertTrue(e.getMessage().contains("[2, 18, 2, 2]") && e.getMessage().contains("1 target lists"),
                    e.getMessage());
            List<Tensor> wrongC = List.of(torch.zeros(1, 21, 2, 2), torch.zeros(1, 18, 4, 4), torch.zeros(1, 18, 8, 8));
            assertThrows(LovtException.class, () -> loss.compute(wrongC, List.of(List.of())));
            assertThrows(LovtException.class, () -> loss.compute(out.subList(0, 2), List.of(List.of(), List.of())));
            assertThrows(LovtException.class, () -> loss.targets(2,
                    List.of(List.of(box(Double.NaN, 0, 1, 1))), 8, 8));
        }
    }
}
