package org.lovt.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.lovt.LovtException;
import org.lovt.data.image.OpenCvCodec;

/**
 * PNG pictures for reports: attention heat maps over images, with boxes and captions. Every native object (images,
 * points, sizes, colours) is released before a method returns, also when it fails, so that drawing many pictures
 * does not wait for the garbage collector to free native memory.
 */
public final class Overlays {
    private Overlays() {}

    /**
     * Writes {@code image} (grayscale, row-major bytes, h×w) with the attention grid (gridH×gridW weights, upsampled
     * smoothly and coloured with the JET map) blended on top, an optional box (x, y, w, h; null for none) and a
     * caption below.
     */
    public static void attention(Path out, byte[] image, int h, int w, float[] attention, int gridH, int gridW,
                                 double[] box, String caption) {
        float max = 1e-12f;
        for (float a : attention) {
            max = Math.max(max, a);
        }
        byte[] scaled = new byte[attention.length];
        for (int i = 0; i < attention.length; i++) {
            scaled[i] = (byte) Math.round(255 * attention[i] / max);
        }
        // Small inputs are enlarged so that the picture and a two-line caption are readable.
        int scale = Math.max(1, (int) Math.ceil(384.0 / w));
        int bw = w * scale;
        int bh = h * scale;
        byte[] png;
        try (BytePointer imageData = new BytePointer(image);
             Mat gray = new Mat(h, w, opencv_core.CV_8UC1, imageData);
             Mat colour = new Mat();
             BytePointer gridData = new BytePointer(scaled);
             Mat grid = new Mat(gridH, gridW, opencv_core.CV_8UC1, gridData);
             Mat up = new Mat();
             Size imageSize = new Size(w, h);
             Mat heat = new Mat();
             Mat blended = new Mat();
             Mat big = new Mat();
             Size bigSize = new Size(bw, bh);
             Scalar black = new Scalar(0, 0, 0, 0);
             Scalar white = new Scalar(255, 255, 255, 0);
             Mat canvas = new Mat(bh + 48, bw, opencv_core.CV_8UC3, black);
             Rect top = new Rect(0, 0, bw, bh);
             Mat canvasTop = canvas.apply(top)) {
            opencv_imgproc.cvtColor(gray, colour, opencv_imgproc.COLOR_GRAY2BGR);
            opencv_imgproc.resize(grid, up, imageSize, 0, 0, opencv_imgproc.INTER_CUBIC);
            opencv_imgproc.applyColorMap(up, heat, opencv_imgproc.COLORMAP_JET);
            opencv_core.addWeighted(colour, 0.55, heat, 0.45, 0, blended);
            opencv_imgproc.resize(blended, big, bigSize, 0, 0, opencv_imgproc.INTER_NEAREST);
            if (box != null) {
                // A thin outline just outside the box, drawn after enlarging, so that it does not hide the finding.
                int x0 = (int) Math.floor(box[0] * scale) - 2;
                int y0 = (int) Math.floor(box[1] * scale) - 2;
                int x1 = (int) Math.ceil((box[0] + box[2]) * scale) + 1;
                int y1 = (int) Math.ceil((box[1] + box[3]) * scale) + 1;
                try (Point a = new Point(x0, y0); Point b = new Point(x1, y1)) {
                    opencv_imgproc.rectangle(big, a, b, white, 2, opencv_imgproc.LINE_8, 0);
                }
            }
            big.copyTo(canvasTop);
            int perLine = Math.max(8, bw / 8);
            String first = shorten(caption, perLine);
            String second = caption.length() > perLine ? shorten(caption.substring(Math.min(caption.length(),
                    perLine)), perLine) : "";
            if (caption.length() > perLine) {
                first = caption.substring(0, perLine);
            }
            text(canvas, first, 6, bh + 19, 0.45, white);
            text(canvas, second, 6, bh + 40, 0.45, white);
            png = OpenCvCodec.encode(canvas, ".png");
        }
        write(out, png);
    }

    /** A line chart of one or more series (PNG): x = index, y auto-scaled, one colour per series, with a title. */
    public static void chart(Path out, String title, String[] names, double[][] series) {
        int w = 640;
        int h = 360;
        int pad = 40;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 1;
        for (double[] s : series) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            n = Math.max(n, s.length);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double[][] bgr = {{200, 80, 0}, {0, 120, 220}, {40, 160, 40}, {160, 0, 160}};
        byte[] png;
        try (Scalar white = new Scalar(255, 255, 255, 0);
             Scalar grey = new Scalar(180, 180, 180, 0);
             Scalar black = new Scalar(0, 0, 0, 0);
             Mat canvas = new Mat(h, w, opencv_core.CV_8UC3, white);
             Rect frame = new Rect(pad, pad, w - 2 * pad, h - 2 * pad)) {
            opencv_imgproc.rectangle(canvas, frame, grey);
            for (int k = 0; k < series.length; k++) {
                double[] s = series[k];
                double[] c = bgr[k % bgr.length];
                try (Scalar colour = new Scalar(c[0], c[1], c[2], 0)) {
                    for (int i = 1; i < s.length; i++) {
                        try (Point a = new Point(pad + (int) ((i - 1) * (w - 2.0 * pad) / Math.max(1, n - 1)),
                                h - pad - (int) ((s[i - 1] - lo) / (hi - lo) * (h - 2 * pad)));
                             Point b = new Point(pad + (int) (i * (w - 2.0 * pad) / Math.max(1, n - 1)),
                                h - pad - (int) ((s[i] - lo) / (hi - lo) * (h - 2 * pad)))) {
                            opencv_imgproc.line(canvas, a, b, colour, 2, opencv_imgproc.LINE_AA, 0);
                        }
                    }
                    text(canvas, names[k], pad + 10 + 150 * k, h - 12, 0.45, colour);
                }
            }
            text(canvas, title + String.format("  [%.3g .. %.3g]", lo, hi), pad, 25, 0.5, black);
            png = OpenCvCodec.encode(canvas, ".png");
        }
        write(out, png);
    }

    private static void text(Mat canvas, String text, int x, int y, double fontScale, Scalar colour) {
        try (Point at = new Point(x, y)) {
            opencv_imgproc.putText(canvas, text, at, opencv_imgproc.FONT_HERSHEY_SIMPLEX, fontScale, colour, 1,
                    opencv_imgproc.LINE_AA, false);
        }
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
    }

    private static void write(Path out, byte[] png) {
        Path abs = out.toAbsolutePath();
        // Written under a temporary name, then renamed (not AtomicFiles: its temporary files are owner-only, 0600).
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp.png");
        try {
            Files.createDirectories(abs.getParent());
            Files.write(tmp, png);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LovtException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
