package org.lovt.data.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * The random body geometry of one synthetic radiograph, in normalised image coordinates (u to the right, v down,
 * both in [0, 1]). Lengths scale with {@code zoom} so that "patient size" and field of view vary together.
 *
 * <p>The lung fields are what a reader sees as lung: the thorax between the mediastinum and the lateral chest wall,
 * below a rounded apex and above a domed hemidiaphragm, minus the heart and the aortic knob. The patient's right
 * lung is on the image left (radiological convention, {@link Side}).
 */
final class Anatomy {
    /**
     * One lung field, as distances {@code d = |u - cx|} from the body midline: the apex (top) at {@code apexD},
     * the border widening along quarter ellipses to {@code medial} (reached at {@code medialQ} of the height) and
     * {@code lateral} (reached at {@code lateralQ}), down to the domed hemidiaphragm whose lowest, lateral point
     * (the costophrenic angle) is {@code baseY}.
     */
    record Lung(Side side, double apexY, double baseY, double medial, double lateral, double apexD,
                double medialQ, double lateralQ, double domeHeight) {
        double height() {
            return baseY - apexY;
        }
    }

    final double cx;
    final double zoom;
    final double bodyHalf;
    final double neckHalf;
    final double shoulderY;
    final Lung right;
    final Lung left;
    /** The heart: an ellipse tilted with its long axis running down towards the patient's left. */
    final double heartCx, heartCy, heartA, heartB, heartCos, heartSin;
    /** Vertical half-extent of the heart ellipse (rows outside heartCy ± it need no heart test). */
    final double heartHalfHeight;
    final double knobCx, knobCy, knobR;
    final double spineHalf;
    final double vertebraPitch;
    final double carinaY;
    final double tracheaHalf;
    final boolean cardiomegaly;
    final boolean edema;
    final double cardiothoracicRatio;

    private Anatomy(SplittableRandom r, boolean cardiomegaly, boolean edema) {
        zoom = uniform(r, 0.90, 1.08);
        double z = zoom;
        cx = 0.5 + uniform(r, -0.04, 0.04);
        double vShift = uniform(r, -0.04, 0.04);
        bodyHalf = z * uniform(r, 0.43, 0.47);
        neckHalf = z * uniform(r, 0.09, 0.12);
        double apexY = 0.5 - 0.35 * z + vShift;
        shoulderY = apexY - 0.03 * z;
        double height = z * uniform(r, 0.54, 0.61);
        double lateral = bodyHalf - z * uniform(r, 0.035, 0.05);
        double medial = z * uniform(r, 0.055, 0.075);
        // The right hemidiaphragm usually sits higher than the left (the liver is beneath it).
        double rightBase = apexY + height - z * uniform(r, 0.0, 0.03);
        double leftBase = apexY + height + z * uniform(r, -0.005, 0.01);
        right = lung(r, Side.RIGHT, apexY + z * uniform(r, -0.01, 0.01), rightBase, medial, lateral, z);
        left = lung(r, Side.LEFT, apexY + z * uniform(r, -0.01, 0.01), leftBase,
                medial + z * uniform(r, 0.0, 0.01), lateral + z * uniform(r, -0.01, 0.01), z);
        this.cardiomegaly = cardiomegaly;
        this.edema = edema;
        cardiothoracicRatio = cardiomegaly ? uniform(r, 0.56, 0.64) : uniform(r, 0.40, 0.48);
        double heartWidth = cardiothoracicRatio * 2 * lateral;
        double heartRight = cx - uniform(r, 0.28, 0.36) * heartWidth; // image-left border (right atrium)
        double tilt = uniform(r, 0.35, 0.6);
        double ratio = uniform(r, 0.62, 0.75);
        heartCos = StrictMath.cos(tilt);
        heartSin = StrictMath.sin(tilt);
        heartA = heartWidth / 2 / Math.sqrt(sq(heartCos) + sq(ratio * heartSin));
        heartB = ratio * heartA;
        heartHalfHeight = Math.sqrt(sq(heartA * heartSin) + sq(heartB * heartCos));
        heartCx = heartRight + heartWidth / 2;
        heartCy = leftBase - uniform(r, 0.45, 0.6) * heartHalfHeight;
        knobR = z * uniform(r, 0.025, 0.035);
        knobCx = cx + medial;
        knobCy = apexY + 0.26 * height;
        spineHalf = z * uniform(r, 0.032, 0.04);
        vertebraPitch = z * uniform(r, 0.045, 0.055);
        carinaY = apexY + uniform(r, 0.25, 0.32) * height;
        tracheaHalf = z * uniform(r, 0.014, 0.02);
    }

