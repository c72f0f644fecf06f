package org.lovt.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.lovt.LovtException;
import org.lovt.eval.metrics.BoxPrediction;
import org.lovt.torch.Tensors;

/**
 * YOLOv3 predictions of LoVT's detection head (spec lovt-data-eval §3.5 "Predictions"): the raw outputs decoded to
 * boxes, then {@code non_max_suppression} with conf 0.2 and NMS 0.4.
 *
 * <p>Decoding, per scale with stride = inputSize / grid size: centre ((σ(p0) + col)·stride, (σ(p1) + row)·stride),
 * size (exp(p2)·anchor_w, exp(p3)·anchor_h), conf σ(p4), class scores σ(p5…); rows in scale order 0, 1, 2, each in
 * (anchor, row, col) order. NMS: corners x1 = cx − w/2 … ; rows with conf &lt; 0.2 dropped; per predicted class
 * (highest class score, first on ties; classes in ascending order), rows sorted by conf descending and kept greedily,
 * each removing the later rows whose "+1" IoU with it is ≥ 0.4. The result per image is top-left x, y, width = x2 − x1,
 * height = y2 − y1 (not clipped to the image), the class (0 for a single class) and conf = the objectness. All box
 * arithmetic is float32, as in the original; ties in conf keep the decoding order (the original's sort is not
 * stable, so it leaves their order unspecified).
 */
public final class YoloDecoder {
    /** {@code non_max_suppression(conf_thres=0.2)} as LoVT calls it. */
    public static final double CONF_THRESHOLD = 0.2;
    /** {@code nms_thres} default. */
    public static final double NMS_THRESHOLD = 0.4;

    private final YoloAnchors anchors;
    private final int numClasses;
    private final int inputSize;

    /**
     * @param anchors    anchor boxes per scale, in input pixels
     * @param numClasses number of classes
     * @param inputSize  side of the square input frame in pixels (224 in LoVT)
     */
    public YoloDecoder(YoloAnchors anchors, int numClasses, int inputSize) {
        if (anchors == null) {
            throw new LovtException("yolo decoder: anchors are required");
        }
        if (numClasses < 1) {
            throw new LovtException("yolo decoder: num_classes must be >= 1, got " + numClasses);
        }
        if (inputSize < 1) {
            throw new LovtException("yolo decoder: input size must be positive, got " + inputSize);
        }
        this.anchors = anchors;
        this.numClasses = numClasses;
        this.inputSize = inputSize;
    }

    /** The decoder of a head's outputs in an input frame of {@code inputSize} pixels. */
    public YoloDecoder(YoloV3Head head, int inputSize) {
        this(head.anchors(), head.numClasses(), inputSize);
    }

    /** Decoding and NMS with LoVT's thresholds (conf 0.2, NMS 0.4). */
    public List<List<BoxPrediction>> predict(List<Tensor> outputs) {
        return predict(outputs, CONF_THRESHOLD, NMS_THRESHOLD);
    }

    /** Decoding and NMS with the given thresholds; no gradient is recorded. */
    public List<List<BoxPrediction>> predict(List<Tensor> outputs, double confThreshold, double nmsThreshold) {
        try (NoGradGuard g = new NoGradGuard()) {
            return nonMaxSuppression(decode(outputs), numClasses, confThreshold, nmsThreshold);
        }
    }

