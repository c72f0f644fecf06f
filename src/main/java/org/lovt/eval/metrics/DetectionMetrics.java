package org.lovt.eval.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;

/**
 * The detection metrics of LoVT's downstream evaluation over one split (spec lovt-data-eval §3.9): mean average
 * precision as LoVT's {@code BBoxMeanAPMetric} computes it with bes-dev {@code mean_average_precision}'s
 * {@code MeanAveragePrecision2d} ("soft" matching, 101 recall points, "+1" IoU), and the object-CXR fROC of
 * {@code FrocMetric}. Call {@link #add} once per image (images without targets or without predictions count), then
 * {@link #compute}.
 *
 * <p>Keys of {@link #compute()}, in this order:
 * <ul>
 *   <li>{@code mAP}: the mean over classes and over the IoU thresholds {@link #IOU_THRESHOLDS} of the 101-point
 *       interpolated AP;</li>
 *   <li>{@code <class>_mAP} for every class: that class's AP averaged over the IoU thresholds;</li>
 *   <li>{@code mAP@0.5}, {@code mAP@0.75}: the mean over classes of the AP at that single threshold;</li>
 *   <li>{@code pos_mAP}, {@code pos_<class>_mAP}, {@code pos_mAP@0.5}, {@code pos_mAP@0.75}: the same over the images
 *       that have at least one target box (of any class), as LoVT logs them under {@code pos_};</li>
 *   <li>{@code froc}: the mean sensitivity at {@link #FROC_FPS_PER_IMAGE} false positives per image. LoVT computes
 *       it only for single-class tasks (Object-CXR); for several classes it is given here too, computed as
 *       {@code FrocMetric} would compute it when fed every box (it ignores classes: a prediction of any class is a
 *       hit in a target box of any class), which is how the project's multi-class golden fixture defines it.</li>
 * </ul>
 *
 * <p>Matching, per class and IoU threshold t: all predictions of the split are sorted by confidence, descending
 * (equal confidences keep the order they were added in, as a stable sort gives; the original's pandas quicksort
 * leaves that order unspecified for more than 16 rows). Each prediction walks the targets of its image and class in
 * descending IoU order (equal IoUs: the later target first, as {@code np.argsort(iou)[::-1]} gives) and is a true
 * positive at the first unmatched one with IoU &gt; t (strict), skips matched ones with IoU &gt; t, and is a false
 * positive at the first with IoU &le; t or when it has none left. Recall is TP/max(#targets, 1); the AP is
 * (1/101)·Σ over recall points r = 0, 0.01, …, 1 of the highest precision at recall &ge; r (0 where none reaches r).
 * A class without targets therefore has AP 0 and lowers {@code mAP}, as in the original.
 *
 * <p>Numbers: boxes are doubles (the original's come from float32 tensors). Each AP is rounded to float32, as the
 * original stores it in a float32 array, and every reported value is a float32 number (the original reports
 * float32 scalars and a float32 fROC tensor); the means are taken in double before that rounding, where the
 * original averages in float32 (a difference of at most a few 1e-8).
 *
 * <p>Where the original fails, this class does not: with no target box but enough false positives to reach 0.125
 * per image, {@code FrocMetric} divides by zero; here fROC is then 1.0, the value the original gives for no targets
 * when no threshold is reached. Class indices outside the class list, which the original silently drops, and
 * non-finite coordinates or confidences are refused.
 *
 * <p>Not thread-safe. Cheap to create; {@link #reset} keeps the allocated storage.
 */
public final class DetectionMetrics {
    /** IoU thresholds of LoVT's {@code BBoxMeanAPMetric}: 0.40, 0.45, …, 0.75. */
    public static final List<Double> IOU_THRESHOLDS = List.of(0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75);
    /** The IoU thresholds reported on their own ({@code mAP@0.5}, {@code mAP@0.75}). */
    public static final List<Double> REPORTED_THRESHOLDS = List.of(0.5, 0.75);
    /** False positives per image at which {@code FrocMetric} reads the sensitivity. */
    public static final List<Double> FROC_FPS_PER_IMAGE = List.of(0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0);
    /** Number of recall points of the interpolated AP ({@code np.arange(0., 1.01, 0.01)}). */
    static final int RECALL_POINTS = 101;

