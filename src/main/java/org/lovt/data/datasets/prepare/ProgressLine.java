package org.lovt.data.datasets.prepare;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line on standard error: count, images per second and time left, e.g.
 * {@code rsna: 1,234/26,684 images (4.6%), 85.3 images/s, ETA 0:04:58}. On a terminal the line is redrawn in place
 * (carriage return) at most every {@code interval}; otherwise a new line is printed at most that often. Thread-safe:
 * workers call {@link #step()}.
 */
public final class ProgressLine {
    private final String label;
    private final long total;
    private final PrintWriter out;
    private final boolean inPlace;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrint = new AtomicLong(System.nanoTime());

    /**
     * @param label         the data set name that starts the line
     * @param total         number of images expected
     * @param out           where to print (standard error); null prints nothing
     * @param inPlace       redraw one line with carriage returns (a terminal) instead of printing new lines
     * @param intervalNanos the least time between two lines
     */
    public ProgressLine(String label, long total, PrintWriter out, boolean inPlace, long intervalNanos) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.inPlace = inPlace;
        this.intervalNanos = intervalNanos;
    }

    /** One more image done. */
    public void step() {
        long d = done.incrementAndGet();
        long now = System.nanoTime();
        long last = lastPrint.get();
        if (out != null && now - last >= intervalNanos && lastPrint.compareAndSet(last, now)) {
            print(d, now, false);
        }
    }

    /** Prints the final line (with a line end). */
    public void finish() {
        if (out != null) {
            print(done.get(), System.nanoTime(), true);
        }
    }

    /** Images done so far. */
    public long done() {
        return done.get();
    }

    /** Images per second since the start. */
    public double rate() {
        double s = (System.nanoTime() - start) / 1e9;
        return s > 0 ? done.get() / s : 0;
    }

    /** The line's text for {@code d} images done after {@code seconds}. */
    static String text(String label, long d, long total, double seconds) {
        double rate = seconds > 0 ? d / seconds : 0;
        String eta = rate > 0 ? duration((total - d) / rate) : "?";
        return String.format(java.util.Locale.ROOT, "%s: %,d/%,d images (%.1f%%), %.1f images/s, ETA %s", label, d,
                total, total > 0 ? 100.0 * d / total : 100.0, rate, eta);
    }

    /** {@code h:mm:ss}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private synchronized void print(long d, long now, boolean last) {
        String line = text(label, d, total, (now - start) / 1e9);
        if (inPlace) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
