package org.lovt.data.datasets.downstream;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.lovt.LovtException;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.datasets.prepare.MaskGif;
import org.lovt.data.image.GrayImage;

/**
 * Prepared masks read as the original's training code reads them ({@code np.array(PIL.Image.open(file))}, spec §2.0):
 * the stored samples, which are GIF palette indices or a PNG's grey values, binarised with {@code != 0}.
 */
final class MaskFiles {
    private MaskFiles() {}

    /** A 0/1 mask. @throws LovtException naming the file when it is missing or unreadable */
    static GrayImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LovtException(file + ": mask file missing");
        }
        if (file.getFileName().toString().endsWith(".gif")) {
            Gray8 m = MaskGif.read(file);
            return new GrayImage(m.width(), m.height(), m.pixels());
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new LovtException(file + ": cannot read the mask: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new LovtException(file + ": not a readable PNG mask");
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1) {
            throw new LovtException(file + ": mask has " + r.getNumBands() + " channels; one is expected");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) (row[x] != 0 ? 1 : 0);
            }
        }
        return new GrayImage(w, h, out);
    }
}
