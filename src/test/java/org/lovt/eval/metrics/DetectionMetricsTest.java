package org.lovt.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made cases whose answers are worked out in the comments (spec lovt-data-eval §3.9). */
class DetectionMetricsTest {
    /** Reported values are float32 numbers, so hand-computed doubles agree to float32 rounding. */
    static final double TOL = 1e-7;

    static BoxTarget gt(double x, double y, double w, double h) {
        return new BoxTarget(x, y, w, h, 0);
    }

    static BoxPrediction pred(double x, double y, double w, double h, double conf) {
        return new BoxPrediction(x, y, w, h, 0, conf);
    }

    static DetectionMetrics oneClass() {
        return new DetectionMetrics(List.of("opacity"));
    }

    @Test
    void iouUsesThePlusOnePixelConvention() {
        // corners [0,0,9,9] and [5,5,14,14]: sides 10, intersection 5x5 = 25, union 100 + 100 - 25 = 175
        assertEquals(25.0 / 175.0, DetectionMetrics.iou(0, 0, 9, 9, 5, 5, 14, 14), 0);
        assertEquals(1.0, DetectionMetrics.iou(0, 0, 9, 9, 0, 0, 9, 9), 0);
        // a gap of one pixel column: no overlap; sharing the column x = 9: a 1 x 10 overlap, union 190
        assertEquals(0.0, DetectionMetrics.iou(0, 0, 9, 9, 11, 0, 20, 9), 0);
        assertEquals(10.0 / 190.0, DetectionMetrics.iou(0, 0, 9, 9, 9, 0, 18, 9), 0);
    }

