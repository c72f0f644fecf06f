package org.lovt.data.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * Renders an {@link Anatomy} into an attenuation map (bright = dense, as on a radiograph: air black, soft tissue
 * grey, bone and metal white) and a label map of the body and the two lung fields.
 *
 * <p>The map is linear "density"; {@link Exposure} turns it into 8-bit pixels later, so that findings can be added
 * in the same units first.
 */
final class AnatomyRenderer {
    /** Label map values. */
    static final byte OUTSIDE = SyntheticSample.OUTSIDE, BODY = SyntheticSample.BODY,
            RIGHT_LUNG = SyntheticSample.RIGHT_LUNG, LEFT_LUNG = SyntheticSample.LEFT_LUNG;

    /** The rendered anatomy: density map and label map (row-major, {@code size x size}). */
    record Result(Raster density, byte[] labels) {}

    private AnatomyRenderer() {}

    static Result render(Anatomy an, SplittableRandom r, int size) {
        Raster density = new Raster(size);
        byte[] labels = new byte[size * size];
        float[] lungWeight = new float[size * size];
        softTissueAndLungs(an, r, size, density, labels, lungWeight);
        lungTexture(an, r, size, density, lungWeight);
        Raster bones = bones(an, r, size);
        // Bone contrast is lower where it overlies dense soft tissue (scatter, and the display compresses it).
        for (int i = 0; i < lungWeight.length; i++) {
            density.a[i] += bones.a[i] * (lungWeight[i] != 0 ? 1f : 0.45f);
        }
        Raster vessels = vessels(an, r, size);
        // Pulmonary edema: congested vessels and a haze fanning out from both hila.
        float vesselGain = an.edema ? 1.4f : 1f;
        for (int i = 0; i < lungWeight.length; i++) {
            density.a[i] += vesselGain * vessels.a[i] * lungWeight[i];
        }
        if (an.edema) {
            perihilarHaze(an, r, size, density, lungWeight);
        }
        if (r.nextDouble() < 0.35) {
            breastShadows(an, r, size, density);
        }
        return new Result(density, labels);
    }