    private static Lung lung(SplittableRandom r, Side side, double apexY, double baseY, double medial, double lateral,
                             double z) {
        double apexD = medial + uniform(r, 0.30, 0.40) * (lateral - medial);
        return new Lung(side, apexY, baseY, medial, lateral, apexD, uniform(r, 0.12, 0.2), uniform(r, 0.62, 0.78),
                z * uniform(r, 0.05, 0.075));
    }

    /**
     * A random anatomy; {@code cardiomegaly} enlarges the heart to a cardiothoracic ratio above 0.55, {@code edema}
     * adds bilateral perihilar haze and prominent vessels (pulmonary edema, a diffuse finding without a zone).
     */
    static Anatomy sample(SplittableRandom r, boolean cardiomegaly, boolean edema) {
        return new Anatomy(r, cardiomegaly, edema);
    }

    Lung lung(Side side) {
        return side == Side.RIGHT ? right : left;
    }

    /** Half-width of the body at height v (neck, sloping shoulders, then the chest and abdomen). */
    double bodyHalfAt(double v) {
        if (v <= shoulderY - 0.06 * zoom) {
            return neckHalf;
        }
        if (v >= shoulderY + 0.05 * zoom) {
            return bodyHalf * (1 - 0.04 * Math.max(0, v - 0.75));
        }
        double t = (v - (shoulderY - 0.06 * zoom)) / (0.11 * zoom);
        double s = t * t * (3 - 2 * t);
        return neckHalf + s * (bodyHalf - neckHalf);
    }

    boolean inBody(double u, double v) {
        return Math.abs(u - cx) < bodyHalfAt(v);
    }

    boolean inHeart(double u, double v) {
        double du = u - heartCx;
        double dv = v - heartCy;
        double nx = (du * heartCos + dv * heartSin) / heartA;
        double ny = (dv * heartCos - du * heartSin) / heartB;
        return nx * nx + ny * ny < 1;
    }

    /** Height of the hemidiaphragm (its upper edge) under {@code lung} at distance d from the midline. */
    static double domeAt(Lung l, double d) {
        double w = (d - l.medial) / (l.lateral - l.medial);
        w = w < 0 ? 0 : w > 1 ? 1 : w;
        // Peak at 40 % of the width; lateral end lowest (the sharp costophrenic angle), medial end in between.
        double bump = w < 0.4 ? 1 - 0.55 * sq((0.4 - w) / 0.4) : 1 - sq((w - 0.4) / 0.6);
        return l.baseY - l.domeHeight * bump;
    }

    /**
     * Upper border (v) of the lung field in the column at distance d from the midline: the apex rounded off by
     * quarter ellipses towards the mediastinum and the lateral chest wall; +infinity outside [medial, lateral].
     */
    static double lungTop(Lung l, double d) {
        if (d < l.medial || d > l.lateral) {
            return Double.POSITIVE_INFINITY;
        }
        double q;
        if (d < l.apexD) {
            double k = (l.apexD - d) / (l.apexD - l.medial);
            q = l.medialQ * (1 - Math.sqrt(1 - k * k));
        } else {
            double k = (d - l.apexD) / (l.lateral - l.apexD);
            q = l.lateralQ * (1 - Math.sqrt(1 - k * k));
        }
        return l.apexY + q * l.height();
    }

    /** Whether (u, v) is in the aortic knob (which bulges into the upper left lung field). */
    boolean inKnob(double u, double v) {
        return sq(u - knobCx) + sq(v - knobCy) < knobR * knobR;
    }

    /** Which lung field contains (u, v): 0 none, 1 patient right, 2 patient left. */
    int lungAt(double u, double v) {
        Side side = u < cx ? Side.RIGHT : Side.LEFT;
        Lung l = lung(side);
        double d = Math.abs(u - cx);
        if (v < lungTop(l, d) || v > domeAt(l, d) || inHeart(u, v) || (side == Side.LEFT && inKnob(u, v))) {
            return 0;
        }
        return side == Side.RIGHT ? 1 : 2;
    }

    static double sq(double x) {
        return x * x;
    }

    static double uniform(SplittableRandom r, double a, double b) {
        return a + (b - a) * r.nextDouble();
    }
}