    /**
     * The decoded rows of the three raw outputs (scale 0 first): (B, N, 5+C) float32 {@code [cx, cy, w, h, conf,
     * cls…]} in input pixels, N = Σ anchors·H·W, on the outputs' device.
     */
    public Tensor decode(List<Tensor> outputs) {
        if (outputs == null || outputs.size() != YoloAnchors.SCALES) {
            throw new LovtException("yolo decoder: expected " + YoloAnchors.SCALES + " outputs, got "
                    + (outputs == null ? "none" : outputs.size()));
        }
        Tensor[] rows = new Tensor[YoloAnchors.SCALES];
        long batch = -1;
        for (int s = 0; s < YoloAnchors.SCALES; s++) {
            long[] shape = Tensors.shape(outputs.get(s));
            int a = anchors.count(s);
            int attrs = 5 + numClasses;
            if (shape.length != 4 || shape[1] != (long) a * attrs || (batch >= 0 && shape[0] != batch)) {
                throw new LovtException("yolo decoder: output of scale " + s + " has shape " + Arrays.toString(shape)
                        + ", expected (" + (batch >= 0 ? String.valueOf(batch) : "B") + ", " + a * attrs
                        + ", H, W) for " + a + " anchors and " + numClasses + " classes");
            }
            batch = shape[0];
            rows[s] = decodeScale(s, outputs.get(s), shape);
        }
        return torch.cat(new TensorVector(rows), 1);                                    // (B, N, 5+C)
    }

    private Tensor decodeScale(int scale, Tensor output, long[] shape) {
        long b = shape[0];
        int a = anchors.count(scale);
        int attrs = 5 + numClasses;
        int gh = (int) shape[2];
        int gw = (int) shape[3];
        var device = output.device();
        Tensor p = output.to(ScalarType.Float).reshape(b, a, attrs, gh, gw)
                .permute(0, 1, 3, 4, 2).contiguous();                                  // (B, A, H, W, 5+C)
        float strideW = (float) ((double) inputSize / gw);
        float strideH = (float) ((double) inputSize / gh);
        float[] aw = new float[a];
        float[] ah = new float[a];
        for (int k = 0; k < a; k++) {
            // scaled_anchors = anchors / stride (float32), later multiplied back by the stride
            aw[k] = (float) anchors.width(scale, k) / strideW;
            ah[k] = (float) anchors.height(scale, k) / strideH;
        }
        Tensor gridX = onDevice(Tensors.floats(range(gw), 1, 1, 1, gw), device);          // (1, 1, 1, W)
        Tensor gridY = onDevice(Tensors.floats(range(gh), 1, 1, gh, 1), device);          // (1, 1, H, 1)
        Tensor anchorW = onDevice(Tensors.floats(aw, 1, a, 1, 1), device);                // (1, A, 1, 1)
        Tensor anchorH = onDevice(Tensors.floats(ah, 1, a, 1, 1), device);
        Scalar sw = new Scalar(strideW);
        Scalar sh = new Scalar(strideH);
        Tensor cx = torch.sigmoid(p.select(4, 0)).add(gridX).mul(sw);                    // (B, A, H, W)
        Tensor cy = torch.sigmoid(p.select(4, 1)).add(gridY).mul(sh);
        Tensor w = p.select(4, 2).exp().mul(anchorW).mul(sw);
        Tensor h = p.select(4, 3).exp().mul(anchorH).mul(sh);
        Tensor conf = torch.sigmoid(p.select(4, 4));
        Tensor cls = torch.sigmoid(p.narrow(4, 5, numClasses));                          // (B, A, H, W, C)
        Tensor box = torch.stack(new TensorVector(cx, cy, w, h, conf), 4);               // (B, A, H, W, 5)
        return torch.cat(new TensorVector(box, cls), 4).view(b, (long) a * gh * gw, attrs); // (B, A·H·W, 5+C)
    }