    @Test
    void theThresholdIsStrict() {
        // GT corners (0,0,9,9), area 100; prediction (0,0)-(9,4), area 50 inside it: IoU exactly 0.5.
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 4, 0.9)));
        Map<String, Double> r = m.compute();
        // TP at 0.40 and 0.45 (AP 1), FP from 0.50 on (AP 0): mean over the 8 thresholds 2/8.
        assertEquals(0.0, r.get("mAP@0.5"), 0);
        assertEquals(0.25, r.get("mAP"), 0);
        assertEquals(0.25, r.get("opacity_mAP"), 0);

        // (0,0)-(9,6.5): area 75, IoU exactly 0.75: a TP at every threshold but 0.75.
        m.reset();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 6.5, 0.9)));
        r = m.compute();
        assertEquals(0.875, r.get("mAP"), 0);
        assertEquals(1.0, r.get("mAP@0.5"), 0);
        assertEquals(0.0, r.get("mAP@0.75"), 0);
    }

    @Test
    void aSecondPredictionOnAMatchedTargetIsAFalsePositive() {
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.9), pred(0, 0, 9, 9, 0.8)));
        m.add(List.of(gt(50, 50, 20, 20)), List.of(pred(50, 50, 20, 20, 0.7)));
        // TP, FP, TP over 2 targets: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1.
        // r = 0 .. 0.50 (51 points): best precision 1; r = 0.51 .. 1 (50 points): 2/3.
        double ap = (51 + 50 * 2.0 / 3) / 101;
        Map<String, Double> r = m.compute();
        assertEquals(ap, r.get("mAP"), TOL);
        assertEquals(ap, r.get("mAP@0.75"), TOL);
        assertEquals(ap, r.get("pos_mAP"), TOL);
    }

    @Test
    void imagesWithTargetsButNoPredictionsLowerRecall() {
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.9)));
        m.add(List.of(gt(0, 0, 9, 9)), List.of());
        m.add(List.of(), List.of());
        // recall at most 1/2 with precision 1: r = 0 .. 0.50 are reached, 51 of 101 points.
        assertEquals(51.0 / 101, m.compute().get("mAP"), TOL);
        assertEquals(51.0 / 101, m.compute().get("pos_mAP"), TOL);
        assertEquals(3, m.numImages());
    }

    @Test
    void predictionsOnImagesWithoutTargetsAreFalsePositives() {
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.5)));
        m.add(List.of(), List.of(pred(0, 0, 9, 9, 0.9)));
        Map<String, Double> r = m.compute();
        // FP then TP: precision 0, 1/2 at recall 0, 1 -> every recall point reads 1/2.
        assertEquals(0.5, r.get("mAP"), TOL);
        // pos_ leaves the image without targets out: a single TP.
        assertEquals(1.0, r.get("pos_mAP"), TOL);
        assertEquals(1.0, r.get("pos_opacity_mAP"), TOL);
    }

    @Test
    void oneHundredOnePointInterpolationOnASmallCurve() {
        // 3 targets in 3 images; in confidence order: TP, FP, TP, FP, FP (the third target is missed).
        // precision 1, 1/2, 2/3, 1/2, 2/5 at recall 1/3, 1/3, 2/3, 2/3, 2/3.
        // r = 0 .. 0.33 (34 points): max precision 1; r = 0.34 .. 0.66 (33 points): 2/3 (the interpolation takes
        // the later, higher precision, not 1/2); r >= 0.67: not reached. AP = (34 + 33 * 2/3) / 101 = 56/101.
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.9), pred(100, 100, 9, 9, 0.8)));
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(100, 100, 9, 9, 0.6), pred(0, 0, 9, 9, 0.7)));
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(100, 100, 9, 9, 0.5)));
        assertEquals(56.0 / 101, m.compute().get("mAP"), TOL);
    }

    @Test
    void recallPointsAreMultiplesOfOneHundredthInDoubleArithmetic() {
        // np.arange(0., 1.01, 0.01)[35] is 35 * 0.01 = 0.35000000000000003 > 35/100: a recall of exactly 0.35
        // does not reach that point, while 0.36 = 36 * 0.01 is reached by a recall of 36/100.
        for (int found : new int[] {35, 36}) {
            DetectionMetrics m = oneClass();
            for (int i = 0; i < 100; i++) {
                m.add(List.of(gt(0, 0, 9, 9)), i < found ? List.of(pred(0, 0, 9, 9, 1 - i * 1e-3)) : List.of());
            }
            int reached = found == 35 ? 35 : 37;
            assertEquals(reached / 101.0, m.compute().get("mAP"), TOL, "recall " + found + "/100");
        }
    }

    @Test
    void equalConfidencesKeepTheOrderTheyWereAddedIn() {
        // A TP and an FP with the same confidence: TP first gives AP 1, FP first gives AP 1/2.
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.5)));
        m.add(List.of(), List.of(pred(0, 0, 9, 9, 0.5)));
        assertEquals(1.0, m.compute().get("mAP"), TOL);
        m.reset();
        m.add(List.of(), List.of(pred(0, 0, 9, 9, 0.5)));
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 9, 0.5)));
        assertEquals(0.5, m.compute().get("mAP"), TOL);
    }

    @Test
    void equalIousTakeTheLaterTargetFirst() {
        // Targets g0 = corners (0,0,9,9) and g1 = (4,0,13,9); p1 = (2,0,11,9) overlaps both by 80 of 120: IoU 2/3
        // each. np.argsort(iou)[::-1] walks g1 first, so p1 takes g1 and p2 = g0 (IoU 1 with g0, 60/140 with g1)
        // takes g0: two TPs up to threshold 0.65. Taking g0 first would leave p2 an FP from threshold 0.45 on.
        DetectionMetrics m = oneClass();
        m.add(List.of(gt(0, 0, 9, 9), gt(4, 0, 9, 9)), List.of(pred(2, 0, 9, 9, 0.9), pred(0, 0, 9, 9, 0.8)));
        Map<String, Double> r = m.compute();
        assertEquals(1.0, r.get("mAP@0.5"), TOL);
        // at 0.70 and 0.75 p1 is an FP and p2 a TP: precision 0, 1/2 at recall 0, 1/2 -> 51 points of 1/2.
        assertEquals(25.5 / 101, r.get("mAP@0.75"), TOL);
        assertEquals((6 + 2 * 25.5 / 101) / 8, r.get("mAP"), TOL);
    }

    @Test
    void classesAreMatchedSeparatelyAndAClassWithoutTargetsScoresZero() {
        DetectionMetrics m = new DetectionMetrics(List.of("a", "b", "c"));
        // class a found; the class-b prediction sits on a class-a target but is a false positive for b.
        m.add(List.of(new BoxTarget(0, 0, 9, 9, 0), new BoxTarget(50, 50, 9, 9, 1)),
                List.of(new BoxPrediction(0, 0, 9, 9, 0, 0.9), new BoxPrediction(0, 0, 9, 9, 1, 0.95)));
        Map<String, Double> r = m.compute();
        assertEquals(List.of("mAP", "a_mAP", "b_mAP", "c_mAP", "mAP@0.5", "mAP@0.75", "pos_mAP", "pos_a_mAP",
                "pos_b_mAP", "pos_c_mAP", "pos_mAP@0.5", "pos_mAP@0.75", "froc"), new ArrayList<>(r.keySet()));
        assertEquals(1.0, r.get("a_mAP"), TOL);
        assertEquals(0.0, r.get("b_mAP"), TOL);
        assertEquals(0.0, r.get("c_mAP"), TOL);
        assertEquals(1.0 / 3, r.get("mAP"), TOL);
        assertEquals(1.0 / 3, r.get("mAP@0.5"), TOL);
    }

    @Test
    void frocCountsHitsFalsePositivesAndRepeatsTheLastSensitivity() {
        DetectionMetrics m = oneClass();
        // image A: targets a1 = (0,0)-(10,10), a2 = (20,20)-(30,30); image B: b1 = (0,0)-(10,10).
        m.add(List.of(gt(0, 0, 10, 10), gt(20, 20, 10, 10)), List.of(
                centred(5, 5, 0.9),     // hits a1
                centred(6, 6, 0.8),     // inside a1, already hit: neither hit nor FP
                centred(25, 25, 0.6))); // hits a2
        m.add(List.of(gt(0, 0, 10, 10)), List.of(
                centred(50, 50, 0.7),   // FP 1
                centred(10, 10, 0.5),   // on b1's corner (inclusive): hit
                centred(70, 70, 0.4))); // FP 2
        // In confidence order, FP/image after each prediction and the sensitivity read:
        // 0.9: 0 ; 0.8: 0 ; 0.7: 1/2 >= 0.125 -> 1/3 ; 0.6: 1/2 >= 0.25 -> 2/3 (one threshold per prediction, also
        // on a hit) ; 0.5: 1/2 >= 0.5 -> 3/3 ; 0.4: 1 >= 1 -> 3/3. Thresholds 2, 4, 8 repeat the last value.
        assertEquals((1.0 / 3 + 2.0 / 3 + 1 + 1 + 1 + 1 + 1) / 7, m.compute().get("froc"), TOL);
    }

    @Test
    void frocCountsEveryTargetAPredictionFallsIn() {
        DetectionMetrics m = oneClass();
        // Two overlapping targets containing the prediction's centre: two hits. No FP is ever made, so no
        // threshold is reached and the result is hits / targets.
        m.add(List.of(gt(0, 0, 10, 10), gt(4, 4, 10, 10), gt(100, 100, 5, 5)), List.of(centred(7, 7, 0.9)));
        assertEquals(2.0 / 3, m.compute().get("froc"), TOL);
    }

    @Test
    void frocWithFewFalsePositivesOrNoTargets() {
        DetectionMetrics m = oneClass();
        // 10 images, 2 targets, one hit, one FP: 1/10 < 0.125, no threshold reached -> hits / targets.
        m.add(List.of(gt(0, 0, 10, 10)), List.of(centred(5, 5, 0.9), centred(50, 50, 0.8)));
        m.add(List.of(gt(0, 0, 10, 10)), List.of());
        for (int i = 0; i < 8; i++) {
            m.add(List.of(), List.of());
        }
        assertEquals(0.5, m.compute().get("froc"), TOL);

        m.reset();
        m.add(List.of(), List.of());
        assertEquals(1.0, m.compute().get("froc"), 0, "no targets, no predictions");
        // No targets and a threshold reached: the original divides by zero; here, 1.0 as with no threshold.
        m.add(List.of(), List.of(centred(5, 5, 0.9)));
        assertEquals(1.0, m.compute().get("froc"), 0);
        assertEquals(0.0, m.compute().get("mAP"), 0);
    }

    @Test
    void frocIgnoresClasses() {
        DetectionMetrics m = new DetectionMetrics(List.of("a", "b"));
        m.add(List.of(new BoxTarget(0, 0, 10, 10, 0)), List.of(new BoxPrediction(0, 0, 10, 10, 1, 0.9)));
        assertEquals(1.0, m.compute().get("froc"), 0);
        assertEquals(0.0, m.compute().get("mAP"), 0);
    }

    @Test
    void resetGivesTheSameResultAsAFreshInstance() {
        DetectionMetrics m = oneClass();
        for (int i = 0; i < 50; i++) {
            m.add(List.of(gt(i, i, 30, 30)), List.of(pred(i + 2, i, 30, 30, 0.01 * i)));
        }
        m.reset();
        m.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 4, 0.9)));
        DetectionMetrics fresh = oneClass();
        fresh.add(List.of(gt(0, 0, 9, 9)), List.of(pred(0, 0, 9, 4, 0.9)));
        assertEquals(fresh.compute(), m.compute());
        assertEquals(1, m.numImages());
    }

    @Test
    void emptySplit() {
        Map<String, Double> r = oneClass().compute();
        assertEquals(0.0, r.get("mAP"), 0);
        assertEquals(1.0, r.get("froc"), 0);
    }

    @Test
    void badInputIsRefused() {
        DetectionMetrics m = oneClass();
        LovtException e = assertThrows(LovtException.class,
                () -> m.add(List.of(new BoxTarget(0, 0, 1, 1, 1)), List.of()));
        assertTrue(e.getMessage().contains("image 0, target 0: class 1 is outside 0..0"), e.getMessage());
        e = assertThrows(LovtException.class, () -> m.add(List.of(), List.of(pred(0, 0, 1, 1, Double.NaN))));
        assertTrue(e.getMessage().contains("prediction 0") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(0, m.numImages(), "a refused image is not added");
        assertThrows(LovtException.class, () -> new DetectionMetrics(List.of("a", "a")));
        assertThrows(LovtException.class, () -> new DetectionMetrics(List.of()));
    }

    /** A 2x2 prediction centred on (cx, cy): its centre is x + w/2, y + h/2. */
    static BoxPrediction centred(double cx, double cy, double conf) {
        return pred(cx - 1, cy - 1, 2, 2, conf);
    }
}
