package org.lovt.data.datasets.prepare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a preparation left out or changed, by sample: skipped samples (unreadable images, broken annotations, ids
 * without source) and warnings (boxes clipped to the image, samples outside every split file). Nothing bad in the
 * input goes unmentioned: every entry names the sample and the file. Thread-safe.
 */
public final class PrepareReport {
    /**
     * One finding.
     *
     * @param id      the sample id
     * @param file    the file at fault
     * @param message what was wrong and what was done
     */
    public record Entry(String id, String file, String message) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparing(Entry::id).thenComparing(Entry::file).thenComparing(Entry::message);

    private final List<Entry> skipped = new ArrayList<>();
    private final List<Entry> warnings = new ArrayList<>();

    /** Records a sample that is left out. */
    public synchronized void skip(String id, String file, String reason) {
        skipped.add(new Entry(id, file, reason));
    }

    /** Records a sample that is kept with a change or a doubt worth knowing. */
    public synchronized void warn(String id, String file, String message) {
        warnings.add(new Entry(id, file, message));
    }

    /** Skipped samples, sorted by id (so the report does not depend on thread timing). */
    public synchronized List<Entry> skipped() {
        return sorted(skipped);
    }

    /** Warnings, sorted by id. */
    public synchronized List<Entry> warnings() {
        return sorted(warnings);
    }

    private static List<Entry> sorted(List<Entry> l) {
        List<Entry> c = new ArrayList<>(l);
        c.sort(ORDER);
        return List.copyOf(c);
    }
}
