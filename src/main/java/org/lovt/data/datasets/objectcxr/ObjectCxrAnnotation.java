package org.lovt.data.datasets.objectcxr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Sources;

/**
 * One shape of an Object-CXR annotation string (spec §2.4): entries separated by {@code ;}, each
 * {@code type c1 c2 ...} in integers. Type 0 is a rectangle and type 1 an ellipse, both {@code x1 y1 x2 y2}; type 2
 * a polygon {@code x1 y1 x2 y2 ... xn yn}.
 *
 * @param type   0, 1 or 2
 * @param coords the coordinates as given
 */
public record ObjectCxrAnnotation(int type, int[] coords) {
    /** Rectangle. */
    public static final int RECTANGLE = 0;
    /** Ellipse (filled as its bounding rectangle, as the original does). */
    public static final int ELLIPSE = 1;
    /** Polygon. */
    public static final int POLYGON = 2;

    /**
     * Parses an annotation field; an empty field means no foreign object.
     *
     * @throws LovtException naming the entry when its type is unknown, a value is not an integer, or the coordinate
     *                       count does not fit the type
     */
    public static List<ObjectCxrAnnotation> parse(String field) {
        List<ObjectCxrAnnotation> out = new ArrayList<>();
        if (field.isEmpty()) {
            return out;
        }
        for (String entry : field.split(";", -1)) {
            String[] tok = entry.strip().split("\\s+");
            if (entry.isBlank()) {
                throw new LovtException("empty entry in annotation '" + field + "'");
            }
            int[] v = new int[tok.length];
            for (int i = 0; i < tok.length; i++) {
                v[i] = Sources.parseInt(tok[i], "annotation entry '" + entry.strip() + "'");
            }
            int type = v[0];
            int[] coords = Arrays.copyOfRange(v, 1, v.length);
            switch (type) {
                case RECTANGLE, ELLIPSE -> {
                    if (coords.length != 4) {
                        throw new LovtException("annotation entry '" + entry.strip() + "': type " + type
                                + " needs 4 coordinates (x1 y1 x2 y2), found " + coords.length);
                    }
                }
                case POLYGON -> {
                    if (coords.length < 2 || coords.length % 2 != 0) {
                        throw new LovtException("annotation entry '" + entry.strip() + "': a polygon needs x y"
                                + " pairs, found " + coords.length + " coordinates");
                    }
                }
                default -> throw new LovtException("annotation entry '" + entry.strip() + "': unknown type " + type
                        + " (0 rectangle, 1 ellipse, 2 polygon)");
            }
            out.add(new ObjectCxrAnnotation(type, coords));
        }
        return out;
    }

    /** {x1, y1, x2, y2}: the corners for rectangles and ellipses, the min/max of the points for polygons. */
    public int[] bounds() {
        if (type != POLYGON) {
            return coords.clone();
        }
        int x1 = Integer.MAX_VALUE;
        int y1 = Integer.MAX_VALUE;
        int x2 = Integer.MIN_VALUE;
        int y2 = Integer.MIN_VALUE;
        for (int i = 0; i < coords.length; i += 2) {
            x1 = Math.min(x1, coords[i]);
            x2 = Math.max(x2, coords[i]);
            y1 = Math.min(y1, coords[i + 1]);
            y2 = Math.max(y2, coords[i + 1]);
        }
        return new int[] {x1, y1, x2, y2};
    }
}
