package org.lovt.eval.detection;

import java.util.Arrays;

import org.lovt.LovtException;

/**
 * The YOLOv3 anchor boxes (width, height) in pixels of the input frame, per output scale, scale 0 (stride 32) first.
 *
 * @param wh {@code wh[scale][anchor] = {width, height}}; three scales, each with at least one anchor
 */
public record YoloAnchors(double[][][] wh) {
    /**
     * LoVT's anchors for the 224-pixel frame ({@code configs/evaluation_model/*}, the default of
     * {@code YOLOv3WithResNetBackbone}): scale 0 (64.64, 48.6), (84.24, 106.92), (201.42, 176.04); scale 1 (16.2,
     * 32.94), (33.48, 24.3), (31.86, 64.26); scale 2 (5.4, 7.02), (8.64, 16.2), (17.82, 12.42).
     */
    public static final YoloAnchors LOVT_224 = new YoloAnchors(new double[][][] {
            {{64.64, 48.6}, {84.24, 106.92}, {201.42, 176.04}},
            {{16.2, 32.94}, {33.48, 24.3}, {31.86, 64.26}},
            {{5.4, 7.02}, {8.64, 16.2}, {17.82, 12.42}}});

    /** Number of output scales of the head. */
    public static final int SCALES = 3;

    public YoloAnchors {
        if (wh == null || wh.length != SCALES) {
            throw new LovtException("yolo anchors: expected " + SCALES + " scales, got "
                    + (wh == null ? "none" : wh.length));
        }
        double[][][] copy = new double[SCALES][][];
        for (int s = 0; s < SCALES; s++) {
            if (wh[s] == null || wh[s].length == 0) {
                throw new LovtException("yolo anchors: scale " + s + " has no anchor");
            }
            copy[s] = new double[wh[s].length][];
            for (int a = 0; a < wh[s].length; a++) {
                double[] p = wh[s][a];
                if (p == null || p.length != 2 || !(p[0] > 0) || !(p[1] > 0) || Double.isInfinite(p[0])
                        || Double.isInfinite(p[1])) {
                    throw new LovtException("yolo anchors: scale " + s + " anchor " + a
                            + " must be a positive finite (width, height), got " + Arrays.toString(p));
                }
                copy[s][a] = p.clone();
            }
        }
        wh = copy;
    }

    /** Number of anchors of a scale (3 in LoVT). */
    public int count(int scale) {
        return wh[scale].length;
    }

    /** Anchor width in input pixels. */
    public double width(int scale, int anchor) {
        return wh[scale][anchor][0];
    }

    /** Anchor height in input pixels. */
    public double height(int scale, int anchor) {
        return wh[scale][anchor][1];
    }

    /** The anchors scaled by {@code factor} (e.g. 64/224 for a 64-pixel input frame). */
    public YoloAnchors scaled(double factor) {
        double[][][] out = wh();
        for (double[][] scale : out) {
            for (double[] p : scale) {
                p[0] *= factor;
                p[1] *= factor;
            }
        }
        return new YoloAnchors(out);
    }

    @Override
    public double[][][] wh() {
        double[][][] out = new double[wh.length][][];
        for (int s = 0; s < wh.length; s++) {
            out[s] = new double[wh[s].length][];
            for (int a = 0; a < wh[s].length; a++) {
                out[s][a] = wh[s][a].clone();
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof YoloAnchors other && Arrays.deepEquals(wh, other.wh);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(wh);
    }

    @Override
    public String toString() {
        return "YoloAnchors" + Arrays.deepToString(wh);
    }
}
