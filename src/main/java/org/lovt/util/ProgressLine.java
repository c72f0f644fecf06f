package org.lovt.util;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one progress line for long work (data set preparation, and meant for training too): count, percentage, rate
 * and time left, then optional details, e.g.
 * {@code rsna: 1,234/26,684 images (4.6%), 85.3 images/s, ETA 0:04:58} or
 * {@code train: 120/400 studies (30.0%), 8.0 studies/s, ETA 0:00:35, 97 kept}.
 *
 * <p>On a terminal the line is redrawn in place (a carriage return, blanks over the rest of a longer previous line);
 * otherwise (a log file, CI) each update is a line of its own. Either way a line is printed at most once per
 * {@code interval}, and {@link #finish()} always prints the last one, ending it with a line break. {@link #step()}
 * is thread-safe, so workers may count directly; the rate and ETA are measured from the construction.
 */
public final class ProgressLine {
    /** Default least time between two redraws on a terminal. */
    public static final Duration TERMINAL_INTERVAL = Duration.ofMillis(500);
    /** Default least time between two printed lines in a log. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final String label;
    private final long total;
    private final String unit;
    private final PrintWriter out;
    private final boolean inPlace;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrint = new AtomicLong(start);
    private volatile String details = "";
    private int shownLength;
    private boolean finished;

    /**
     * @param label    what is counted, starts the line (a data set or split name)
     * @param total    the count expected; negative when unknown (no percentage and no ETA then)
     * @param unit     plural noun of what is counted ({@code images}, {@code studies}, {@code steps})
     * @param out      where to print (standard error); null prints nothing
     * @param inPlace  redraw one line in place (a terminal) instead of printing new lines
     * @param interval the least time between two printed updates
     */
    public ProgressLine(String label, long total, String unit, PrintWriter out, boolean inPlace, Duration interval) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.inPlace = inPlace;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * A line on {@code out} that is redrawn in place when the process has a terminal ({@link #isTerminal()}), at
     * most every {@link #TERMINAL_INTERVAL}, and otherwise printed every {@link #LOG_INTERVAL}.
     */
    public static ProgressLine on(PrintWriter out, String label, long total, String unit) {
        boolean terminal = isTerminal();
        return new ProgressLine(label, total, unit, out, terminal, terminal ? TERMINAL_INTERVAL : LOG_INTERVAL);
    }

    /** {@link #on(PrintWriter, String, long, String)} for a stream such as {@code System.err}. */
    public static ProgressLine on(PrintStream out, String label, long total, String unit) {
        return on(new PrintWriter(out, true), label, total, unit);
    }

    /** Whether the process runs on an interactive terminal, where a line can be redrawn in place. */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    /** One more done (thread-safe). */
    public void step() {
        step(1);
    }

    /** {@code n} more done (thread-safe). */
    public void step(long n) {
        maybePrint(done.addAndGet(n));
    }

    /** Sets the count done so far. */
    public void update(long doneSoFar) {
        done.set(doneSoFar);
        maybePrint(doneSoFar);
    }

    /** Sets the count done so far and the details shown after the ETA (e.g. {@code loss 0.412}). */
    public void update(long doneSoFar, String details) {
        this.details = details;
        update(doneSoFar);
    }

    /**
     * Sets the details and prints the line now, whatever the interval: for a change of phase the reader should see
     * at once (e.g. {@code validating}).
     */
    public void show(String details) {
        this.details = details;
        long now = System.nanoTime();
        lastPrint.set(now);
        print(done.get(), now, false);
    }

    /** Prints the last line (with a line break), whatever the interval. Later calls print nothing. */
    public void finish() {
        print(done.get(), System.nanoTime(), true);
    }

    /** Sets the details and prints the last line. */
    public void finish(String details) {
        this.details = details;
        finish();
    }

    /** Sets the count and the details, and prints the last line. */
    public void finish(long doneSoFar, String details) {
        done.set(doneSoFar);
        finish(details);
    }

    /** Count done so far. */
    public long done() {
        return done.get();
    }

    /** Count per second since the start. */
    public double rate() {
        double s = (System.nanoTime() - start) / 1e9;
        return s > 0 ? done.get() / s : 0;
    }

    private void maybePrint(long d) {
        long now = System.nanoTime();
        long last = lastPrint.get();
        if (out != null && now - last >= intervalNanos && lastPrint.compareAndSet(last, now)) {
            print(d, now, false);
        }
    }

    private synchronized void print(long d, long now, boolean last) {
        if (out == null || finished) {
            return;
        }
        finished = last;
        String line = text(label, d, total, unit, (now - start) / 1e9, details);
        if (inPlace) {
            // Blanks over what a longer previous line left, so no escape sequences are needed.
            String pad = " ".repeat(Math.max(0, shownLength - line.length()));
            out.print("\r" + line + pad + (last ? "\n" : ""));
            shownLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * The line's text.
     *
     * @param done    count done
     * @param total   count expected, negative when unknown
     * @param seconds time since the start
     * @param details appended after a comma when not empty
     */
    public static String text(String label, long done, long total, String unit, double seconds, String details) {
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder b = new StringBuilder();
        if (total >= 0) {
            String eta = rate > 0 ? duration((total - done) / rate) : "?";
            b.append(String.format(Locale.ROOT, "%s: %,d/%,d %s (%.1f%%), %.1f %s/s, ETA %s", label, done, total, unit,
                    total > 0 ? 100.0 * done / total : 100.0, rate, unit, eta));
        } else {
            b.append(String.format(Locale.ROOT, "%s: %,d %s, %.1f %s/s", label, done, unit, rate, unit));
        }
        if (details != null && !details.isEmpty()) {
            b.append(", ").append(details);
        }
        return b.toString();
    }

    /** {@code h:mm:ss}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