    private static final double[] IOU_T = IOU_THRESHOLDS.stream().mapToDouble(Double::doubleValue).toArray();
    private static final double[] FPS = FROC_FPS_PER_IMAGE.stream().mapToDouble(Double::doubleValue).toArray();
    private static final int[] REPORTED_INDEX = REPORTED_THRESHOLDS.stream()
            .mapToInt(t -> IOU_THRESHOLDS.indexOf(t)).toArray();

    private final List<String> classNames;
    private final int numClasses;

    private int numImages;
    /** Per image: whether it has at least one target (of any class). */
    private boolean[] positive = new boolean[16];
    /** Targets of image i are {@code targetStart[i] .. targetStart[i+1]-1}. */
    private int[] targetStart = new int[17];

    private int numTargets;
    private double[] tx1 = new double[32];
    private double[] ty1 = new double[32];
    private double[] tx2 = new double[32];
    private double[] ty2 = new double[32];
    private int[] tcls = new int[32];
    private int[] targetsPerClass;

    private int numPreds;
    private int[] pimg = new int[64];
    private int[] pcls = new int[64];
    private double[] pconf = new double[64];
    /** Box centre {@code (x + w/2, y + h/2)}, what the fROC tests. */
    private double[] pcx = new double[64];
    private double[] pcy = new double[64];
    /**
     * The same-class targets of a prediction's image in walking order (descending IoU): global target indices and
     * IoUs at {@code candStart[p] .. candStart[p+1]-1}.
     */
    private int[] candStart = new int[65];
    private int numCand;
    private int[] candTarget = new int[128];
    private double[] candIou = new double[128];

    /** Scratch for sorting one prediction's candidates. */
    private int[] scratchTarget = new int[16];
    private double[] scratchIou = new double[16];
    private double[] scratchKey = new double[16];
    private int[] scratchPos = new int[16];
    private int[] scratchTmp = new int[16];

    /**
     * @param classNames the class names, in class-index order (a {@link BoxTarget#cls()} of i is {@code classNames
     *                   .get(i)}); they name the {@code <class>_mAP} keys and must be distinct
     */
    public DetectionMetrics(List<String> classNames) {
        if (classNames == null || classNames.isEmpty()) {
            throw new LovtException("detection metrics need at least one class name");
        }
        if (new HashSet<>(classNames).size() != classNames.size() || classNames.stream().anyMatch(c -> c == null)) {
            throw new LovtException("detection metrics: class names must be distinct and non-null, got "
                    + classNames);
        }
        this.classNames = List.copyOf(classNames);
        this.numClasses = classNames.size();
        this.targetsPerClass = new int[numClasses];
    }

    /** The class names, in class-index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Number of images added since creation or the last {@link #reset}. */
    public int numImages() {
        return numImages;
    }

    /** Forgets every image added; the storage is kept for the next split. */
    public void reset() {
        numImages = 0;
        numTargets = 0;
        numPreds = 0;
        numCand = 0;
        Arrays.fill(targetsPerClass, 0);
    }

    /**
     * Adds one image: its target boxes and its predicted boxes (after non-maximum suppression), both as top-left
     * corner plus size. Either list may be empty.
     *
     * @throws LovtException for a class index outside the class list or a non-finite coordinate or confidence
     */
    public void add(List<BoxTarget> targets, List<BoxPrediction> predictions) {
        int img = numImages;
        for (int j = 0; j < targets.size(); j++) {
            BoxTarget t = targets.get(j);
            checkClass(t.cls(), img, "target", j);
            checkFinite(img, "target", j, t.x(), t.y(), t.w(), t.h(), 0);
        }
        for (int j = 0; j < predictions.size(); j++) {
            BoxPrediction p = predictions.get(j);
            checkClass(p.cls(), img, "prediction", j);
            checkFinite(img, "prediction", j, p.x(), p.y(), p.w(), p.h(), p.conf());
        }
        if (img + 1 >= targetStart.length) {
            targetStart = Arrays.copyOf(targetStart, 2 * targetStart.length);
            positive = Arrays.copyOf(positive, targetStart.length);
        }
        int t0 = numTargets;
        ensureTargets(t0 + targets.size());
        for (BoxTarget t : targets) {
            int k = numTargets++;
            tx1[k] = t.x();
            ty1[k] = t.y();
            tx2[k] = t.x() + t.w();
            ty2[k] = t.y() + t.h();
            tcls[k] = t.cls();
            targetsPerClass[t.cls()]++;
        }
        targetStart[img] = t0;
        targetStart[img + 1] = numTargets;
        positive[img] = !targets.isEmpty();

        ensurePreds(numPreds + predictions.size());
        for (BoxPrediction p : predictions) {
            int k = numPreds++;
            pimg[k] = img;
            pcls[k] = p.cls();
            pconf[k] = p.conf();
            pcx[k] = p.x() + p.w() / 2;
            pcy[k] = p.y() + p.h() / 2;
            addCandidates(k, p.x(), p.y(), p.x() + p.w(), p.y() + p.h(), p.cls(), t0, numTargets);
        }
        numImages++;
    }

