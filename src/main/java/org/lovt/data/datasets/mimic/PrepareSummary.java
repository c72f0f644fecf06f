package org.lovt.data.datasets.mimic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a preparation produced and left out.
 *
 * @param out        the prepared dataset folder
 * @param splits     per split ({@code train}, {@code validation}, {@code test}, in this order)
 * @param issues     every issue, in processing order (also in {@code issues.csv})
 * @param notListed  studies of the CSVs that {@code --splits-from} lists do not name (0 without lists)
 */
public record PrepareSummary(Path out, Map<String, SplitCounts> splits, List<Issue> issues, int notListed) {

    /**
     * Counts of one split.
     *
     * @param studies studies considered (every study of the split in the CSVs, or every listed one)
     * @param kept    studies written
     * @param images  images written
     */
    public record SplitCounts(int studies, int kept, int images) {
        /** Studies considered but not written. */
        public int skipped() {
            return studies - kept;
        }
    }

    /** Number of issues per reason, for one split ("" for CSV rows) or all when {@code split} is null. */
    public Map<Issue.Reason, Integer> countByReason(String split) {
        Map<Issue.Reason, Integer> out = new EnumMap<>(Issue.Reason.class);
        for (Issue i : issues) {
            if (split == null || split.equals(i.split())) {
                out.merge(i.reason(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The issues of one reason. */
    public List<Issue> issues(Issue.Reason reason) {
        List<Issue> out = new ArrayList<>();
        for (Issue i : issues) {
            if (i.reason() == reason) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * A human-readable report: studies kept and skipped per split with reasons, and up to {@code maxNamed} file
     * names per reason (all of them are in {@code issues.csv}).
     */
    public String format(int maxNamed) {
        StringBuilder b = new StringBuilder();
        b.append("prepared MIMIC-CXR (AP/PA, findings + impression) in ").append(out).append('\n');
        for (Map.Entry<String, SplitCounts> e : splits.entrySet()) {
            SplitCounts c = e.getValue();
            b.append(String.format("  %-10s %7d studies kept (%d images), %d skipped of %d%n", e.getKey(), c.kept(),
                    c.images(), c.skipped(), c.studies()));
            appendReasons(b, countByReason(e.getKey()), "             ");
        }
        Map<Issue.Reason, Integer> rows = countByReason("");
        if (!rows.isEmpty()) {
            b.append("  CSV rows:\n");
            appendReasons(b, rows, "             ");
        }
        if (notListed > 0) {
            b.append("  ").append(notListed).append(" studies of the CSVs are not in the --splits-from lists\n");
        }
        Map<Issue.Reason, List<Issue>> byReason = new LinkedHashMap<>();
        for (Issue i : issues) {
            byReason.computeIfAbsent(i.reason(), r -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Issue.Reason, List<Issue>> e : byReason.entrySet()) {
            List<Issue> list = e.getValue();
            b.append("  ").append(e.getKey().text()).append(" (").append(e.getKey().outcome().text()).append("):\n");
            for (int i = 0; i < Math.min(maxNamed, list.size()); i++) {
                Issue is = list.get(i);
                b.append("    ").append(is.file().isEmpty() ? "p" + is.subjectId() + "/s" + is.studyId() : is.file());
                if (!is.detail().isEmpty()) {
                    b.append(" (").append(is.detail()).append(')');
                }
                b.append('\n');
            }
            if (list.size() > maxNamed) {
                b.append("    ... and ").append(list.size() - maxNamed).append(" more (see issues.csv)\n");
            }
        }
        return b.toString();
    }

    private static void appendReasons(StringBuilder b, Map<Issue.Reason, Integer> counts, String indent) {
        for (Map.Entry<Issue.Reason, Integer> r : counts.entrySet()) {
            b.append(indent).append(String.format("%6d  %s: %s%n", r.getValue(), r.getKey().outcome().text(),
                    r.getKey().text()));
        }
    }
}
