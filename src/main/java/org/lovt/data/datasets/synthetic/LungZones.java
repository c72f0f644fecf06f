package org.lovt.data.datasets.synthetic;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The six lung zones of one image, derived from its lung-field label map.
 *
 * <p>Rule: a pixel's side is {@link Side#RIGHT} when its column is left of the body midline (radiological
 * convention), else {@link Side#LEFT}. Its level is the third of that side's lung-field height it falls in: with
 * {@code top} and {@code bottom} the first and last row holding a lung pixel of that side and
 * {@code h = bottom - top + 1}, row y is level {@code min(2, 3 (y - top) / h)} (integer division; 0 upper, 1 middle,
 * 2 lower). A zone's box is the tight box of that side's lung pixels in that level's rows.
 */
final class LungZones {
    private final double midlineX;
    private final int[] top = new int[2];
    private final int[] bottom = new int[2];
    private final Map<Zone, Box> boxes;

    private LungZones(double midlineX, Map<Zone, Box> boxes, int[] top, int[] bottom) {
        this.midlineX = midlineX;
        this.boxes = Collections.unmodifiableMap(boxes);
        System.arraycopy(top, 0, this.top, 0, 2);
        System.arraycopy(bottom, 0, this.bottom, 0, 2);
    }

    /**
     * Zones from a label map ({@link SyntheticSample#RIGHT_LUNG} / {@link SyntheticSample#LEFT_LUNG} pixels) and
     * the body midline (pixel units, centres at +0.5).
     */
    public static LungZones of(byte[] labels, int size, double midlineX) {
        // One pass: the extent of each side's lung pixels in every row.
        int[][] rowMin = new int[2][size];
        int[][] rowMax = new int[2][size];
        int[] top = {size, size};
        int[] bottom = {-1, -1};
        for (int y = 0; y < size; y++) {
            rowMin[0][y] = rowMin[1][y] = size;
            rowMax[0][y] = rowMax[1][y] = -1;
            int row = y * size;
            for (int x = 0; x < size; x++) {
                int s = sideIndex(labels[row + x]);
                if (s >= 0) {
                    if (rowMin[s][y] == size) {
                        rowMin[s][y] = x;
                    }
                    rowMax[s][y] = x;
                }
            }
            for (int s = 0; s < 2; s++) {
                if (rowMax[s][y] >= 0) {
                    top[s] = Math.min(top[s], y);
                    bottom[s] = y;
                }
            }
        }
        Map<Zone, Box> boxes = new EnumMap<>(Zone.class);
        for (Zone z : Zone.values()) {
            int s = z.side().ordinal();
            int x0 = size, y0 = size, x1 = -1, y1 = -1;
            for (int y = Math.max(0, top[s]); y <= bottom[s]; y++) {
                if (rowMax[s][y] >= 0 && level(y, top[s], bottom[s]) == z.level().ordinal()) {
                    x0 = Math.min(x0, rowMin[s][y]);
                    x1 = Math.max(x1, rowMax[s][y]);
                    y0 = Math.min(y0, y);
                    y1 = y;
                }
            }
            if (x1 >= 0) {
                boxes.put(z, new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
            }
        }
        return new LungZones(midlineX, boxes, top, bottom);
    }

    private static int sideIndex(byte label) {
        return label == SyntheticSample.RIGHT_LUNG ? 0 : label == SyntheticSample.LEFT_LUNG ? 1 : -1;
    }

    private static int level(int y, int top, int bottom) {
        int h = bottom - top + 1;
        return Math.max(0, Math.min(2, 3 * (y - top) / h));
    }

    /** The zone of pixel (x, y) by the rule in the class comment (also for pixels outside the lung fields). */
    public Zone zoneOf(int x, int y) {
        Side side = x + 0.5 < midlineX ? Side.RIGHT : Side.LEFT;
        int s = side.ordinal();
        return Zone.of(side, Level.values()[level(y, top[s], bottom[s])]);
    }

    /** The box of a zone (absent only for a degenerate lung field). */
    public Box box(Zone zone) {
        return boxes.get(zone);
    }

    /** All zone boxes. */
    public Map<Zone, Box> boxes() {
        return boxes;
    }

    /** The body midline column (pixel units; columns whose centre x + 0.5 is below it are the patient's right). */
    public double midlineX() {
        return midlineX;
    }
}