    private static void softTissueAndLungs(Anatomy an, SplittableRandom r, int size, Raster out, byte[] labels,
                                           float[] lungWeight) {
        double z = an.zoom;
        double lungDepth = Anatomy.uniform(r, 0.30, 0.36);
        double tissue = Anatomy.uniform(r, 0.46, 0.52);
        boolean bubble = r.nextDouble() < 0.6;
        double bubbleCx = an.cx + an.left.apexD() + z * Anatomy.uniform(r, -0.04, 0.02);
        double bubbleCy = Anatomy.domeAt(an.left, an.left.apexD()) + z * Anatomy.uniform(r, 0.035, 0.055);
        double bubbleRx = z * Anatomy.uniform(r, 0.035, 0.06);
        double bubbleRy = z * Anatomy.uniform(r, 0.02, 0.03);
        boolean arms = r.nextDouble() < 0.5;
        double armGap = z * Anatomy.uniform(r, 0.0, 0.04);
        double armWidth = z * Anatomy.uniform(r, 0.07, 0.10);
        // Per column: the lung field's vertical extent, the diaphragm under it and the lateral position in the lung.
        double[] lungTop = new double[size];
        double[] dome = new double[size];
        double[] belowDiaphragm = new double[size];
        double[] lateralShade = new double[size];
        for (int x = 0; x < size; x++) {
            double u = (x + 0.5) / size;
            Anatomy.Lung l = u < an.cx ? an.right : an.left;
            double ad = Math.abs(u - an.cx);
            lungTop[x] = Anatomy.lungTop(l, ad);
            dome[x] = Anatomy.domeAt(l, ad);
            belowDiaphragm[x] = Anatomy.domeAt(l, Math.max(ad, l.medial()));
            lateralShade[x] = 0.85 + 0.15 * (ad - l.medial()) / (l.lateral() - l.medial());
        }
        double invBubbleRx = 1 / bubbleRx;
        double invBubbleRy = 1 / bubbleRy;
        float[] a = out.a;
        for (int y = 0; y < size; y++) {
            double v = (y + 0.5) / size;
            double half = an.bodyHalfAt(v);
            double invHalf = 1 / half;
            // Most air (darkest) in the middle of the lung, less at apex and base where tissue overlaps.
            double shadeRight = lungDepth * (0.70 + 0.30 * (1 - Anatomy.sq(((v - an.right.apexY())
                    / an.right.height() - 0.45) / 0.55)));
            double shadeLeft = lungDepth * (0.70 + 0.30 * (1 - Anatomy.sq(((v - an.left.apexY())
                    / an.left.height() - 0.45) / 0.55)));
            boolean trachea = v < an.carinaY;
            boolean heartRow = Math.abs(v - an.heartCy) < an.heartHalfHeight;
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size;
                int i = y * size + x;
                double dx = u - an.cx;
                double ad = Math.abs(dx);
                if (ad >= half) {
                    double arm = ad - half - armGap;
                    a[i] = arms && v > an.shoulderY && arm > 0 && arm < armWidth
                            ? (float) (0.02 + 0.8 * tissue * Math.sqrt(1 - Anatomy.sq(2 * arm / armWidth - 1)))
                            : 0.02f;
                    continue;
                }
                labels[i] = BODY;
                // X-ray path length through an elliptical trunk: thick in the middle, thin at the flanks.
                double t = dx * invHalf;
                double d = 0.02 + tissue * (0.45 + 0.55 * Math.sqrt(1 - t * t));
                boolean inColumn = v >= lungTop[x] && v <= dome[x];
                boolean heart = heartRow && an.inHeart(u, v);
                if (inColumn && !heart && !(dx > 0 && an.inKnob(u, v))) {
                    labels[i] = dx < 0 ? RIGHT_LUNG : LEFT_LUNG;
                    lungWeight[i] = 1;
                    d -= (dx < 0 ? shadeRight : shadeLeft) * lateralShade[x];
                } else {
                    // Heart and the organs below the diaphragm are the same water density: they merge.
                    if (heart || v > belowDiaphragm[x]) {
                        d += 0.05;
                    }
                    if (trachea && ad < an.tracheaHalf) {
                        d -= 0.05; // tracheal air column
                    }
                    if (bubble) {
                        double bx = (u - bubbleCx) * invBubbleRx;
                        double by = (v - bubbleCy) * invBubbleRy;
                        if (bx * bx + by * by < 1) {
                            d -= 0.12; // gastric bubble under the left hemidiaphragm
                        }
                    }
                }
                a[i] = (float) d;
            }
        }
    }

    private static void lungTexture(Anatomy an, SplittableRandom r, int size, Raster out, float[] lungWeight) {
        // Uneven soft tissue everywhere (so that the body is not a flat plastic grey), stronger in the lungs, plus a
        // finer parenchymal texture in the lungs only.
        float[] coarse = ValueNoise.fill(r, size, 8);
        int x0 = (int) ((an.cx - an.right.lateral()) * size) - 1;
        int x1 = (int) ((an.cx + an.left.lateral()) * size) + 1;
        int y0 = (int) (Math.min(an.right.apexY(), an.left.apexY()) * size) - 1;
        int y1 = (int) (Math.max(an.right.baseY(), an.left.baseY()) * size) + 1;
        float[] fine = ValueNoise.fill(r, size, 36, x0, y0, x1, y1); // only the lungs need it
        float kb = (float) Anatomy.uniform(r, 0.01, 0.025);
        float kc = (float) Anatomy.uniform(r, 0.015, 0.03);
        float kf = (float) Anatomy.uniform(r, 0.008, 0.016);
        for (int i = 0; i < out.a.length; i++) {
            float lung = lungWeight[i];
            out.a[i] += (kb + lung * kc) * coarse[i] + lung * kf * fine[i];
        }
    }

    private static Raster bones(Anatomy an, SplittableRandom r, int size) {
        double z = an.zoom;
        double s = size;
        // Spine, posterior ribs and clavicles share a layer (where they cross, the denser one shows); anterior ribs
        // overlie the posterior ones and add.
        Raster posterior = new Raster(size);
        Raster anterior = new Raster(size);
        // Vertebral bodies with darker disc spaces, faint through the mediastinum.
        double spineAmp = Anatomy.uniform(r, 0.03, 0.05);
        double phase0 = r.nextDouble();
        int xa = Math.max(0, (int) ((an.cx - an.spineHalf) * size) - 1);
        int xb = Math.min(size - 1, (int) ((an.cx + an.spineHalf) * size) + 1);
        for (int y = 0; y < size; y++) {
            double v = (y + 0.5) / size;
            double phase = ((v / an.vertebraPitch) + phase0) % 1.0;
            double level = phase > 0.8 ? 0.35 : 1.0;
            for (int x = xa; x <= xb; x++) {
                double u = (x + 0.5) / size;
                double t = Math.abs(u - an.cx) / an.spineHalf;
                if (t < 1) {
                    posterior.a[y * size + x] = (float) (spineAmp * level * Raster.CORTICAL.at(t));
                }
            }
        }
        double ribAmp = Anatomy.uniform(r, 0.06, 0.10);
        for (Side side : Side.values()) {
            Anatomy.Lung l = an.lung(side);
            int dir = side.imageDirection();
            double spacing = (l.height() + 0.02 * z) / 9.3;
            double dEnd = an.bodyHalf * 0.98;
            for (int k = 0; k < 10; k++) {
                double y0 = l.apexY() - 0.045 * z + k * spacing + z * Anatomy.uniform(r, -0.004, 0.004);
                double curve = z * (0.13 + 0.04 * k / 9.0);
                double d0 = an.spineHalf * 0.8;
                double[] pts = new double[2 * 17];
                for (int j = 0; j <= 16; j++) {
                    double t = j / 16.0;
                    double d = d0 + t * (dEnd - d0);
                    // Up from the spine, then down along the lateral chest wall (the posterior rib's arc).
                    double v = y0 - 0.035 * z * 4 * t * (1 - t) + curve * t * t * t;
                    pts[2 * j] = (an.cx + dir * d) * s;
                    pts[2 * j + 1] = v * s;
                }
                posterior.graphMax(pts, (0.009 + 0.0008 * k) * z * s, ribAmp, Raster.CORTICAL);
            }
            for (int k = 0; k < 6; k++) {
                double yStart = l.apexY() + 0.01 * z + k * 0.095 * z;
                double[] pts = new double[2 * 13];
                for (int j = 0; j <= 12; j++) {
                    double t = j / 12.0;
                    double d = l.lateral() * 0.97 + t * (0.12 * z - l.lateral() * 0.97);
                    double v = yStart + 0.09 * z * (0.6 * t + 0.4 * t * t);
                    pts[2 * j] = (an.cx + dir * d) * s;
                    pts[2 * j + 1] = v * s;
                }
                anterior.graphMax(pts, 0.010 * z * s, ribAmp * 0.35, Raster.FLAT);
            }
            double ym = l.apexY() + 0.035 * z;
            double yl = l.apexY() - 0.035 * z + z * Anatomy.uniform(r, -0.01, 0.01);
            double[] pts = new double[2 * 13];
            for (int j = 0; j <= 12; j++) {
                double t = j / 12.0;
                double d = 0.045 * z + t * (an.bodyHalf * 0.85 - 0.045 * z);
                double v = ym + (yl - ym) * t + 0.09 * z * t * (1 - t) * (1 - 2 * t);
                pts[2 * j] = (an.cx + dir * d) * s;
                pts[2 * j + 1] = v * s;
            }
            posterior.graphMax(pts, 0.012 * z * s, ribAmp * 1.2, Raster.CORTICAL);
        }
        posterior.addScaled(anterior, 1);
        return posterior;
    }

    /** Pulmonary vessels: a few branching trees from each hilum, thinner and fainter towards the periphery. */
    private static Raster vessels(Anatomy an, SplittableRandom r, int size) {
        Raster out = new Raster(size);
        double z = an.zoom;
        for (Side side : Side.values()) {
            Anatomy.Lung l = an.lung(side);
            double hx = (an.cx + side.imageDirection() * (l.medial() + 0.03 * z)) * size;
            double hy = (l.apexY() + Anatomy.uniform(r, 0.42, 0.52) * l.height()) * size;
            int trunks = 6 + r.nextInt(4);
            for (int k = 0; k < trunks; k++) {
                double angle = -1.2 + 2.3 * (k + Anatomy.uniform(r, 0.2, 0.8)) / trunks;
                branch(out, r, side, hx, hy, angle, Anatomy.uniform(r, 0.07, 0.10) * z * size,
                        0.008 * z * size, Anatomy.uniform(r, 0.08, 0.12), 4);
            }
            out.ellipseAdd(hx, hy, 0.04 * z * size, 0.06 * z * size, 0.06, Raster.SMOOTH);
        }
        return out;
    }

    private static void branch(Raster out, SplittableRandom r, Side side, double x, double y, double angle,
                               double length, double radius, double amp, int depth) {
        double dir = side.imageDirection();
        double x1 = x + dir * StrictMath.cos(angle) * length;
        double y1 = y + StrictMath.sin(angle) * length;
        double rr = Math.max(0.6, radius);
        if (depth > 2) {
            // A kink half-way so that the larger vessels are not ruler-straight.
            double kink = Anatomy.uniform(r, -0.12, 0.12) * length;
            double xm = (x + x1) / 2 - StrictMath.sin(angle) * kink * dir;
            double ym = (y + y1) / 2 + StrictMath.cos(angle) * kink;
            out.capsuleMax(x, y, xm, ym, rr, amp, Raster.SMOOTH);
            out.capsuleMax(xm, ym, x1, y1, rr, amp, Raster.SMOOTH);
        } else {
            out.capsuleMax(x, y, x1, y1, rr, amp, Raster.SMOOTH);
        }
        if (depth > 1) {
            for (int c = -1; c <= 1; c += 2) {
                double a = angle + c * Anatomy.uniform(r, 0.25, 0.6);
                branch(out, r, side, x1, y1, a, length * Anatomy.uniform(r, 0.6, 0.8), radius * 0.7, amp * 0.75,
                        depth - 1);
            }
        }
    }

    private static void perihilarHaze(Anatomy an, SplittableRandom r, int size, Raster out, float[] lungWeight) {
        double amp = Anatomy.uniform(r, 0.09, 0.13);
        Raster haze = new Raster(size);
        for (Side side : Side.values()) {
            Anatomy.Lung l = an.lung(side);
            double hx = (an.cx + side.imageDirection() * (l.medial() + 0.04 * an.zoom)) * size;
            double hy = (l.apexY() + 0.5 * l.height()) * size;
            haze.ellipseAdd(hx, hy, 0.7 * (l.lateral() - l.medial()) * size, 0.42 * l.height() * size, amp,
                    Raster.SMOOTH);
        }
        for (int i = 0; i < lungWeight.length; i++) {
            out.a[i] += haze.a[i] * lungWeight[i];
        }
    }

    private static void breastShadows(Anatomy an, SplittableRandom r, int size, Raster out) {
        double z = an.zoom;
        double amp = Anatomy.uniform(r, 0.03, 0.06);
        double ry = z * Anatomy.uniform(r, 0.10, 0.14);
        for (Side side : Side.values()) {
            Anatomy.Lung l = an.lung(side);
            double cx = an.cx + side.imageDirection() * (l.lateral() * 0.72);
            double cy = l.baseY() - 0.02 * z;
            out.ellipseAdd(cx * size, cy * size, l.lateral() * 0.45 * size, ry * size, amp, Raster.FLAT);
        }
    }
}
