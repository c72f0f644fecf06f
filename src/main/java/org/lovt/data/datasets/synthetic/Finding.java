package org.lovt.data.datasets.synthetic;

import java.util.Objects;

/**
 * One finding drawn into a synthetic image.
 *
 * @param type      what it is
 * @param zone      where it is: the zone of its anchor point (see {@code anchorX})
 * @param box       tight pixel box around {@code mask}
 * @param mask      row-major {@code size x size} binary mask (0 or 1) of the pixels the finding changes visibly; a
 *                  lung finding's mask lies inside its lung field, a device's inside the body
 * @param anchorX   column of the point that defines {@link #zone}: the mask's centroid (rounded) for lung findings,
 *                  the tip for a {@link FindingType#DEVICE}, whose line crosses zones on its way from the neck
 * @param anchorY   row of that point
 * @param uncertain whether the report hedges it ("possible ..."), which gives CheXpert {@code -1.0}
 */
public record Finding(FindingType type, Zone zone, Box box, byte[] mask, int anchorX, int anchorY,
                      boolean uncertain) {
    public Finding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(mask, "mask");
    }

    /** Number of mask pixels. */
    public int area() {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }
}
