package org.lovt.eval.segmentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * The segmentation metrics of LoVT's {@code SegmentationEvaluator} over one split (spec lovt-data-eval §3.9), per
 * target name. A pixel is predicted positive when σ(logit) ≥ 0.5 (torchmetrics thresholds probabilities with
 * {@code >=}) and is a target pixel when its target value is > 0.
 *
 * <p>Keys of {@link #compute()}, in this order ({@code <t>} a target name):
 * <ul>
 *   <li>{@code <t>_dice} for every target: dataset-level Dice 2TP / (2TP + FP + FN) over all pixels of all images
 *       (torchmetrics {@code F1(multiclass=False, average='micro')}), 0 when the denominator is 0;</li>
 *   <li>{@code avg_dice}: the unweighted mean of the per-target Dice values (NIH and Object-CXR report it);</li>
 *   <li>then for every target: {@code <t>_pos_dice}, the per-image Dice averaged over the images whose target has
 *       a positive pixel ({@code F1(average='samples')} on the positive samples), present only when the split had
 *       such an image; {@code <t>_precision} TP / (TP + FP); {@code <t>_recall} TP / (TP + FN); {@code <t>_IoU}
 *       TP / (TP + FP + FN) (torchmetrics {@code IoU(num_classes=2, ignore_index=0)}); each 0 when its denominator
 *       is 0.</li>
 * </ul>
 * The original logs {@code pos_dice} on validation and test, precision, recall and IoU on test only; the caller
 * picks. Not computed: the pixel-level AP and AUROC ({@code compute_ap_auroc}, off in every paper task; the
 * validation AP would hold every pixel probability of the split).
 *
 * <p>Counts are reduced on the tensors' device and read to Java once per batch ({@link #update}); the state is
 * plain Java numbers.
 */
public final class SegmentationMetrics {
    private final List<String> targetNames;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private final long[] positiveSamples;
    private final double[] positiveDiceSum;

    /** @param targetNames the targets in channel order (e.g. {@code opacity}, or NIH's 8 class names) */
    public SegmentationMetrics(List<String> targetNames) {
        if (targetNames == null || targetNames.isEmpty()) {
            throw new LovtException("segmentation metrics need at least one target name");
        }
        if (new HashSet<>(targetNames).size() != targetNames.size()
                || targetNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new LovtException("segmentation target names must be distinct and non-blank, got " + targetNames);
        }
        this.targetNames = List.copyOf(targetNames);
        int n = targetNames.size();
        tp = new long[n];
        fp = new long[n];
        fn = new long[n];
        positiveSamples = new long[n];
        positiveDiceSum = new double[n];
    }

    public List<String> targetNames() {
        return targetNames;
    }

    /**
     * Adds one batch.
     *
     * @param logits  (B, n, H, W), n the number of target names
     * @param targets (B, n, H, W), 0/1 masks of any dtype
     */
    public void update(Tensor logits, Tensor targets) {
        long[] l = Tensors.shape(logits);
        long[] t = Tensors.shape(targets);
        int n = targetNames.size();
        if (l.length != 4 || l[1] != n || !Arrays.equals(l, t)) {
            throw new LovtException("segmentation metrics: logits " + Arrays.toString(l) + " and targets "
                    + Arrays.toString(t) + " must both be (B, " + n + ", H, W) for the targets " + targetNames);
        }
        double[] v;
        try (NoGradGuard g = new NoGradGuard()) {
            ScalarTypeOptional f64 = new ScalarTypeOptional(ScalarType.Double);
            long[] pixels = {2, 3};
            Tensor pred = torch.sigmoid(logits).ge(new Scalar(0.5));                // (B, n, H, W) bool
            Tensor y = targets.gt(new Scalar(0));                                    // (B, n, H, W) bool
            Tensor tpS = pred.logical_and(y).sum(pixels, false, f64);               // (B, n)
            Tensor predS = pred.sum(pixels, false, f64);                            // (B, n)
            Tensor yS = y.sum(pixels, false, f64);                                  // (B, n)
            Tensor positive = yS.gt(new Scalar(0)).to(ScalarType.Double);          // (B, n) 1 or 0
            // per-image Dice 2TP / (|pred| + |target|), counted only where the target has a pixel (> 0 there)
            Tensor sampleDice = tpS.mul(new Scalar(2.0))
                    .div(torch.clamp_min(predS.add(yS), new Scalar(1.0))).mul(positive);   // (B, n)
            Tensor tpN = tpS.sum(0);                                                // (n)
            Tensor stats = torch.stack(new TensorVector(tpN, predS.sum(0).sub(tpN), yS.sum(0).sub(tpN),
                    positive.sum(0), sampleDice.sum(0)));                           // (5, n)
            v = Tensors.toDoubles(stats);
        }
        for (int i = 0; i < n; i++) {
            tp[i] += Math.round(v[i]);
            fp[i] += Math.round(v[n + i]);
            fn[i] += Math.round(v[2 * n + i]);
            positiveSamples[i] += Math.round(v[3 * n + i]);
            positiveDiceSum[i] += v[4 * n + i];
        }
    }

    /** The metrics over everything added since construction or the last {@link #reset}, keyed as documented above. */
    public Map<String, Double> compute() {
        Map<String, Double> out = new LinkedHashMap<>();
        double sum = 0;
        for (int i = 0; i < targetNames.size(); i++) {
            double dice = ratio(2 * tp[i], 2 * tp[i] + fp[i] + fn[i]);
            out.put(targetNames.get(i) + "_dice", dice);
            sum += dice;
        }
        out.put("avg_dice", sum / targetNames.size());
        for (int i = 0; i < targetNames.size(); i++) {
            String t = targetNames.get(i);
            if (positiveSamples[i] > 0) {
                out.put(t + "_pos_dice", positiveDiceSum[i] / positiveSamples[i]);
            }
            out.put(t + "_precision", ratio(tp[i], tp[i] + fp[i]));
            out.put(t + "_recall", ratio(tp[i], tp[i] + fn[i]));
            out.put(t + "_IoU", ratio(tp[i], tp[i] + fp[i] + fn[i]));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Forgets everything added. */
    public void reset() {
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(fn, 0);
        Arrays.fill(positiveSamples, 0);
        Arrays.fill(positiveDiceSum, 0);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }
}
