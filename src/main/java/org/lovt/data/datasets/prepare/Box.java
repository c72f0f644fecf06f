package org.lovt.data.datasets.prepare;

import java.util.List;
import java.util.stream.Collectors;

import org.lovt.LovtException;

/**
 * A target box in original image pixels, as the detection split CSVs store it (spec §2.0): top-left corner, width,
 * height and class.
 *
 * @param x        left edge
 * @param y        top edge
 * @param w        width
 * @param h        height
 * @param cls      class index
 * @param integral whether the coordinates are integers and are written without a fractional part (Object-CXR's
 *                 annotations are; RSNA's and NIH's are floats written as Python floats, {@code 162.0})
 */
public record Box(double x, double y, double w, double h, int cls, boolean integral) {

    /** {@code x;y;w;h} as the original's {@code write_detection_csv_file} wrote it. */
    public String csv() {
        return fmt(x) + ";" + fmt(y) + ";" + fmt(w) + ";" + fmt(h);
    }

    private String fmt(double v) {
        return integral ? Long.toString((long) v) : PyFloat.repr(v);
    }

    /**
     * The box as it lies inside a {@code width x height} image: itself when it lies inside, else clipped to the
     * image (and {@code onClip} is told why).
     *
     * @throws LovtException when a coordinate is not finite, the box has no positive size, or no part of it lies
     *                       in the image
     */
    public Box fit(int width, int height, java.util.function.Consumer<String> onClip) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(w) || !Double.isFinite(h)) {
            throw new LovtException("box " + csv() + " has a coordinate that is not a number");
        }
        if (w <= 0 || h <= 0) {
            throw new LovtException("box " + csv() + " (x;y;w;h) has no positive width and height");
        }
        double x1 = x + w;
        double y1 = y + h;
        if (x >= 0 && y >= 0 && x1 <= width && y1 <= height) {
            return this;
        }
        double cx0 = Math.max(x, 0);
        double cy0 = Math.max(y, 0);
        double cx1 = Math.min(x1, width);
        double cy1 = Math.min(y1, height);
        if (cx1 <= cx0 || cy1 <= cy0) {
            throw new LovtException("box " + csv() + " (x;y;w;h) lies outside the " + width + " x " + height
                    + " image");
        }
        Box clipped = new Box(cx0, cy0, cx1 - cx0, cy1 - cy0, cls, integral);
        onClip.accept("box " + csv() + " reaches outside the " + width + " x " + height + " image; clipped to "
                + clipped.csv());
        return clipped;
    }

    /** The CSV {@code boxes} field: boxes joined by {@code |}, empty for none. */
    public static String boxesField(List<Box> boxes) {
        return boxes.stream().map(Box::csv).collect(Collectors.joining("|"));
    }

    /** The CSV {@code classes} field: classes joined by {@code |}, empty for none. */
    public static String classesField(List<Box> boxes) {
        return boxes.stream().map(b -> Integer.toString(b.cls())).collect(Collectors.joining("|"));
    }

    /**
     * Rasterises boxes into a mask as {@code create_segmentation_mask} does:
     * {@code mask[round(y):round(y+h), round(x):round(x+w)] = 1}, end exclusive, Python's half-even rounding.
     */
    public static Gray8 mask(List<Box> boxes, int width, int height) {
        byte[] m = new byte[width * height];
        for (Box b : boxes) {
            fillRect(m, width, height, Math.rint(b.x()), Math.rint(b.y()), Math.rint(b.x() + b.w()),
                    Math.rint(b.y() + b.h()));
        }
        return new Gray8(width, height, m);
    }

    /** Sets {@code mask[r0:r1, c0:c1] = 1}, clipped to the image (boxes are fitted before, so this is a guard). */
    public static void fillRect(byte[] mask, int width, int height, double c0, double r0, double c1, double r1) {
        int x0 = (int) Math.max(0, c0);
        int y0 = (int) Math.max(0, r0);
        int x1 = (int) Math.min(width, c1);
        int y1 = (int) Math.min(height, r1);
        for (int r = y0; r < y1; r++) {
            java.util.Arrays.fill(mask, r * width + x0, Math.max(r * width + x0, r * width + x1), (byte) 1);
        }
    }
}
