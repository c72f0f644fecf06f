package org.lovt.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.lovt.LovtException;
import org.lovt.data.image.GrayImage;
import org.lovt.data.image.ImageDecoder;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanImage;
import org.lovt.data.image.ScanTransform;

/**
 * Turns a user's image into the model's input exactly as the validation pipeline of pre-training does (decode to
 * 8-bit grayscale, resize and crop to the input size, normalise with the training pixel statistics, repeat to three
 * channels), so that an embedding through the API equals the one pre-training's own scan encoder computes.
 */
final class ScanInput {
    /** A prepared scan: the normalised (3, S, S) floats and the 8-bit S×S image they came from. */
    record Prepared(float[] chw, byte[] image, int size) {}

    private final ScanTransform transform;
    private final double mean;
    private final double std;

    ScanInput(ScanAugmentationConfig augmentation, int size, double mean, double std) {
        this.transform = ScanTransform.validation(augmentation, size, mean, std);
        this.mean = mean;
        this.std = std;
    }

    double pixelMean() {
        return mean;
    }

    double pixelStd() {
        return std;
    }

    int size() {
        return transform.size();
    }

    Prepared prepare(GrayImage full) {
        ScanImage img = ScanImage.of(full);
        // Validation draws no random parameters; the generator is there for the transform's signature.
        GrayImage in = transform.augment(img, transform.sample(img.fullWidth(), img.fullHeight(),
                new SplittableRandom(0)));
        return new Prepared(transform.normalize(in), in.pixels(), transform.size());
    }

    static GrayImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LovtException(file + ": no such image file");
        }
        return ImageDecoder.decodeGray(file);
    }

    /** A {@link BufferedImage}, converted to grayscale by the same decoder as files (through a lossless PNG). */
    static GrayImage fromBufferedImage(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new LovtException("cannot encode a BufferedImage of type " + image.getType());
            }
        } catch (IOException e) {
            throw new LovtException("cannot encode a BufferedImage: " + e.getMessage(), e);
        }
        return ImageDecoder.decodeGray(png.toByteArray(), "BufferedImage " + image.getWidth() + "x"
                + image.getHeight());
    }

    /** Grayscale values in [0, 1], row-major, quantised to 8 bits as training images are. */
    static GrayImage fromFloats(float[] pixels, int width, int height) {
        if (width < 1 || height < 1 || (long) width * height != pixels.length) {
            throw new LovtException("image of " + width + "x" + height + " needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
        byte[] px = new byte[pixels.length];
        for (int i = 0; i < px.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new LovtException("pixel " + i + " (x " + i % width + ", y " + i / width + ") is " + v
                        + "; pixels must lie in [0, 1]");
            }
            px[i] = (byte) Math.round(v * 255f);
        }
        return new GrayImage(width, height, px);
    }
}
