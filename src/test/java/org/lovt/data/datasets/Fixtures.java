package org.lovt.data.datasets;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lovt.data.datasets.prepare.Gray8;
import org.lovt.data.dicom.DicomWriter;
import org.lovt.data.dicom.PixelArray;
import org.lovt.data.dicom.PixelModule;

/** Writes small inputs in each data set's on-disk format and reads prepared outputs back. */
public final class Fixtures {
    private Fixtures() {}

    /** A deterministic 8-bit pattern, different per {@code seed}. */
    public static byte[] pattern(int width, int height, int seed) {
        byte[] b = new byte[width * height];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 13 + seed * 29 + (i / width) * (i / width)) % 256);
        }
        return b;
    }

    /** An 8-bit MONOCHROME2 DICOM (Explicit VR Little Endian). */
    public static void dicom8(Path file, int width, int height, byte[] pixels) {
        mkdirs(file.getParent());
        DicomWriter.create().write(file, new PixelArray(PixelModule.of(height, width, 1, 8, 0, "MONOCHROME2"),
                pixels));
    }

    /** Encodes interleaved 8-bit data (1, 3 = BGR or 4 = BGRA channels) with OpenCV ({@code .png} or {@code .jpg}). */
    public static void image(Path file, int width, int height, int channels, byte[] data) {
        mkdirs(file.getParent());
        String ext = file.toString().endsWith(".png") ? ".png" : ".jpg";
        try (Mat m = new Mat(height, width, CV_8UC(channels)); BytePointer out = new BytePointer();
             IntPointer params = ext.equals(".jpg") ? new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 95)
                     : new IntPointer(opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, 1)) {
            m.data().put(data);
            opencv_imgcodecs.imencode(ext, m, out, params);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A single-channel 8-bit PNG written by javax.imageio (as a mask tool would). */
    public static void grayPng(Path file, Gray8 img) {
        mkdirs(file.getParent());
        java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(img.width(), img.height(),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        int[] px = new int[img.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = img.pixels()[i] & 0xFF;
        }
        b.getRaster().setPixels(0, 0, img.width(), img.height(), px);
        try {
            javax.imageio.ImageIO.write(b, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes lines of text. */
    public static void text(Path file, String... lines) {
        mkdirs(file.getParent());
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a text file. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON file. */
    public static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean and population variance of {@code v / 255}, computed plainly (the reference for the statistics). */
    public static double[] meanVar(byte[] px) {
        double s = 0;
        for (byte b : px) {
            s += (b & 0xFF) / 255.0;
        }
        double m = s / px.length;
        double q = 0;
        for (byte b : px) {
            double d = (b & 0xFF) / 255.0 - m;
            q += d * d;
        }
        return new double[] {m, q / px.length};
    }

    /** The split mean and std of images given by their (mean, var) pairs, computed plainly. */
    public static double[] splitStats(List<double[]> images) {
        double m = images.stream().mapToDouble(a -> a[0]).average().orElse(0);
        double v = images.stream().mapToDouble(a -> a[1]).average().orElse(0);
        double vm = images.stream().mapToDouble(a -> (a[0] - m) * (a[0] - m)).average().orElse(0);
        return new double[] {m, Math.sqrt(v + vm)};
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
