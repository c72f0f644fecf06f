package org.lovt.data.datasets.synthetic;

import java.util.Locale;

/**
 * The patient's side. Radiological convention (PA and AP frontal films are viewed as if facing the patient): the
 * patient's <b>right</b> lies on the image's <b>left</b> (small x), the patient's <b>left</b> on the image's right.
 * Every mask, box, zone and report sentence of the synthetic data follows this convention.
 */
public enum Side {
    /** Patient's right: image columns left of the body midline. */
    RIGHT(-1),
    /** Patient's left: image columns right of the body midline (the heart's apex points this way). */
    LEFT(+1);

    private final int imageDirection;

    Side(int imageDirection) {
        this.imageDirection = imageDirection;
    }

    /** -1 or +1: multiplied with a distance from the midline it gives the image x offset of this side. */
    public int imageDirection() {
        return imageDirection;
    }

    /** The word used in reports and file keys ({@code right}, {@code left}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
