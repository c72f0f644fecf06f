package org.lovt.data.datasets.synthetic;

import java.util.Locale;

/**
 * Vertical lung zone: the lung field of one side split into thirds of its height, from the apex (its topmost
 * pixel) to the costophrenic angle (its lowest pixel). Radiologists draw the lines at the anterior ends of the 2nd
 * and 4th ribs, which is close to these thirds.
 */
public enum Level {
    UPPER, MIDDLE, LOWER;

    /** The word used in file keys ({@code upper}, {@code middle}, {@code lower}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
