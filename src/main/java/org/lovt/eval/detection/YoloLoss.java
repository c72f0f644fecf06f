package org.lovt.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.lovt.LovtException;
import org.lovt.eval.metrics.BoxTarget;
import org.lovt.torch.Tensors;

/**
 * LoVT's YOLOv3 loss ({@code YOLOv3Loss}, spec lovt-data-eval §3.5, after BobLiu20/YOLOv3_PyTorch), summed over
 * the three scales and computed in float32 whatever the outputs' dtype (the original runs it outside autocast).
 *
 * <p>Per scale, with the prediction viewed as (B, A, H, W, 5+C), x = σ(p0), y = σ(p1), w = p2, h = p3,
 * conf = σ(p4), cls = σ(p5…), and the targets of {@link #targets}:
 * <pre>
 * loss = 2.5·BCE(x·mask, tx·mask) + 2.5·BCE(y·mask, ty·mask) + 2.5·MSE(w·mask, tw·mask) + 2.5·MSE(h·mask, th·mask)
 *      + 1.0·[BCE(conf·mask, mask) + 0.5·BCE(conf·noobj, 0)] + 1.0·cls
 * cls  = 0 for one class, else BCE(cls·mask, tcls·mask)
 * </pre>
 * BCE is {@code nn.BCELoss} on probabilities (each log clamped at −100), MSE is {@code nn.MSELoss}; both are means
 * over all B·A·H·W elements (B·A·H·W·C for the class term).
 */
public final class YoloLoss {
    /** The input frame of LoVT's downstream tasks. */
    public static final int DEFAULT_INPUT_SIZE = 224;
    /** Anchors whose "+1" IoU with a box exceeds this are not penalised as background at the box's cell. */
    public static final double IGNORE_THRESHOLD = 0.5;
    public static final double LAMBDA_XY = 2.5;
    public static final double LAMBDA_WH = 2.5;
    public static final double LAMBDA_CONF = 1.0;
    public static final double LAMBDA_CLS = 1.0;
    /** Weight of the background part of the confidence loss. */
    public static final double NOOBJ_WEIGHT = 0.5;

    private final YoloAnchors anchors;
    private final int numClasses;
    private final int inputSize;

    /**
     * @param anchors    anchor boxes per scale, in input pixels
     * @param numClasses number of classes
     * @param inputSize  side of the square input frame in pixels (224 in LoVT); the stride of a scale is
     *                   inputSize / its grid size
     */
    public YoloLoss(YoloAnchors anchors, int numClasses, int inputSize) {
        if (anchors == null) {
            throw new LovtException("yolo loss: anchors are required");
        }
        if (numClasses < 1) {
            throw new LovtException("yolo loss: num_classes must be >= 1, got " + numClasses);
        }
        if (inputSize < 1) {
            throw new LovtException("yolo loss: input size must be positive, got " + inputSize);
        }
        this.anchors = anchors;
        this.numClasses = numClasses;
        this.inputSize = inputSize;
    }

    /** The loss of a head's outputs: its anchors and classes, in an input frame of {@code inputSize} pixels. */
    public YoloLoss(YoloV3Head head, int inputSize) {
        this(head.anchors(), head.numClasses(), inputSize);
    }

