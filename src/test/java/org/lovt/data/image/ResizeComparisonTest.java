package org.lovt.data.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lovt.TestData;

/**
 * Measures how far OpenCV's resizes are from Pillow's anti-aliased bilinear (our bit-exact {@link PilResize}) on a
 * real radiograph, the numbers quoted in {@link PilResize}'s javadoc. OpenCV {@code INTER_AREA} is the closest
 * OpenCV mode; plain bilinear aliases.
 *
 * <p>A measurement of OpenCV, not a check of this library (PilResize's own exactness is {@code PilGoldenTest}'s),
 * so it is tagged {@code measurement} and left out of the default run:
 * {@code mvn test -Dtest=ResizeComparisonTest -Dlovt.excludedTags=} prints the numbers.
 */
@Tag("measurement")
class ResizeComparisonTest {
    private static final String FILE =
            "data/mimic-cxr-sample/files/p10/p10115360/s54449757/7c0891ae-80e73f4f-797205dd-06cb2799-68caf51c.jpg";

    @Test
    void opencvAreaIsCloseButNotEqualToPillow() {
        Path p = TestData.require(FILE);
        GrayImage img = ImageDecoder.decodeGray(p);
        GrayImage pil = PilResize.resize(img, 224, 224);
        double[] area = diff(pil, opencv(img, 224, opencv_imgproc.INTER_AREA));
        double[] linear = diff(pil, opencv(img, 224, opencv_imgproc.INTER_LINEAR));
        System.out.printf("resize %dx%d -> 224: vs Pillow, INTER_AREA mean |d| %.3f max %d differing %.1f%%;"
                        + " INTER_LINEAR mean |d| %.3f max %d differing %.1f%%%n", img.width(), img.height(),
                area[0], (int) area[1], area[2] * 100, linear[0], (int) linear[1], linear[2] * 100);
        assertTrue(area[0] < linear[0], "INTER_AREA should be closer to Pillow than INTER_LINEAR");
        assertTrue(area[1] > 0, "INTER_AREA is a box filter, not Pillow's triangle filter");
    }

    private static GrayImage opencv(GrayImage img, int size, int interpolation) {
        try (BytePointer buf = new BytePointer(img.pixels());
             Mat src = new Mat(img.height(), img.width(), opencv_core.CV_8UC1, buf);
             Mat dst = new Mat()) {
            opencv_imgproc.resize(src, dst, new org.bytedeco.opencv.opencv_core.Size(size, size), 0, 0,
                    interpolation);
            byte[] out = new byte[size * size];
            dst.data().get(out);
            return new GrayImage(size, size, out);
        }
    }

    /** {mean |a − b|, max |a − b|, fraction of differing pixels}. */
    static double[] diff(GrayImage a, GrayImage b) {
        long sum = 0;
        int max = 0;
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            int d = Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
            n += d != 0 ? 1 : 0;
        }
        return new double[] {(double) sum / a.size(), max, (double) n / a.size()};
    }
}
