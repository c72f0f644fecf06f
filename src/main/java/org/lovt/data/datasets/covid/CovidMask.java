package org.lovt.data.datasets.covid;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.lovt.LovtException;

/**
 * A COVID Rural mask PNG read as {@code np.array(PIL.Image.open(path))} reads it: the stored samples (palette
 * indices for a palette PNG, 0/1 for a 1-bit one), which the original asserts are 0 or 1 and the same size as the
 * image. javax.imageio's raster gives exactly these samples.
 */
final class CovidMask {
    private CovidMask() {}

    /** Row-major 0/1 values. @throws LovtException when unreadable, not one channel, or not 0/1 */
    static byte[] read(byte[] png, Path file, int width, int height) {
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new LovtException(file + ": not a readable PNG mask");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // The header's size is checked before the pixels are decoded: a few bytes can claim a huge image.
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w != width || h != height) {
                    throw new LovtException(file + ": mask is " + w + " x " + h + " but the image is " + width + " x "
                            + height);
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof LovtException le) {
                throw le;
            }
            throw new LovtException(file + ": cannot read the mask: " + e.getMessage(), e);
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1) {
            throw new LovtException(file + ": mask has " + r.getNumBands() + " channels; one is expected");
        }
        byte[] out = new byte[width * height];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            r.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                if (row[x] != 0 && row[x] != 1) {
                    throw new LovtException(file + ": mask value " + row[x] + " at (" + y + ", " + x
                            + "); only 0 and 1 are allowed");
                }
                out[y * width + x] = (byte) row[x];
            }
        }
        return out;
    }
}