    /**
     * The loss and its parts, summed over the scales.
     *
     * @param total  the differentiable float32 scalar to minimise
     * @param x      unweighted BCE of the x offsets (sum over scales), as the original logs it
     * @param y      unweighted BCE of the y offsets
     * @param w      unweighted MSE of the log width ratios
     * @param h      unweighted MSE of the log height ratios
     * @param conf   unweighted objectness loss (object BCE + 0.5 · background BCE)
     * @param cls    unweighted class BCE (0 with one class)
     * @param scale0 the weighted loss of scale 0 (stride 32)
     * @param scale1 the weighted loss of scale 1
     * @param scale2 the weighted loss of scale 2
     */
    public record Output(Tensor total, double x, double y, double w, double h, double conf, double cls,
                         double scale0, double scale1, double scale2) {
        /**
         * The parts under the original's log keys: {@code x, y, w, h, conf, cls, loss_scale_0, loss_scale_1,
         * loss_scale_2}.
         */
        public Map<String, Double> detailed() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("x", x);
            m.put("y", y);
            m.put("w", w);
            m.put("h", h);
            m.put("conf", conf);
            m.put("cls", cls);
            m.put("loss_scale_0", scale0);
            m.put("loss_scale_1", scale1);
            m.put("loss_scale_2", scale2);
            return m;
        }
    }

    /**
     * The training targets of one scale ({@code get_targets}), flat float arrays in C order: {@code mask},
     * {@code noobjMask}, {@code tx}, {@code ty}, {@code tw}, {@code th} and {@code tconf} are (B, A, H, W)
     * (see {@link #index}); {@code tcls} is (B, A, H, W, C).
     */
    public record Targets(int batch, int anchors, int height, int width, int numClasses, float[] mask,
                          float[] noobjMask, float[] tx, float[] ty, float[] tw, float[] th, float[] tconf,
                          float[] tcls) {
        /** The flat index of (b, a, j, i): image, anchor, row, column. */
        public int index(int b, int a, int j, int i) {
            return ((b * anchors + a) * height + j) * width + i;
        }
    }

    /** The loss of a batch: the head's three raw outputs (scale 0 first) and each image's boxes (input pixels). */
    public Output compute(List<Tensor> outputs, List<List<BoxTarget>> targets) {
        if (outputs == null || outputs.size() != YoloAnchors.SCALES) {
            throw new LovtException("yolo loss: expected " + YoloAnchors.SCALES + " outputs, got "
                    + (outputs == null ? "none" : outputs.size()));
        }
        if (targets == null || targets.isEmpty()) {
            throw new LovtException("yolo loss: the batch has no target list");
        }
        Tensor total = null;
        List<Tensor> parts = new ArrayList<>();
        for (int s = 0; s < YoloAnchors.SCALES; s++) {
            Tensor[] p = scaleLoss(s, outputs.get(s), targets);
            total = total == null ? p[0] : total.add(p[0]);
            parts.addAll(Arrays.asList(p));
        }
        double[] v = Tensors.toDoubles(torch.stack(new TensorVector(
                parts.stream().map(Tensor::detach).toArray(Tensor[]::new))));      // 3 × (loss, x, y, w, h, conf, cls)
        double[] sum = new double[7];
        for (int s = 0; s < YoloAnchors.SCALES; s++) {
            for (int k = 0; k < 7; k++) {
                sum[k] += v[s * 7 + k];
            }
        }
        return new Output(total, sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], v[0], v[7], v[14]);
    }

    /** {loss, x, y, w, h, conf, cls} of one scale, float32 scalars. */
    private Tensor[] scaleLoss(int scale, Tensor output, List<List<BoxTarget>> boxes) {
        long[] shape = Tensors.shape(output);
        int a = anchors.count(scale);
        int attrs = 5 + numClasses;
        if (shape.length != 4 || shape[1] != (long) a * attrs || shape[0] != boxes.size()) {
            throw new LovtException("yolo loss: output of scale " + scale + " has shape " + Arrays.toString(shape)
                    + ", expected (" + boxes.size() + ", " + a * attrs + ", H, W) for " + boxes.size()
                    + " target lists, " + a + " anchors and " + numClasses + " classes");
        }
        int b = (int) shape[0];
        int gh = (int) shape[2];
        int gw = (int) shape[3];
        Targets t = targets(scale, boxes, gh, gw);
        Device device = output.device();
        Tensor p = output.to(ScalarType.Float).reshape(b, a, attrs, gh, gw)
                .permute(0, 1, 3, 4, 2).contiguous();                                 // (B, A, H, W, 5+C)
        Tensor x = torch.sigmoid(p.select(4, 0));                                       // (B, A, H, W)
        Tensor y = torch.sigmoid(p.select(4, 1));
        Tensor w = p.select(4, 2);
        Tensor h = p.select(4, 3);
        Tensor conf = torch.sigmoid(p.select(4, 4));
        Tensor mask;
        Tensor noobj;
        Tensor tx;
        Tensor ty;
        Tensor tw;
        Tensor th;
        Tensor tcls;
        try (NoGradGuard g = new NoGradGuard()) {
            mask = onDevice(t.mask(), device, b, a, gh, gw);
            noobj = onDevice(t.noobjMask(), device, b, a, gh, gw);
            tx = onDevice(t.tx(), device, b, a, gh, gw);
            ty = onDevice(t.ty(), device, b, a, gh, gw);
            tw = onDevice(t.tw(), device, b, a, gh, gw);
            th = onDevice(t.th(), device, b, a, gh, gw);
            tcls = onDevice(t.tcls(), device, b, a, gh, gw, numClasses);
        }
        Tensor lx = torch.binary_cross_entropy(x.mul(mask), tx.mul(mask));
        Tensor ly = torch.binary_cross_entropy(y.mul(mask), ty.mul(mask));
        Tensor lw = torch.mse_loss(w.mul(mask), tw.mul(mask));
        Tensor lh = torch.mse_loss(h.mul(mask), th.mul(mask));
        Tensor lconf = torch.binary_cross_entropy(conf.mul(mask), mask)
                .add(torch.binary_cross_entropy(conf.mul(noobj), torch.zeros_like(noobj)).mul(new Scalar(NOOBJ_WEIGHT)));
        Tensor lcls;
        if (numClasses == 1) {
            lcls = torch.zeros_like(lconf);
        } else {
            Tensor cls = torch.sigmoid(p.narrow(4, 5, numClasses));                     // (B, A, H, W, C)
            Tensor m = mask.unsqueeze(-1);                                               // (B, A, H, W, 1)
            lcls = torch.binary_cross_entropy(cls.mul(m), tcls.mul(m));
        }
        Tensor loss = lx.mul(new Scalar(LAMBDA_XY)).add(ly.mul(new Scalar(LAMBDA_XY)))
                .add(lw.mul(new Scalar(LAMBDA_WH))).add(lh.mul(new Scalar(LAMBDA_WH)))
                .add(lconf.mul(new Scalar(LAMBDA_CONF))).add(lcls.mul(new Scalar(LAMBDA_CLS)));
        return new Tensor[] {loss, lx, ly, lw, lh, lconf, lcls};
    }

    private static Tensor onDevice(float[] data, Device device, long... shape) {
        Tensor t = Tensors.floats(data, shape);
        return device.is_cpu() ? t : t.to(device, ScalarType.Float);
    }

    /**
     * The targets of one scale with a {@code gridH × gridW} output ({@code get_targets}), in float32 arithmetic as
     * the original. Per box (x, y, w, h) in input pixels, in list order:
     * <ol>
     *   <li>to grid units: ×gridW/inputSize, ×gridH/inputSize; centre gx = x + w/2, gy = y + h/2;</li>
     *   <li>cell gi = int(gx), gj = int(gy) (truncated toward zero), clamped to ≤ gridW−1, ≤ gridH−1; a negative
     *       cell index wraps around as Python indexing does, while tx/ty keep the unwrapped value;</li>
     *   <li>IoU of [0, 0, gw, gh] with each anchor [0, 0, aw, ah] (grid units) with the "+1" convention;</li>
     *   <li>noobj = 0 at the cell for every anchor with IoU &gt; 0.5 (not necessarily the best one);</li>
     *   <li>at the best anchor (first maximum): mask = 1, tx = gx − gi, ty = gy − gj, tw = log(gw/aw + 1e-16),
     *       th = log(gh/ah + 1e-16), tconf = 1, tcls one-hot (index 0 for a single class, whatever the box's
     *       class).</li>
     * </ol>
     * A later box in the same cell and anchor overwrites an earlier one.
     */
    public Targets targets(int scale, List<List<BoxTarget>> boxes, int gridH, int gridW) {
        if (scale < 0 || scale >= YoloAnchors.SCALES) {
            throw new LovtException("yolo loss: scale must be 0.." + (YoloAnchors.SCALES - 1) + ", got " + scale);
        }
        if (gridH < 1 || gridW < 1) {
            throw new LovtException("yolo loss: grid must be positive, got " + gridH + "×" + gridW);
        }
        int bs = boxes.size();
        int na = anchors.count(scale);
        int n = bs * na * gridH * gridW;
        float[] mask = new float[n];
        float[] noobj = new float[n];
        Arrays.fill(noobj, 1f);
        float[] tx = new float[n];
        float[] ty = new float[n];
        float[] tw = new float[n];
        float[] th = new float[n];
        float[] tconf = new float[n];
        float[] tcls = new float[n * numClasses];
        Targets t = new Targets(bs, na, gridH, gridW, numClasses, mask, noobj, tx, ty, tw, th, tconf, tcls);

        // scaled_anchors = anchors / stride, with stride = image size / grid size (float32 tensor ÷ scalar).
        float[] aw = new float[na];
        float[] ah = new float[na];
        float strideW = (float) ((double) inputSize / gridW);
        float strideH = (float) ((double) inputSize / gridH);
        for (int k = 0; k < na; k++) {
            aw[k] = (float) anchors.width(scale, k) / strideW;
            ah[k] = (float) anchors.height(scale, k) / strideH;
        }
        float rescaleX = (float) ((double) gridW / inputSize);
        float rescaleY = (float) ((double) gridH / inputSize);
        float ignore = (float) IGNORE_THRESHOLD;
        for (int b = 0; b < bs; b++) {
            List<BoxTarget> list = boxes.get(b);
            if (list == null) {
                throw new LovtException("yolo loss: image " + b + " has a null box list");
            }
            for (BoxTarget box : list) {
                checkBox(b, box);
                float gw = (float) box.w() * rescaleX;
                float gh = (float) box.h() * rescaleY;
                float gx = (float) box.x() * rescaleX + gw / 2f;
                float gy = (float) box.y() * rescaleY + gh / 2f;
                int gi = Math.min((int) gx, gridW - 1);
                int gj = Math.min((int) gy, gridH - 1);
                int ci = pythonIndex(gi, gridW, b, box);
                int cj = pythonIndex(gj, gridH, b, box);
                int best = 0;
                float bestIou = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < na; k++) {
                    float iou = anchorIou(gw, gh, aw[k], ah[k]);
                    if (iou > ignore) {
                        noobj[t.index(b, k, cj, ci)] = 0f;
                    }
                    // torch.argmax: the first maximum; a NaN counts as the maximum.
                    if (iou > bestIou || (Float.isNaN(iou) && !Float.isNaN(bestIou))) {
                        best = k;
                        bestIou = iou;
                    }
                }
                int at = t.index(b, best, cj, ci);
                mask[at] = 1f;
                tx[at] = gx - gi;
                ty[at] = gy - gj;
                tw[at] = (float) Math.log(gw / aw[best] + 1e-16f);
                th[at] = (float) Math.log(gh / ah[best] + 1e-16f);
                tconf[at] = 1f;
                if (numClasses == 1) {
                    tcls[at] = 1f;
                } else {
                    if (box.cls() < 0 || box.cls() >= numClasses) {
                        throw new LovtException("yolo loss: image " + b + " has a box of class " + box.cls()
                                + ", expected 0.." + (numClasses - 1));
                    }
                    tcls[at * numClasses + box.cls()] = 1f;
                }
            }
        }
        return t;
    }

    /**
     * The "+1" IoU of two boxes anchored at the origin, [0, 0, w1, h1] and [0, 0, w2, h2], as {@code bbox_iou}
     * computes it in float32: inter = (min(w1, w2) + 1)(min(h1, h2) + 1), union = (w1 + 1)(h1 + 1) + (w2 + 1)(h2 + 1)
     * − inter.
     */
    static float anchorIou(float w1, float h1, float w2, float h2) {
        float inter = Math.max(Math.min(w1, w2) + 1f, 0f) * Math.max(Math.min(h1, h2) + 1f, 0f);
        float area1 = (w1 + 1f) * (h1 + 1f);
        float area2 = (w2 + 1f) * (h2 + 1f);
        return inter / (area1 + area2 - inter + 1e-16f);
    }

    private static int pythonIndex(int i, int size, int b, BoxTarget box) {
        int wrapped = i < 0 ? i + size : i;
        if (wrapped < 0) {
            throw new LovtException("yolo loss: image " + b + " has a box whose centre lies more than one frame "
                    + "left of or above the image: " + box);
        }
        return wrapped;
    }

    private static void checkBox(int b, BoxTarget box) {
        if (box == null || !Double.isFinite(box.x()) || !Double.isFinite(box.y()) || !Double.isFinite(box.w())
                || !Double.isFinite(box.h())) {
            throw new LovtException("yolo loss: image " + b + " has a box with a non-finite coordinate: " + box);
        }
    }
}
