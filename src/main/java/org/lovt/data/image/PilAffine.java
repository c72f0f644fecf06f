package org.lovt.data.image;

/**
 * torchvision's {@code F.affine} on a PIL image with nearest-neighbour interpolation and fill 0, i.e. Pillow's
 * {@code Image.transform(size, AFFINE, matrix, NEAREST, fillcolor=0)} with torchvision's inverse matrix.
 *
 * <p>Semantics that differ from OpenCV's {@code warpAffine(..., INTER_NEAREST | WARP_INVERSE_MAP)} and are kept here:
 * <ul>
 *   <li>rotation centre ({@code W/2, H/2}) in a frame whose pixel centres are at {@code +0.5} (torchvision's
 *       PIL branch; OpenCV puts pixel centres at integers);</li>
 *   <li>the source pixel is {@code floor} of the mapped coordinate, computed in 16.16 fixed point starting from the
 *       pixel centre (Pillow's {@code affine_fixed}); OpenCV rounds with 10-bit fixed point instead, which selects
 *       a different neighbour for about half of the pixels;</li>
 *   <li>pure scaling/translation matrices ({@code a[1] == a[3] == 0}) take Pillow's floating-point
 *       {@code ImagingScaleAffine} path, as Pillow does.</li>
 * </ul>
 * Positive angles rotate counter-clockwise on screen (torchvision's convention).
 */
final class PilAffine {
    private PilAffine() {}

    /**
     * torchvision 0.11 {@code _get_inverse_affine_matrix(center, angle, translate, scale, shear=(0, 0))}: the
     * 6 coefficients mapping an output position to an input position. {@link StrictMath} keeps it bit-reproducible.
     */
    public static double[] inverseMatrix(double cx, double cy, double angleDeg, double tx, double ty, double scale) {
        double rot = StrictMath.toRadians(angleDeg);
        double a = StrictMath.cos(rot);
        double b = -StrictMath.sin(rot);
        double c = StrictMath.sin(rot);
        double d = StrictMath.cos(rot);
        double[] m = {d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0};
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
        return m;
    }

    /** {@code F.affine(img, angle, [tx, ty], scale, shear=0, NEAREST, fill=0)} for a PIL image. */
    public static GrayImage affine(GrayImage img, double angleDeg, int tx, int ty, double scale) {
        double[] m = inverseMatrix(img.width() * 0.5, img.height() * 0.5, angleDeg, tx, ty, scale);
        return transform(img, m);
    }

    /** Pillow's nearest-neighbour affine transform with fill 0, output the size of the input. */
    public static GrayImage transform(GrayImage img, double[] a) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[w * h];
        if (a[1] == 0 && a[3] == 0) {
            scaleAffine(in, w, h, a, out);
        } else if (fitsFixed(a, 0, 0) && fitsFixed(a, w, h) && fitsFixed(a, 0, h) && fitsFixed(a, w, 0)) {
            fixedAffine(in, w, h, a, out);
        } else {
            floatAffine(in, w, h, a, out);
        }
        return new GrayImage(w, h, out);
    }

    private static boolean fitsFixed(double[] a, double x, double y) {
        return Math.abs(x * a[0] + y * a[1] + a[2]) < 32768.0 && Math.abs(x * a[3] + y * a[4] + a[5]) < 32768.0;
    }

    private static int fix(double v) {
        return (int) Math.floor(v * 65536.0 + 0.5);
    }

    /** Pillow's {@code affine_fixed}: 16.16 fixed point, floor by arithmetic shift. */
    private static void fixedAffine(byte[] in, int w, int h, double[] a, byte[] out) {
        int a0 = fix(a[0]);
        int a1 = fix(a[1]);
        int a3 = fix(a[3]);
        int a4 = fix(a[4]);
        int a2 = fix(a[2] + a[1] * 0.5 + a[0] * 0.5);
        int a5 = fix(a[5] + a[4] * 0.5 + a[3] * 0.5);
        for (int y = 0; y < h; y++) {
            int xx = a2;
            int yy = a5;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int xin = xx >> 16;
                if (xin >= 0 && xin < w) {
                    int yin = yy >> 16;
                    if (yin >= 0 && yin < h) {
                        out[o + x] = in[yin * w + xin];
                    }
                }
                xx += a0;
                yy += a3;
            }
            a2 += a1;
            a5 += a4;
        }
    }

    /** Pillow's floating-point fallback of {@code ImagingTransformAffine} (only for huge coordinates). */
    private static void floatAffine(byte[] in, int w, int h, double[] a, byte[] out) {
        double xo = a[2] + a[1] * 0.5 + a[0] * 0.5;
        double yo = a[5] + a[4] * 0.5 + a[3] * 0.5;
        for (int y = 0; y < h; y++) {
            double xx = xo;
            double yy = yo;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int xin = coord(xx);
                int yin = coord(yy);
                if (xin >= 0 && xin < w && yin >= 0 && yin < h) {
                    out[o + x] = in[yin * w + xin];
                }
                xx += a[0];
                yy += a[3];
            }
            xo += a[1];
            yo += a[4];
        }
    }

    /** Pillow's {@code ImagingScaleAffine}: a table of source columns, then row copies. */
    private static void scaleAffine(byte[] in, int w, int h, double[] a, byte[] out) {
        int[] xin = new int[w];
        int xmin = w;
        int xmax = 0;
        double xo = a[2] + a[0] * 0.5;
        for (int x = 0; x < w; x++) {
            int xi = coord(xo);
            if (xi >= 0 && xi < w) {
                xmax = x + 1;
                if (x < xmin) {
                    xmin = x;
                }
                xin[x] = xi;
            }
            xo += a[0];
        }
        double yo = a[5] + a[4] * 0.5;
        for (int y = 0; y < h; y++) {
            int yi = coord(yo);
            if (yi >= 0 && yi < h) {
                int o = y * w;
                int r = yi * w;
                for (int x = xmin; x < xmax; x++) {
                    out[o + x] = in[r + xin[x]];
                }
            }
            yo += a[4];
        }
    }

    /** Pillow's {@code COORD}: −1 for negatives, else truncation. */
    private static int coord(double v) {
        return v < 0.0 ? -1 : (int) v;
    }
}
