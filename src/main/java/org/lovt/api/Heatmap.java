package org.lovt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lovt.LovtException;
import org.lovt.analysis.Overlays;

/**
 * Where a sentence looks in a scan: the sentence→region cross-attention of LoVT (softmax over the regions, so the
 * weights sum to 1), on the region grid of the scan as the model saw it.
 *
 * @param sentence   the sentence
 * @param weights    (H·W) attention weights in row-major grid order
 * @param gridHeight grid rows
 * @param gridWidth  grid columns
 * @param image      the model's input image (after resizing and cropping), 8-bit grayscale, row-major
 * @param imageSize  its side in pixels
 */
public record Heatmap(String sentence, float[] weights, int gridHeight, int gridWidth, byte[] image, int imageSize) {
    public Heatmap {
        if (weights.length != gridHeight * gridWidth) {
            throw new IllegalArgumentException(weights.length + " weights for a " + gridHeight + "x" + gridWidth
                    + " grid");
        }
        if (image.length != imageSize * imageSize) {
            throw new IllegalArgumentException(image.length + " pixels for a " + imageSize + "² image");
        }
    }

    /** The weight of grid cell ({@code row}, {@code col}). */
    public float weight(int row, int col) {
        return weights[row * gridWidth + col];
    }

    /** The grid as rows of weights. */
    public float[][] grid() {
        float[][] g = new float[gridHeight][gridWidth];
        for (int r = 0; r < gridHeight; r++) {
            System.arraycopy(weights, r * gridWidth, g[r], 0, gridWidth);
        }
        return g;
    }

    /** The most attended cell, as {@code {row, col}}. */
    public int[] peak() {
        int best = 0;
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] > weights[best]) {
                best = i;
            }
        }
        return new int[] {best / gridWidth, best % gridWidth};
    }

    /**
     * Writes the input image with the heatmap (smoothly upsampled, JET colours) blended on top and the sentence as
     * caption, as a PNG. The file appears complete or not at all.
     */
    public Path writePng(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".heatmap-", ".png");
            Overlays.attention(tmp, image, imageSize, imageSize, weights, gridHeight, gridWidth, null, sentence);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new LovtException(out + ": cannot write the heatmap: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is hidden and named as such
                }
            }
        }
    }
}
