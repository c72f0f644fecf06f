package org.lovt.data.datasets.prepare;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import org.lovt.LovtException;

/**
 * Binary masks as GIF, the format of the original's {@code create_segmentation_mask} (spec §2.0). Pillow stored
 * {@code mask * 255} with an optimised two-colour palette, so the file holds palette indices 0/1 (black/white); this
 * writes exactly that: a two-entry palette, index 1 = 255. Readers should binarise with {@code pixel != 0}, which
 * gives the same target whether they look at indices or colours. (Unlike Pillow's, a mask that is all foreground
 * still has index 1 here.)
 *
 * <p>Written with the JDK's own GIF encoder (javax.imageio), so no native code is involved.
 */
public final class MaskGif {
    private static final IndexColorModel BLACK_WHITE =
            new IndexColorModel(1, 2, new byte[] {0, (byte) 255}, new byte[] {0, (byte) 255},
                    new byte[] {0, (byte) 255});

    private MaskGif() {}

    /** GIF bytes of a mask; a pixel is foreground when its byte is not 0. */
    public static byte[] encode(Gray8 mask) {
        BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_BINARY,
                BLACK_WHITE);
        WritableRaster r = img.getRaster();
        int w = mask.width();
        int[] row = new int[w];
        byte[] px = mask.pixels();
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < w; x++) {
                row[x] = px[y * w + x] != 0 ? 1 : 0;
            }
            r.setPixels(0, y, w, 1, row);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            // ImageIO interlaces GIFs by default, and its own reader then returns the rows of small images in
            // interlace order; Pillow writes them non-interlaced.
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a mask as GIF: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Writes a mask as GIF. */
    public static void write(Path file, Gray8 mask) {
        ImageCodec.write(file, encode(mask));
    }

    /**
     * Reads a GIF mask as 0/1 bytes: palette index != 0 (index 0 is the background in Pillow's files and in these).
     *
     * @throws LovtException naming the file when it is not a readable GIF
     */
    public static Gray8 read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
                try {
                    reader.setInput(in);
                    BufferedImage img = reader.read(0);
                    Raster r = img.getRaster();
                    int w = img.getWidth();
                    int h = img.getHeight();
                    byte[] out = new byte[w * h];
                    int[] row = new int[w];
                    for (int y = 0; y < h; y++) {
                        r.getPixels(0, y, w, 1, row);
                        for (int x = 0; x < w; x++) {
                            out[y * w + x] = (byte) (row[x] != 0 ? 1 : 0);
                        }
                    }
                    return new Gray8(w, h, out);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new LovtException(file + ": not a readable GIF mask: " + e.getMessage(), e);
        }
    }
}
