package org.lovt.eval.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DetectionMetrics} against a slow re-implementation written directly from the spec (lovt-data-eval §3.9):
 * plain loops over lists, one sort per class and threshold, sets of matched targets, the 101 recall points scanned
 * over every precision/recall point, {@code pos_} computed on a filtered copy of the images. Inputs are random, with
 * integer coordinates and rounded confidences often enough to produce equal IoUs and equal confidences.
 */
class DetectionMetricsBruteForceTest {
    static final double[] THRESHOLDS = {0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75};
    static final double[] FPS = {0.125, 0.25, 0.5, 1, 2, 4, 8};

    record Image(List<BoxTarget> targets, List<BoxPrediction> predictions) {}

    @Test
    void agreesWithTheReferenceOnRandomInputs() {
        int compared = 0;
        int nonTrivial = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int numClasses = 1 + rnd.nextInt(3);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < numClasses; c++) {
                names.add("c" + c);
            }
            List<Image> images = randomImages(rnd, numClasses);
            DetectionMetrics m = new DetectionMetrics(names);
            for (Image im : images) {
                m.add(im.targets(), im.predictions());
            }
            Map<String, Double> actual = m.compute();
            Map<String, Double> expected = reference(names, images);
            assertEquals(expected.keySet(), actual.keySet());
            for (String k : expected.keySet()) {
                // Both sides round each AP and each reported value to float32; sums may differ in the last bit.
                assertEquals(expected.get(k), actual.get(k), 2e-7, "seed " + seed + " " + k);
            }
            compared++;
            if (expected.get("mAP") > 0 && expected.get("mAP") < 1) {
                nonTrivial++;
            }
        }
        assertEquals(300, compared);
        assertTrue(nonTrivial > 200, "most cases have an mAP strictly between 0 and 1: " + nonTrivial);
    }

    static List<Image> randomImages(Random rnd, int numClasses) {
        int n = rnd.nextInt(40);
        boolean integers = rnd.nextBoolean();
        boolean coarseConf = rnd.nextInt(3) == 0;
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<BoxTarget> targets = new ArrayList<>();
            int nt = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(4);
            for (int j = 0; j < nt; j++) {
                double[] b = randomBox(rnd, integers);
                targets.add(new BoxTarget(b[0], b[1], b[2], b[3], rnd.nextInt(numClasses)));
            }
            List<BoxPrediction> preds = new ArrayList<>();
            int np = rnd.nextInt(7);
            for (int j = 0; j < np; j++) {
                double conf = coarseConf ? Math.round(rnd.nextDouble() * 5) / 5.0 : rnd.nextDouble();
                if (!targets.isEmpty() && rnd.nextInt(3) > 0) {
                    // a perturbed copy of a target, sometimes of the wrong class
                    BoxTarget t = targets.get(rnd.nextInt(targets.size()));
                    double s = integers ? 1 : 0.37;
                    double dx = Math.round(rnd.nextGaussian() * 4) * s;
                    double dy = Math.round(rnd.nextGaussian() * 4) * s;
                    double dw = Math.round(rnd.nextGaussian() * 4) * s;
                    double dh = Math.round(rnd.nextGaussian() * 4) * s;
                    int cls = rnd.nextInt(5) == 0 ? rnd.nextInt(numClasses) : t.cls();
                    preds.add(new BoxPrediction(t.x() + dx, t.y() + dy, Math.max(1, t.w() + dw),
                            Math.max(1, t.h() + dh), cls, conf));
                } else {
                    double[] b = randomBox(rnd, integers);
                    preds.add(new BoxPrediction(b[0], b[1], b[2], b[3], rnd.nextInt(numClasses), conf));
                }
            }
            if (integers && rnd.nextInt(4) == 0) {
                addEqualIouPair(rnd, numClasses, targets, preds);
            }
            images.add(new Image(targets, preds));
        }
        return images;
    }

    /**
     * Two same-class targets offset by 2d in x and a prediction halfway between them: equal IoUs with both, so the
     * order in which equal IoUs are walked decides the matches (with a second prediction on the first target).
     */
    static void addEqualIouPair(Random rnd, int numClasses, List<BoxTarget> targets, List<BoxPrediction> preds) {
        double[] b = randomBox(rnd, true);
        int d = 1 + rnd.nextInt(4);
        int cls = rnd.nextInt(numClasses);
        targets.add(new BoxTarget(b[0], b[1], b[2], b[3], cls));
        targets.add(new BoxTarget(b[0] + 2 * d, b[1], b[2], b[3], cls));
        preds.add(new BoxPrediction(b[0] + d, b[1], b[2], b[3], cls, 0.5 + rnd.nextDouble() / 2));
        preds.add(new BoxPrediction(b[0], b[1], b[2], b[3], cls, rnd.nextDouble() / 2));
    }

    static double[] randomBox(Random rnd, boolean integers) {
        double[] b = {rnd.nextDouble() * 180, rnd.nextDouble() * 180, 5 + rnd.nextDouble() * 40,
                5 + rnd.nextDouble() * 40};
        if (integers) {
            for (int i = 0; i < 4; i++) {
                b[i] = Math.floor(b[i]);
            }
        }
        return b;
    }

    // ---- the reference, from the spec ----

    static Map<String, Double> reference(List<String> names, List<Image> images) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<Image> positives = images.stream().filter(im -> !im.targets().isEmpty()).toList();
        for (String prefix : new String[] {"", "pos_"}) {
            List<Image> imgs = prefix.isEmpty() ? images : positives;
            double[][] ap = new double[THRESHOLDS.length][names.size()];
            for (int t = 0; t < THRESHOLDS.length; t++) {
                for (int c = 0; c < names.size(); c++) {
                    ap[t][c] = (float) averagePrecision(imgs, c, THRESHOLDS[t]);
                }
            }
            double sumOverThresholds = 0;
            for (int t = 0; t < THRESHOLDS.length; t++) {
                double classMean = 0;
                for (int c = 0; c < names.size(); c++) {
                    classMean += ap[t][c];
                }
                sumOverThresholds += classMean / names.size();
            }
            out.put(prefix + "mAP", (double) (float) (sumOverThresholds / THRESHOLDS.length));
            for (int c = 0; c < names.size(); c++) {
                double s = 0;
                for (int t = 0; t < THRESHOLDS.length; t++) {
                    s += ap[t][c];
                }
                out.put(prefix + names.get(c) + "_mAP", (double) (float) (s / THRESHOLDS.length));
            }
            for (int t : new int[] {2, 7}) {
                double s = 0;
                for (int c = 0; c < names.size(); c++) {
                    s += ap[t][c];
                }
                out.put(prefix + "mAP@" + THRESHOLDS[t], (double) (float) (s / names.size()));
            }
        }
        out.put("froc", (double) (float) froc(images));
        return out;
    }

    record Det(int image, BoxPrediction p) {}

    static double averagePrecision(List<Image> images, int cls, double threshold) {
        List<Det> dets = new ArrayList<>();
        int numTargets = 0;
        for (int i = 0; i < images.size(); i++) {
            for (BoxPrediction p : images.get(i).predictions()) {
                if (p.cls() == cls) {
                    dets.add(new Det(i, p));
                }
            }
            for (BoxTarget t : images.get(i).targets()) {
                if (t.cls() == cls) {
                    numTargets++;
                }
            }
        }
        dets.sort(Comparator.comparingDouble((Det d) -> d.p().conf()).reversed()); // List.sort is stable
        Set<String> matched = new HashSet<>();
        List<Double> precision = new ArrayList<>();
        List<Double> recall = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (Det d : dets) {
            List<BoxTarget> all = images.get(d.image()).targets();
            List<Integer> candidates = new ArrayList<>();
            for (int j = 0; j < all.size(); j++) {
                if (all.get(j).cls() == cls) {
                    candidates.add(j);
                }
            }
            // descending IoU; equal IoUs: the later target first (np.argsort(iou)[::-1])
            candidates.sort((a, b) -> {
                int byIou = Double.compare(iou(d.p(), all.get(b)), iou(d.p(), all.get(a)));
                return byIou != 0 ? byIou : Integer.compare(b, a);
            });
            boolean isTp = false;
            for (int j : candidates) {
                if (iou(d.p(), all.get(j)) > threshold) {
                    if (matched.add(d.image() + "/" + j)) {
                        isTp = true;
                        break;
                    }
                } else {
                    break;
                }
            }
            if (isTp) {
                tp++;
            } else {
                fp++;
            }
            recall.add(tp / (double) Math.max(numTargets, 1));
            precision.add(tp / (double) (tp + fp));
        }
        double ap = 0;
        for (int r = 0; r <= 100; r++) {
            double point = r * 0.01;
            double best = 0;
            for (int i = 0; i < recall.size(); i++) {
                if (recall.get(i) >= point) {
                    best = Math.max(best, precision.get(i));
                }
            }
            ap += best / 101;
        }
        return ap;
    }

    /** IoU of a prediction and a target, corners x2 = x + w, side lengths x2 - x1 + 1. */
    static double iou(BoxPrediction p, BoxTarget t) {
        double px2 = p.x() + p.w();
        double py2 = p.y() + p.h();
        double tx2 = t.x() + t.w();
        double ty2 = t.y() + t.h();
        double iw = Math.max(0, Math.min(px2, tx2) - Math.max(p.x(), t.x()) + 1);
        double ih = Math.max(0, Math.min(py2, ty2) - Math.max(p.y(), t.y()) + 1);
        double inter = iw * ih;
        double areaP = (px2 - p.x() + 1) * (py2 - p.y() + 1);
        double areaT = (tx2 - t.x() + 1) * (ty2 - t.y() + 1);
        return inter / (areaT + areaP - inter);
    }

    static double froc(List<Image> images) {
        List<Det> dets = new ArrayList<>();
        int numTargets = 0;
        for (int i = 0; i < images.size(); i++) {
            for (BoxPrediction p : images.get(i).predictions()) {
                dets.add(new Det(i, p));
            }
            numTargets += images.get(i).targets().size();
        }
        dets.sort(Comparator.comparingDouble((Det d) -> d.p().conf()).reversed());
        Set<String> hit = new HashSet<>();
        int falsePositives = 0;
        List<Double> sensitivities = new ArrayList<>();
        for (Det d : dets) {
            double cx = d.p().x() + d.p().w() / 2;
            double cy = d.p().y() + d.p().h() / 2;
            boolean inside = false;
            List<BoxTarget> ts = images.get(d.image()).targets();
            for (int j = 0; j < ts.size(); j++) {
                BoxTarget t = ts.get(j);
                if (t.x() <= cx && cx <= t.x() + t.w() && t.y() <= cy && cy <= t.y() + t.h()) {
                    inside = true;
                    hit.add(d.image() + "/" + j);
                }
            }
            if (!inside) {
                falsePositives++;
            }
            if ((double) falsePositives / images.size() >= FPS[sensitivities.size()]) {
                sensitivities.add(numTargets == 0 ? 1.0 : hit.size() / (double) numTargets);
                if (sensitivities.size() == FPS.length) {
                    break;
                }
            }
        }
        if (sensitivities.isEmpty()) {
            return numTargets == 0 ? 1.0 : hit.size() / (double) numTargets;
        }
        while (sensitivities.size() < FPS.length) {
            sensitivities.add(sensitivities.get(sensitivities.size() - 1));
        }
        return sensitivities.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
