package org.lovt.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long work: on a terminal it is redrawn in place; otherwise (logs, CI) a line is printed at
 * most every {@code intervalSeconds}.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final double intervalSeconds;
    private long lastPrint;

    public Progress(PrintStream out, double intervalSeconds) {
        this.out = out;
        this.terminal = System.console() != null;
        this.intervalSeconds = intervalSeconds;
    }

    /** Shows {@code done} of {@code total} with a rate and ETA measured from {@code startNanos}, plus details. */
    public void update(String label, long done, long total, long startNanos, String unit, String details,
                       boolean force) {
        long now = System.nanoTime();
        if (!force && !terminal && (now - lastPrint) / 1e9 < intervalSeconds) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - startNanos) / 1e9;
        double rate = done / Math.max(elapsed, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        String line = String.format(Locale.ROOT, "%s %d/%d  %.2f %s/s  eta %s  %s", label, done, total, rate, unit,
                Double.isFinite(eta) ? formatSeconds(eta) : "?", details);
        if (terminal) {
            out.print("\r\033[K" + line);
            if (force) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60)
                : String.format("%dm%02ds", t / 60, t % 60);
    }
}