    /** The metrics over every image added so far, keyed as described in the class comment. */
    public Map<String, Double> compute() {
        int[] order = stableOrderDescending(pconf, numPreds);
        // Predictions of each class in confidence order (a stable filter of the global order).
        int[] perClassCount = new int[numClasses + 1];
        for (int k = 0; k < numPreds; k++) {
            perClassCount[pcls[k] + 1]++;
        }
        for (int c = 0; c < numClasses; c++) {
            perClassCount[c + 1] += perClassCount[c];
        }
        int[] byClass = new int[numPreds];
        int[] fill = Arrays.copyOf(perClassCount, numClasses);
        for (int k : order) {
            byClass[fill[pcls[k]]++] = k;
        }

        float[][] ap = new float[IOU_T.length][numClasses];
        float[][] posAp = new float[IOU_T.length][numClasses];
        boolean[] matched = new boolean[numTargets];
        boolean[] tp = new boolean[numPreds];
        boolean[] keep = new boolean[numPreds];
        int[] cumTp = new int[numPreds];
        double[] precision = new double[numPreds];
        for (int ti = 0; ti < IOU_T.length; ti++) {
            double thr = IOU_T[ti];
            Arrays.fill(matched, 0, numTargets, false);
            for (int c = 0; c < numClasses; c++) {
                int from = perClassCount[c];
                int to = perClassCount[c + 1];
                for (int i = from; i < to; i++) {
                    int k = byClass[i];
                    tp[i - from] = match(k, thr, matched);
                    keep[i - from] = positive[pimg[k]]; // pos_: images without targets hold no target either
                }
                ap[ti][c] = (float) averagePrecision(tp, null, to - from, targetsPerClass[c], cumTp, precision);
                posAp[ti][c] = (float) averagePrecision(tp, keep, to - from, targetsPerClass[c], cumTp, precision);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        putMeans(out, "", ap);
        putMeans(out, "pos_", posAp);
        out.put("froc", (double) (float) froc(order));
        return Collections.unmodifiableMap(out);
    }

    private void putMeans(Map<String, Double> out, String prefix, float[][] ap) {
        double all = 0;
        for (float[] row : ap) {
            for (float v : row) {
                all += v;
            }
        }
        out.put(prefix + "mAP", f32(all / (IOU_T.length * numClasses)));
        for (int c = 0; c < numClasses; c++) {
            double s = 0;
            for (float[] row : ap) {
                s += row[c];
            }
            out.put(prefix + classNames.get(c) + "_mAP", f32(s / IOU_T.length));
        }
        for (int r = 0; r < REPORTED_INDEX.length; r++) {
            double s = 0;
            for (float v : ap[REPORTED_INDEX[r]]) {
                s += v;
            }
            out.put(prefix + "mAP@" + REPORTED_THRESHOLDS.get(r), f32(s / numClasses));
        }
    }

    private static double f32(double v) {
        return (float) v;
    }

    /** bes-dev {@code check_box} with the 'soft' policy (no difficult or crowd targets); marks the target it takes. */
    private boolean match(int k, double thr, boolean[] matched) {
        for (int j = candStart[k]; j < candStart[k + 1]; j++) {
            if (!(candIou[j] > thr)) {
                return false;
            }
            int g = candTarget[j];
            if (!matched[g]) {
                matched[g] = true;
                return true;
            }
        }
        return false;
    }

    /**
     * The 101-point interpolated AP of the first {@code n} predictions in confidence order ({@code tp[i]}: true
     * positive), restricted to those with {@code keep[i]} when {@code keep} is given: bes-dev
     * {@code compute_precision_recall} then {@code compute_average_precision_with_recall_thresholds}.
     *
     * @param cumTp     scratch of at least n ints
     * @param precision scratch of at least n doubles
     */
    static double averagePrecision(boolean[] tp, boolean[] keep, int n, int numTargets, int[] cumTp,
            double[] precision) {
        int m = 0;
        int tps = 0;
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                if (tp[i]) {
                    tps++;
                }
                cumTp[m] = tps;
                // tp + fp >= 1 at every point, so the original's max(tp + fp, eps) is the count itself.
                precision[m] = (double) tps / (m + 1);
                m++;
            }
        }
        // max{precision[j] : recall[j] >= r} is a maximum over a suffix, as recall never decreases.
        for (int i = m - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double denominator = Math.max(numTargets, 1);
        double sum = 0;
        int first = 0;
        for (int r = 0; r < RECALL_POINTS; r++) {
            double threshold = r * 0.01; // np.arange(0., 1.01, 0.01) holds exactly r * 0.01
            while (first < m && cumTp[first] / denominator < threshold) {
                first++;
            }
            double p = first < m ? precision[first] : 0;
            sum = sum + p / RECALL_POINTS;
        }
        return sum;
    }

    /** {@code FrocMetric.compute} over the predictions in confidence order. */
    private double froc(int[] order) {
        boolean[] hit = new boolean[numTargets];
        int hits = 0;
        int falsePositives = 0;
        double[] sensitivities = new double[FPS.length];
        int recorded = 0;
        for (int k : order) {
            int img = pimg[k];
            boolean inside = false;
            for (int g = targetStart[img]; g < targetStart[img + 1]; g++) {
                if (tx1[g] <= pcx[k] && pcx[k] <= tx2[g] && ty1[g] <= pcy[k] && pcy[k] <= ty2[g]) {
                    inside = true;
                    if (!hit[g]) {
                        hit[g] = true;
                        hits++;
                    }
                }
            }
            if (!inside) {
                falsePositives++;
            }
            if ((double) falsePositives / numImages >= FPS[recorded]) {
                // The original divides by zero here when there are no targets.
                sensitivities[recorded++] = numTargets == 0 ? 1.0 : (double) hits / numTargets;
                if (recorded == FPS.length) {
                    break;
                }
            }
        }
        if (recorded == 0) {
            return numTargets == 0 ? 1.0 : (double) hits / numTargets;
        }
        double sum = 0;
        for (int i = 0; i < FPS.length; i++) {
            sum += sensitivities[Math.min(i, recorded - 1)];
        }
        return sum / FPS.length;
    }

    /** The same-class targets of image [t0, t1) as candidates of prediction k, in descending IoU order. */
    private void addCandidates(int k, double x1, double y1, double x2, double y2, int cls, int t0, int t1) {
        if (scratchTarget.length < t1 - t0) {
            int cap = Math.max(t1 - t0, 2 * scratchTarget.length);
            scratchTarget = new int[cap];
            scratchIou = new double[cap];
            scratchKey = new double[cap];
            scratchPos = new int[cap];
            scratchTmp = new int[cap];
        }
        int n = 0;
        // Later targets first, so that the stable sort leaves equal IoUs in np.argsort(iou)[::-1] order.
        for (int g = t1 - 1; g >= t0; g--) {
            if (tcls[g] == cls) {
                double v = iou(x1, y1, x2, y2, tx1[g], ty1[g], tx2[g], ty2[g]);
                scratchIou[n] = v;
                // NaN (degenerate boxes) sorts first, as in numpy's reversed argsort; it never passes a threshold.
                scratchKey[n] = Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
                scratchTarget[n] = g;
                scratchPos[n] = n;
                n++;
            }
        }
        sortDescending(scratchPos, scratchKey, n, scratchTmp);
        ensureCand(numCand + n);
        candStart[k] = numCand;
        for (int i = 0; i < n; i++) {
            candTarget[numCand] = scratchTarget[scratchPos[i]];
            candIou[numCand] = scratchIou[scratchPos[i]];
            numCand++;
        }
        candStart[k + 1] = numCand;
    }

    /**
     * IoU of two corner-form boxes with the "+1 pixel" convention of bes-dev {@code compute_iou}: side lengths are
     * {@code x2 - x1 + 1}, and the operations are in the same order.
     */
    static double iou(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2,
            double by2) {
        double width = Math.max(Math.min(bx2, ax2) - Math.max(bx1, ax1) + 1., 0);
        double height = Math.max(Math.min(by2, ay2) - Math.max(by1, ay1) + 1., 0);
        double intersection = width * height;
        double areaB = (bx2 - bx1 + 1.) * (by2 - by1 + 1.);
        double areaA = (ax2 - ax1 + 1.) * (ay2 - ay1 + 1.);
        return intersection / (areaB + areaA - intersection);
    }

    /** Indices 0..n-1 ordered by {@code key} descending; equal keys keep index order. */
    static int[] stableOrderDescending(double[] key, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        sortDescending(idx, key, n, new int[n]);
        return idx;
    }

    /** Stable merge sort of {@code idx[0..n)} by {@code key[idx]} descending (bottom-up, insertion sort on runs). */
    private static void sortDescending(int[] idx, double[] key, int n, int[] tmp) {
        final int run = 16;
        for (int lo = 0; lo < n; lo += run) {
            int hi = Math.min(lo + run, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i];
                double kv = key[v];
                int j = i - 1;
                while (j >= lo && key[idx[j]] < kv) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
        }
        int[] src = idx;
        int[] dst = tmp;
        for (int width = run; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int a = lo;
                int b = mid;
                int o = lo;
                while (a < mid && b < hi) {
                    dst[o++] = key[src[b]] > key[src[a]] ? src[b++] : src[a++];
                }
                while (a < mid) {
                    dst[o++] = src[a++];
                }
                while (b < hi) {
                    dst[o++] = src[b++];
                }
            }
            int[] s = src;
            src = dst;
            dst = s;
        }
        if (src != idx) {
            System.arraycopy(src, 0, idx, 0, n);
        }
    }

