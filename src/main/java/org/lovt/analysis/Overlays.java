package org.lovt.analysis;

import java.nio.file.Path;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.lovt.LovtException;

/** PNG pictures for reports: attention heat maps over images, with boxes and captions. */
public final class Overlays {
    private Overlays() {}

    /**
     * Writes {@code image} (grayscale, row-major bytes, h×w) with the attention grid (gridH×gridW weights, upsampled
     * smoothly and coloured with the JET map) blended on top, an optional box (x, y, w, h; null for none) and a
     * caption below.
     */
    public static void attention(Path out, byte[] image, int h, int w, float[] attention, int gridH, int gridW,
                                 double[] box, String caption) {
        Mat gray = new Mat(h, w, opencv_core.CV_8UC1, new BytePointer(image));
        Mat colour = new Mat();
        opencv_imgproc.cvtColor(gray, colour, opencv_imgproc.COLOR_GRAY2BGR);
        float max = 1e-12f;
        for (float a : attention) {
            max = Math.max(max, a);
        }
        byte[] scaled = new byte[attention.length];
        for (int i = 0; i < attention.length; i++) {
            scaled[i] = (byte) Math.round(255 * attention[i] / max);
        }
        Mat grid = new Mat(gridH, gridW, opencv_core.CV_8UC1, new BytePointer(scaled));
        Mat up = new Mat();
        opencv_imgproc.resize(grid, up, new Size(w, h), 0, 0, opencv_imgproc.INTER_CUBIC);
        Mat heat = new Mat();
        opencv_imgproc.applyColorMap(up, heat, opencv_imgproc.COLORMAP_JET);
        Mat blended = new Mat();
        opencv_core.addWeighted(colour, 0.55, heat, 0.45, 0, blended);
        // Small inputs are enlarged so that the picture and a two-line caption are readable.
        int scale = Math.max(1, (int) Math.ceil(384.0 / w));
        Mat big = new Mat();
        opencv_imgproc.resize(blended, big, new Size(w * scale, h * scale), 0, 0, opencv_imgproc.INTER_NEAREST);
        if (box != null) {
            // A thin outline just outside the box, drawn after enlarging, so that it does not hide the finding.
            int x0 = (int) Math.floor(box[0] * scale) - 2;
            int y0 = (int) Math.floor(box[1] * scale) - 2;
            int x1 = (int) Math.ceil((box[0] + box[2]) * scale) + 1;
            int y1 = (int) Math.ceil((box[1] + box[3]) * scale) + 1;
            opencv_imgproc.rectangle(big, new Point(x0, y0), new Point(x1, y1), new Scalar(255, 255, 255, 0), 2,
                    opencv_imgproc.LINE_8, 0);
        }
        int bw = w * scale;
        int bh = h * scale;
        Mat canvas = new Mat(bh + 48, bw, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0));
        big.copyTo(canvas.apply(new Rect(0, 0, bw, bh)));
        int perLine = Math.max(8, bw / 8);
        String first = shorten(caption, perLine);
        String second = caption.length() > perLine ? shorten(caption.substring(Math.min(caption.length(), perLine)),
                perLine) : "";
        if (caption.length() > perLine) {
            first = caption.substring(0, perLine);
        }
        opencv_imgproc.putText(canvas, first, new Point(6, bh + 19), opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.45,
                new Scalar(255, 255, 255, 0), 1, opencv_imgproc.LINE_AA, false);
        opencv_imgproc.putText(canvas, second, new Point(6, bh + 40), opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.45,
                new Scalar(255, 255, 255, 0), 1, opencv_imgproc.LINE_AA, false);
        write(out, canvas);
    }

    /** A line chart of one or more series (PNG): x = index, y auto-scaled, one colour per series, with a title. */
    public static void chart(Path out, String title, String[] names, double[][] series) {
        int w = 640;
        int h = 360;
        int pad = 40;
        Mat canvas = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
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
        Scalar[] colours = {new Scalar(200, 80, 0, 0), new Scalar(0, 120, 220, 0), new Scalar(40, 160, 40, 0),
            new Scalar(160, 0, 160, 0)};
        opencv_imgproc.rectangle(canvas, new Rect(pad, pad, w - 2 * pad, h - 2 * pad), new Scalar(180, 180, 180, 0));
        for (int k = 0; k < series.length; k++) {
            double[] s = series[k];
            for (int i = 1; i < s.length; i++) {
                Point a = new Point(pad + (int) ((i - 1) * (w - 2.0 * pad) / Math.max(1, n - 1)),
                        h - pad - (int) ((s[i - 1] - lo) / (hi - lo) * (h - 2 * pad)));
                Point b = new Point(pad + (int) (i * (w - 2.0 * pad) / Math.max(1, n - 1)),
                        h - pad - (int) ((s[i] - lo) / (hi - lo) * (h - 2 * pad)));
                opencv_imgproc.line(canvas, a, b, colours[k % colours.length], 2, opencv_imgproc.LINE_AA, 0);
            }
            opencv_imgproc.putText(canvas, names[k], new Point(pad + 10 + 150 * k, h - 12),
                    opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.45, colours[k % colours.length], 1,
                    opencv_imgproc.LINE_AA, false);
        }
        opencv_imgproc.putText(canvas, title + String.format("  [%.3g .. %.3g]", lo, hi), new Point(pad, 25),
                opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.5, new Scalar(0, 0, 0, 0), 1, opencv_imgproc.LINE_AA, false);
        write(out, canvas);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
    }

    private static void write(Path out, Mat m) {
        try {
            java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new LovtException("cannot create " + out.getParent() + ": " + e.getMessage(), e);
        }
        // Written under a temporary name (keeping the extension OpenCV picks the format from), then renamed.
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp.png");
        if (!opencv_imgcodecs.imwrite(tmp.toString(), m)) {
            throw new LovtException("cannot write " + out);
        }
        try {
            java.nio.file.Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new LovtException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
