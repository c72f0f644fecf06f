package org.lovt.data.datasets.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lesions of the synthetic downstream images that pre-training never draws: a pneumothorax, foreign objects and
 * the heart's outline (for a Cardiomegaly box). Each comes with the mask of the pixels it is, in the image's pixel
 * grid; the drawing happens in the same density units as the anatomy and the findings, before the exposure.
 */
final class DownstreamLesions {
    /** Annotation types of Object-CXR (its {@code type} field). */
    static final int RECTANGLE = 0, ELLIPSE = 1, POLYGON = 2;

    private DownstreamLesions() {}

    /**
     * A pneumothorax: pleural air between the chest wall and the collapsed lung, where the lung markings are absent,
     * bounded by the thin visceral pleural line.
     *
     * @param side the lung it is in
     * @param mask the pleural air (the target, as SIIM's masks mark it)
     * @param line the visceral pleural line: pixels of the collapsed lung bordering the air
     * @param air  how much darker (less dense) the air is than the smoothed lung it replaces
     * @param edge density of the pleural line
     */
    record Pneumothorax(Side side, byte[] mask, byte[] line, double air, double edge) {
        /** Removes the lung texture under the mask, darkens it and draws the pleural line. */
        void applyTo(Raster density) {
            int size = density.size;
            int[] ext = extent(mask, size);
            int reach = Math.max(1, (int) Math.round(0.02 * size));
            int pad = 3 * reach + 2;
            int x0 = Math.max(0, ext[0] - pad), y0 = Math.max(0, ext[1] - pad);
            int x1 = Math.min(size - 1, ext[2] + pad), y1 = Math.min(size - 1, ext[3] + pad);
            float[] smooth = density.a.clone();
            Blur.box(smooth, size, reach, 3, x0, y0, x1, y1);
            float[] delta = new float[size * size];
            for (int y = y0; y <= y1; y++) {
                for (int i = y * size + x0; i <= y * size + x1; i++) {
                    if (mask[i] != 0) {
                        delta[i] = (float) (smooth[i] - air - density.a[i]);
                    } else if (line[i] != 0) {
                        delta[i] = (float) edge;
                    }
                }
            }
            Blur.antialias(delta, size, x0, y0, x1, y1);
            for (int i = 0; i < delta.length; i++) {
                density.a[i] += delta[i];
            }
        }
    }