    private void checkClass(int cls, int img, String what, int j) {
        if (cls < 0 || cls >= numClasses) {
            throw new LovtException("detection metrics: image " + img + ", " + what + " " + j + ": class " + cls
                    + " is outside 0.." + (numClasses - 1) + " (" + numClasses + " classes " + classNames + ")");
        }
    }

    private static void checkFinite(int img, String what, int j, double x, double y, double w, double h,
            double conf) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(w) || !Double.isFinite(h)
                || !Double.isFinite(conf)) {
            throw new LovtException("detection metrics: image " + img + ", " + what + " " + j
                    + ": box and confidence must be finite numbers, got [" + x + ", " + y + ", " + w + ", " + h + "]"
                    + (what.equals("prediction") ? " conf " + conf : ""));
        }
    }

    private void ensureTargets(int n) {
        if (n > tx1.length) {
            int cap = Math.max(n, 2 * tx1.length);
            tx1 = Arrays.copyOf(tx1, cap);
            ty1 = Arrays.copyOf(ty1, cap);
            tx2 = Arrays.copyOf(tx2, cap);
            ty2 = Arrays.copyOf(ty2, cap);
            tcls = Arrays.copyOf(tcls, cap);
        }
    }

    private void ensurePreds(int n) {
        if (n > pimg.length) {
            int cap = Math.max(n, 2 * pimg.length);
            pimg = Arrays.copyOf(pimg, cap);
            pcls = Arrays.copyOf(pcls, cap);
            pconf = Arrays.copyOf(pconf, cap);
            pcx = Arrays.copyOf(pcx, cap);
            pcy = Arrays.copyOf(pcy, cap);
            candStart = Arrays.copyOf(candStart, cap + 1);
        }
    }

    private void ensureCand(int n) {
        if (n > candTarget.length) {
            int cap = Math.max(n, 2 * candTarget.length);
            candTarget = Arrays.copyOf(candTarget, cap);
            candIou = Arrays.copyOf(candIou, cap);
        }
    }
}
