package org.lovt.api;

/**
 * A scan's representations.
 *
 * @param global           the scan encoder's global feature {@code y_g} (d_g), the attention pool's output for LoVT
 * @param regions          region features {@code y_l}, (H·W, d_l) in row-major grid order
 * @param gridHeight       rows of the region grid (7 for ResNet-50 at 224²)
 * @param gridWidth        columns of the region grid
 * @param projectedGlobal  {@code z_g}, the global embedding in the space shared with reports (null for a bare
 *                         backbone)
 * @param projectedRegions {@code z_l}, (H·W, d_z) region embeddings in the shared space (null for a bare backbone)
 */
public record ScanEmbedding(float[] global, float[][] regions, int gridHeight, int gridWidth,
                            float[] projectedGlobal, float[][] projectedRegions) {
    public ScanEmbedding {
        if (regions.length != gridHeight * gridWidth) {
            throw new IllegalArgumentException(regions.length + " regions for a " + gridHeight + "x" + gridWidth
                    + " grid");
        }
    }

    /** The region at grid cell ({@code row}, {@code col}). */
    public float[] region(int row, int col) {
        return regions[row * gridWidth + col];
    }
}
