package org.lovt.data.datasets.objectcxr;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.lovt.data.datasets.prepare.Box;
import org.lovt.data.datasets.prepare.Gray8;

/**
 * Object-CXR's boxes and masks from its annotations (the original's {@code sample_to_bboxes} and
 * {@code create_mask}), with the two bugs of spec §8 item 5 reproduced unless {@code fix}:
 * <ul>
 *   <li>the stored box is {@code (x1, y1, y2 - y1, x2 - x1)}: width and height swapped;</li>
 *   <li>polygons are filled by {@code cv2.fillPoly} with their points given as (y, x): the mask holds the polygon
 *       mirrored about the diagonal (and clipped to the image).</li>
 * </ul>
 * Rectangles and ellipses fill their bounding rectangle {@code mask[y1:y2, x1:x2]}. Shapes reaching outside the image
 * are clipped to it (and reported); the original's numpy slice would instead wrap a negative start around and drop
 * the shape from the mask.
 */
public final class ObjectCxrTargets {
    private ObjectCxrTargets() {}

    /** The CSV boxes (class 1), fitted to the image. */
    public static List<Box> boxes(List<ObjectCxrAnnotation> shapes, int width, int height, boolean fix,
                           Consumer<String> onClip) {
        List<Box> out = new ArrayList<>();
        for (ObjectCxrAnnotation a : shapes) {
            int[] b = a.bounds();
            Box fitted = new Box(b[0], b[1], b[2] - b[0], b[3] - b[1], 1, true).fit(width, height, onClip);
            out.add(fix ? fitted : new Box(fitted.x(), fitted.y(), fitted.h(), fitted.w(), 1, true));
        }
        return out;
    }

    /** The foreground-object mask. */
    public static Gray8 mask(List<ObjectCxrAnnotation> shapes, int width, int height, boolean fix) {
        byte[] m = new byte[width * height];
        List<ObjectCxrAnnotation> polygons = new ArrayList<>();
        for (ObjectCxrAnnotation a : shapes) {
            if (a.type() == ObjectCxrAnnotation.POLYGON) {
                polygons.add(a);
            } else {
                int[] c = a.coords();
                Box.fillRect(m, width, height, c[0], c[1], c[2], c[3]);
            }
        }
        if (!polygons.isEmpty()) {
            fillPolygons(m, width, height, polygons, fix);
        }
        return new Gray8(width, height, m);
    }

    /** {@code cv2.fillPoly(mask, [points], 1)} per polygon (8-connected edges, no shift), points as (y, x) unless fixed. */
    private static void fillPolygons(byte[] m, int width, int height, List<ObjectCxrAnnotation> polygons,
                                     boolean fix) {
        try (Mat mat = new Mat(height, width, CV_8UC1); Scalar one = new Scalar(1.0)) {
            mat.data().put(m);
            for (ObjectCxrAnnotation p : polygons) {
                int[] c = p.coords();
                int n = c.length / 2;
                int[] xy = new int[c.length];
                for (int i = 0; i < n; i++) {
                    xy[2 * i] = fix ? c[2 * i] : c[2 * i + 1];
                    xy[2 * i + 1] = fix ? c[2 * i + 1] : c[2 * i];
                }
                try (Mat pts = new Mat(n, 1, CV_32SC2); MatVector v = new MatVector(pts)) {
                    new IntPointer(pts.data()).put(xy);
                    opencv_imgproc.fillPoly(mat, v, one);
                }
            }
            mat.data().get(m);
        }
    }
}
