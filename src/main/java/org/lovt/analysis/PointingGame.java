package org.lovt.analysis;

/**
 * Grounding accuracy ("pointing game"): a sentence that describes a finding scores a hit when the image region it
 * attends to most lies on the finding — the region's cell of the feature grid overlaps the finding's bounding box.
 * Cells are the {@code gridH × gridW} tiles of the {@code imageH × imageW} input (region n = row n / gridW,
 * column n % gridW, row-major like LoVT's regions).
 */
public final class PointingGame {
    private PointingGame() {}

    /** Index of the largest attention weight. */
    public static int argmax(float[] attention) {
        int best = 0;
        for (int i = 1; i < attention.length; i++) {
            if (attention[i] > attention[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Whether region {@code region}'s cell overlaps the box (x, y, w, h in input pixels). */
    public static boolean hit(int region, int gridH, int gridW, int imageH, int imageW, double x, double y, double w,
                              double h) {
        double cellH = imageH / (double) gridH;
        double cellW = imageW / (double) gridW;
        double top = (region / gridW) * cellH;
        double left = (region % gridW) * cellW;
        return left < x + w && x < left + cellW && top < y + h && y < top + cellH;
    }

    /** The fraction of cells a box overlaps: the hit rate of a pointer that picks a region uniformly at random. */
    public static double chance(int gridH, int gridW, int imageH, int imageW, double x, double y, double w, double h) {
        int hits = 0;
        for (int r = 0; r < gridH * gridW; r++) {
            hits += hit(r, gridH, gridW, imageH, imageW, x, y, w, h) ? 1 : 0;
        }
        return hits / (double) (gridH * gridW);
    }
}