    /**
     * Places a pneumothorax in a random lung: the lung field shrunk by a factor towards a point of its medial lower
     * hilum leaves a rim of air at the apex and along the lateral chest wall, tapering off towards that point's
     * height, below which there is none (pneumothoraces collect at the top of an erect patient). Null when no try
     * gives a rim of at least 4 % of the lung field.
     */
    static Pneumothorax pneumothorax(SplittableRandom r, Anatomy an, byte[] labels, int size) {
        Side side = r.nextBoolean() ? Side.RIGHT : Side.LEFT;
        Anatomy.Lung l = an.lung(side);
        byte lung = side == Side.RIGHT ? SyntheticSample.RIGHT_LUNG : SyntheticSample.LEFT_LUNG;
        int lungIndex = side == Side.RIGHT ? 1 : 2;
        int lungArea = 0;
        for (byte b : labels) {
            if (b == lung) {
                lungArea++;
            }
        }
        for (int t = 0; t < 10; t++) {
            double s = Anatomy.uniform(r, 0.62, 0.85);
            double taper = Anatomy.uniform(r, 0.3, 0.5);
            double hu = an.cx + side.imageDirection() * (l.medial() + Anatomy.uniform(r, 0.05, 0.2)
                    * (l.lateral() - l.medial()));
            double hv = l.apexY() + Anatomy.uniform(r, 0.55, 0.75) * l.height();
            double air = Anatomy.uniform(r, 0.05, 0.09);
            double edge = Anatomy.uniform(r, 0.08, 0.14);
            byte[] mask = new byte[size * size];
            int area = 0;
            int lastRow = Math.min(size - 1, (int) Math.floor(hv * size));
            for (int y = 0; y <= lastRow; y++) {
                double v = (y + 0.5) / size;
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    if (labels[i] != lung) {
                        continue;
                    }
                    double u = (x + 0.5) / size;
                    // Full collapse s from the apex down, easing to none at the hilum's height: the rim tapers.
                    double k = s + (1 - s) * Math.min(1, Math.max(0, 1 - (hv - v) / (taper * (hv - l.apexY()))));
                    if (an.lungAt(hu + (u - hu) / k, hv + (v - hv) / k) != lungIndex) {
                        mask[i] = 1;
                        area++;
                    }
                }
            }
            if (area < 0.04 * lungArea) {
                continue;
            }
            byte[] line = new byte[size * size];
            for (int y = 0; y <= lastRow; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    if (labels[i] == lung && mask[i] == 0 && ((x > 0 && mask[i - 1] != 0)
                            || (x < size - 1 && mask[i + 1] != 0) || (y > 0 && mask[i - size] != 0)
                            || (y < size - 1 && mask[i + size] != 0))) {
                        line[i] = 1;
                    }
                }
            }
            return new Pneumothorax(side, mask, line, air, edge);
        }
        return null;
    }

    /**
     * A foreign object (button, clip, jewellery, coin): a dense, sharply bounded shape.
     *
     * @param shape   its Object-CXR annotation: type ({@link #RECTANGLE}, {@link #ELLIPSE}, {@link #POLYGON}),
     *                then {@code x1 y1 x2 y2} (corners, the right and bottom ones exclusive as the original's
     *                {@code mask[y1:y2, x1:x2]} reads them) or the polygon's {@code x y} points
     * @param mask    the pixels it covers (pixel centres inside the shape)
     * @param density what it adds to the image, antialiased
     */
    record ForeignObject(int[] shape, byte[] mask, float[] density) {}

    /**
     * Up to {@code count} non-overlapping foreign objects over the lungs (their centres in a lung field, where
     * Object-CXR annotates them), each a rectangle, an ellipse or a polygon of 3-6 points, 2.5-9 % of the image
     * across.
     */
    static List<ForeignObject> foreignObjects(SplittableRandom r, int count, byte[] labels, int size) {
        List<ForeignObject> out = new ArrayList<>();
        List<int[]> taken = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            for (int t = 0; t < 40; t++) {
                ForeignObject o = foreignObject(r, labels, size, taken);
                if (o != null) {
                    out.add(o);
                    break;
                }
            }
        }
        return out;
    }

    private static ForeignObject foreignObject(SplittableRandom r, byte[] labels, int size, List<int[]> taken) {
        int type = r.nextInt(3);
        double across = Anatomy.uniform(r, 0.025, 0.09) * size;
        double aspect = Math.sqrt(Anatomy.uniform(r, 0.5, 2.0));
        int w = Math.max(3, (int) Math.round(across * aspect));
        int h = Math.max(3, (int) Math.round(across / aspect));
        if (w >= size || h >= size) {
            return null;
        }
        int x1 = r.nextInt(size - w + 1);
        int y1 = r.nextInt(size - h + 1);
        int x2 = x1 + w;
        int y2 = y1 + h;
        double amp = Anatomy.uniform(r, 0.45, 0.9);
        int cx = (x1 + x2) / 2;
        int cy = (y1 + y2) / 2;
        byte at = labels[cy * size + cx];
        if (at != SyntheticSample.RIGHT_LUNG && at != SyntheticSample.LEFT_LUNG) {
            return null;
        }
        for (int[] b : taken) {
            if (x1 < b[2] + 2 && b[0] < x2 + 2 && y1 < b[3] + 2 && b[1] < y2 + 2) {
                return null;
            }
        }
        int[] shape;
        byte[] mask = new byte[size * size];
        if (type == RECTANGLE) {
            shape = new int[] {RECTANGLE, x1, y1, x2, y2};
            for (int y = y1; y < y2; y++) {
                java.util.Arrays.fill(mask, y * size + x1, y * size + x2, (byte) 1);
            }
        } else if (type == ELLIPSE) {
            shape = new int[] {ELLIPSE, x1, y1, x2, y2};
            double ecx = (x1 + x2) / 2.0;
            double ecy = (y1 + y2) / 2.0;
            double rx = w / 2.0;
            double ry = h / 2.0;
            for (int y = y1; y < y2; y++) {
                for (int x = x1; x < x2; x++) {
                    double nx = (x + 0.5 - ecx) / rx;
                    double ny = (y + 0.5 - ecy) / ry;
                    if (nx * nx + ny * ny < 1) {
                        mask[y * size + x] = 1;
                    }
                }
            }
        } else {
            int n = 3 + r.nextInt(4);
            double rot = Anatomy.uniform(r, 0, 2 * Math.PI);
            double ecx = (x1 + x2) / 2.0;
            double ecy = (y1 + y2) / 2.0;
            shape = new int[1 + 2 * n];
            shape[0] = POLYGON;
            double[] px = new double[n];
            double[] py = new double[n];
            for (int i = 0; i < n; i++) {
                double a = rot + 2 * Math.PI * (i + Anatomy.uniform(r, -0.3, 0.3)) / n;
                double f = Anatomy.uniform(r, 0.6, 1.0);
                int vx = (int) Math.round(ecx + f * w / 2.0 * StrictMath.cos(a));
                int vy = (int) Math.round(ecy + f * h / 2.0 * StrictMath.sin(a));
                vx = Math.max(x1, Math.min(x2, vx));
                vy = Math.max(y1, Math.min(y2, vy));
                shape[1 + 2 * i] = vx;
                shape[2 + 2 * i] = vy;
                px[i] = vx;
                py[i] = vy;
            }
            fillPolygon(mask, size, px, py, x1, y1, x2, y2);
        }
        int[] ext = extent(mask, size);
        if (ext == null) {
            return null;
        }
        Raster d = new Raster(size);
        float famp = (float) amp;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                d.a[i] = famp;
            }
        }
        Blur.antialias(d.a, size, ext[0], ext[1], ext[2], ext[3]);
        taken.add(new int[] {x1, y1, x2, y2});
        return new ForeignObject(shape, mask, d.a);
    }

    /** Even-odd fill of the pixels whose centres lie inside the polygon, within [x1, x2) x [y1, y2). */
    private static void fillPolygon(byte[] mask, int size, double[] px, double[] py, int x1, int y1, int x2, int y2) {
        int n = px.length;
        for (int y = y1; y < y2; y++) {
            double cy = y + 0.5;
            for (int x = x1; x < x2; x++) {
                double cx = x + 0.5;
                boolean inside = false;
                for (int i = 0, j = n - 1; i < n; j = i++) {
                    if ((py[i] > cy) != (py[j] > cy)
                            && cx < (px[j] - px[i]) * (cy - py[i]) / (py[j] - py[i]) + px[i]) {
                        inside = !inside;
                    }
                }
                if (inside) {
                    mask[y * size + x] = 1;
                }
            }
        }
    }

    /**
     * The heart's visible pixels: its ellipse above the diaphragm (below it, the heart merges with the equally dense
     * abdomen, as {@link AnatomyRenderer} draws it).
     */
    static byte[] heart(Anatomy an, int size) {
        byte[] mask = new byte[size * size];
        for (int y = 0; y < size; y++) {
            double v = (y + 0.5) / size;
            if (Math.abs(v - an.heartCy) >= an.heartHalfHeight) {
                continue;
            }
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size;
                Anatomy.Lung l = u < an.cx ? an.right : an.left;
                if (an.inHeart(u, v) && v <= Anatomy.domeAt(l, Math.max(Math.abs(u - an.cx), l.medial()))) {
                    mask[y * size + x] = 1;
                }
            }
        }
        return mask;
    }

    /** The tight rectangle {x0, y0, x1, y1} (inclusive) of the mask's pixels, or null if it is empty. */
    static int[] extent(byte[] mask, int size) {
        Box b = Box.ofMask(mask, size);
        return b == null ? null : new int[] {b.x(), b.y(), b.x() + b.w() - 1, b.y() + b.h() - 1};
    }
}
