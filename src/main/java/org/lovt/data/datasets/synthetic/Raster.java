package org.lovt.data.datasets.synthetic;

import java.util.function.DoubleUnaryOperator;

/**
 * A square float image (row-major) with the few drawing primitives the renderer needs. Coordinates are pixel
 * units with pixel centres at integer + 0.5, so shapes scale with the image size. Pure Java on purpose: Java
 * floating point is strict since Java 17, so the same inputs give the same bits on every machine (OpenCV's SIMD
 * paths need not).
 */
final class Raster {
    final int size;
    final float[] a;

    Raster(int size) {
        this.size = size;
        this.a = new float[size * size];
    }

    /**
     * Radial profile of a stroke or spot: its value at normalised distance t in [0, 1) from the centre line,
     * tabulated over t² so that drawing needs neither a square root nor a virtual call per pixel.
     */
    static final class Profile {
        private static final int N = 1024;
        private final float[] table = new float[N + 1];

        private Profile(DoubleUnaryOperator f) {
            for (int i = 0; i <= N; i++) {
                table[i] = (float) f.applyAsDouble(Math.sqrt(Math.min(1.0, i / (double) N)));
            }
        }

        /** The value at squared normalised distance {@code t2} in [0, 1). */
        float atSquared(double t2) {
            return table[(int) (t2 * N)];
        }

        float at(double t) {
            return atSquared(t * t);
        }
    }

    /** Smooth bump: 1 at the centre, 0 with zero slope at the edge. */
    static final Profile SMOOTH = new Profile(t -> {
        double s = 1 - t * t;
        return s * s;
    });

    /** Flat disc / band with a short soft edge (the last 30 % of the radius). */
    static final Profile FLAT = new Profile(t -> t < 0.7 ? 1 : 1 - (t - 0.7) / 0.3);

    /** Bone seen edge-on: a denser cortex at the rim around a lighter marrow. */
    static final Profile CORTICAL = new Profile(t -> {
        double rim = t * t * t * t;
        double edge = t < 0.8 ? 1 : 1 - (t - 0.8) / 0.2;
        return (0.55 + 0.45 * rim) * edge;
    });

    /**
     * Draws a capsule (the segment p0-p1 thickened by radius r) with value {@code amp * profile(dist / r)},
     * keeping the larger of old and new value per pixel, so that chained segments of one curve do not double up at
     * their joints.
     */
    void capsuleMax(double x0, double y0, double x1, double y1, double r, double amp, Profile profile) {
        int xa = Math.max(0, (int) Math.floor(Math.min(x0, x1) - r));
        int xb = Math.min(size - 1, (int) Math.ceil(Math.max(x0, x1) + r));
        int ya = Math.max(0, (int) Math.floor(Math.min(y0, y1) - r));
        int yb = Math.min(size - 1, (int) Math.ceil(Math.max(y0, y1) + r));
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        double invLen2 = len2 > 0 ? 1 / len2 : 0;
        double invR2 = 1 / (r * r);
        float famp = (float) amp;
        for (int y = ya; y <= yb; y++) {
            double py = y + 0.5 - y0;
            int row = y * size;
            for (int x = xa; x <= xb; x++) {
                double px = x + 0.5 - x0;
                double s = (px * dx + py * dy) * invLen2;
                s = s < 0 ? 0 : s > 1 ? 1 : s;
                double ex = px - s * dx;
                double ey = py - s * dy;
                double t2 = (ex * ex + ey * ey) * invR2;
                if (t2 < 1) {
                    float v = famp * profile.atSquared(t2);
                    if (v > a[row + x]) {
                        a[row + x] = v;
                    }
                }
            }
        }
    }

    /** Draws a polyline (points as x0, y0, x1, y1, ...) with {@link #capsuleMax}. */
    void polylineMax(double[] xy, double r, double amp, Profile profile) {
        for (int i = 0; i + 3 < xy.length; i += 2) {
            capsuleMax(xy[i], xy[i + 1], xy[i + 2], xy[i + 3], r, amp, profile);
        }
    }

    /**
     * Draws a band of half-thickness r along a curve that is a function of x (a rib, a clavicle), given as a
     * polyline with strictly monotonic x. Works column by column, the thickness measured across the curve (the
     * vertical half-extent is r·sqrt(1 + slope²)), which costs only the band's own pixels. Keeps the larger value.
     */
    void graphMax(double[] xy, double r, double amp, Profile profile) {
        int n = xy.length / 2;
        boolean increasing = xy[2 * (n - 1)] > xy[0];
        double xLo = increasing ? xy[0] : xy[2 * (n - 1)];
        double xHi = increasing ? xy[2 * (n - 1)] : xy[0];
        int xa = Math.max(0, (int) Math.ceil(xLo - 0.5));
        int xb = Math.min(size - 1, (int) Math.floor(xHi - 0.5));
        float famp = (float) amp;
        int seg = 0;
        for (int x = xa; x <= xb; x++) {
            double px = x + 0.5;
            // Segment k spans points k and k+1 in ascending x order.
            while (seg < n - 2 && px > xAt(xy, seg + 1, n, increasing)) {
                seg++;
            }
            double xs0 = xAt(xy, seg, n, increasing);
            double xs1 = xAt(xy, seg + 1, n, increasing);
            double ys0 = yAt(xy, seg, n, increasing);
            double ys1 = yAt(xy, seg + 1, n, increasing);
            double slope = (ys1 - ys0) / (xs1 - xs0);
            double yc = ys0 + (px - xs0) * slope;
            double half = r * Math.sqrt(1 + slope * slope);
            double invHalf2 = 1 / (half * half);
            int ya = Math.max(0, (int) Math.floor(yc - half));
            int yb = Math.min(size - 1, (int) Math.ceil(yc + half));
            for (int y = ya; y <= yb; y++) {
                double dy = y + 0.5 - yc;
                double t2 = dy * dy * invHalf2;
                if (t2 < 1) {
                    int i = y * size + x;
                    float v = famp * profile.atSquared(t2);
                    if (v > a[i]) {
                        a[i] = v;
                    }
                }
            }
        }
    }

    private static double xAt(double[] xy, int k, int n, boolean increasing) {
        return xy[2 * (increasing ? k : n - 1 - k)];
    }

    private static double yAt(double[] xy, int k, int n, boolean increasing) {
        return xy[2 * (increasing ? k : n - 1 - k) + 1];
    }

    /** Adds an axis-aligned elliptical spot {@code amp * profile(ellipse radius)}, centred at (cx, cy). */
    void ellipseAdd(double cx, double cy, double rx, double ry, double amp, Profile profile) {
        int xa = Math.max(0, (int) Math.floor(cx - rx));
        int xb = Math.min(size - 1, (int) Math.ceil(cx + rx));
        int ya = Math.max(0, (int) Math.floor(cy - ry));
        int yb = Math.min(size - 1, (int) Math.ceil(cy + ry));
        float famp = (float) amp;
        for (int y = ya; y <= yb; y++) {
            double ny = (y + 0.5 - cy) / ry;
            int row = y * size;
            for (int x = xa; x <= xb; x++) {
                double nx = (x + 0.5 - cx) / rx;
                double t2 = nx * nx + ny * ny;
                if (t2 < 1) {
                    a[row + x] += famp * profile.atSquared(t2);
                }
            }
        }
    }

    /** {@code this += k * other} over the whole image. */
    void addScaled(Raster other, double k) {
        float kf = (float) k;
        for (int i = 0; i < a.length; i++) {
            a[i] += kf * other.a[i];
        }
    }
}