    /**
     * {@code non_max_suppression} on decoded rows (B, N, 5+C) {@code [cx, cy, w, h, conf, cls…]}: the threshold is
     * applied on the tensor, the greedy suppression on the few surviving rows in Java.
     */
    public static List<List<BoxPrediction>> nonMaxSuppression(Tensor decoded, int numClasses, double confThreshold,
                                                               double nmsThreshold) {
        long[] shape = Tensors.shape(decoded);
        if (shape.length != 3 || shape[2] < 5 + numClasses) {
            throw new LovtException("yolo nms: decoded rows must be (B, N, 5+" + numClasses + "), got "
                    + Arrays.toString(shape));
        }
        int b = (int) shape[0];
        long n = shape[1];
        int attrs = (int) shape[2];
        List<List<BoxPrediction>> out = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor rows = decoded.to(ScalarType.Float);
            Tensor keep = rows.select(2, 4).ge(new Scalar(confThreshold));               // (B, N)
            Tensor idx = torch.nonzero(keep);                                            // (K, 2), row-major order
            long[] at = Tensors.toLongs(idx);
            int k = (int) idx.size(0);
            Tensor flat = idx.select(1, 0).mul(new Scalar(n)).add(idx.select(1, 1));      // (K)
            float[] kept = Tensors.toFloats(rows.reshape(b * n, attrs).index_select(0, flat)); // (K, 5+C)
            int from = 0;
            for (int img = 0; img < b; img++) {
                int to = from;
                while (to < k && at[2 * to] == img) {
                    to++;
                }
                out.add(suppress(kept, attrs, from, to, numClasses, (float) nmsThreshold));
                from = to;
            }
        }
        return out;
    }

    /** Greedy per-class NMS of rows {@code [from, to)} of {@code rows} (already above the conf threshold). */
    private static List<BoxPrediction> suppress(float[] rows, int attrs, int from, int to, int numClasses,
                                                float nmsThreshold) {
        // (x1, y1, x2, y2, conf) in float32, grouped by predicted class in ascending order
        TreeMap<Integer, List<float[]>> byClass = new TreeMap<>();
        for (int r = from; r < to; r++) {
            int o = r * attrs;
            float cx = rows[o];
            float cy = rows[o + 1];
            float w = rows[o + 2];
            float h = rows[o + 3];
            int cls = 0;
            for (int c = 1; c < numClasses; c++) {
                float v = rows[o + 5 + c];
                float best = rows[o + 5 + cls];
                // torch.max over the classes: the first maximum, a NaN counting as the maximum
                if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                    cls = c;
                }
            }
            float[] box = {cx - w / 2f, cy - h / 2f, cx + w / 2f, cy + h / 2f, rows[o + 4]};
            byClass.computeIfAbsent(cls, c -> new ArrayList<>()).add(box);
        }
        List<BoxPrediction> out = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<float[]> boxes = e.getValue();
            boxes.sort((p, q) -> Float.compare(q[4], p[4]));                             // stable, conf descending
            boolean[] removed = new boolean[boxes.size()];
            for (int i = 0; i < boxes.size(); i++) {
                if (removed[i]) {
                    continue;
                }
                float[] best = boxes.get(i);
                out.add(new BoxPrediction(best[0], best[1], best[2] - best[0], best[3] - best[1], e.getKey(),
                        best[4]));
                for (int j = i + 1; j < boxes.size(); j++) {
                    // the original keeps only boxes with IoU < thres, so a NaN IoU removes the box too
                    if (!removed[j] && !(iou(best, boxes.get(j)) < nmsThreshold)) {
                        removed[j] = true;
                    }
                }
            }
        }
        return out;
    }

    /** {@code bbox_iou} of two corner boxes (x1, y1, x2, y2) with the "+1" pixel convention, in float32. */
    static float iou(float[] a, float[] b) {
        float ix1 = Math.max(a[0], b[0]);
        float iy1 = Math.max(a[1], b[1]);
        float ix2 = Math.min(a[2], b[2]);
        float iy2 = Math.min(a[3], b[3]);
        float inter = Math.max(ix2 - ix1 + 1f, 0f) * Math.max(iy2 - iy1 + 1f, 0f);
        float areaA = (a[2] - a[0] + 1f) * (a[3] - a[1] + 1f);
        float areaB = (b[2] - b[0] + 1f) * (b[3] - b[1] + 1f);
        return inter / (areaA + areaB - inter + 1e-16f);
    }

    private static float[] range(int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static Tensor onDevice(Tensor t, org.bytedeco.pytorch.Device device) {
        return device.is_cpu() ? t : t.to(device, ScalarType.Float);
    }
}
