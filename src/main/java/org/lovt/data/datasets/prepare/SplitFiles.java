package org.lovt.data.datasets.prepare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.lovt.LovtException;
import org.lovt.util.Csv;

/**
 * {@code --splits-from DIR}: the split files of an earlier preparation (the original repository commits them under
 * {@code datasets/<name>/}), read for their {@code ID} column so that membership and order are reproduced exactly.
 * Only the ids are used; targets always come from the source annotations.
 */
public final class SplitFiles {
    private SplitFiles() {}

    /**
     * The ids of {@code train.csv}, {@code validation.csv} and {@code test.csv} in {@code dir}, in file order.
     *
     * @throws LovtException when a file or its ID column is missing, or an id occurs twice
     */
    public static EnumMap<SplitName, List<String>> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LovtException(dir + ": --splits-from is not a directory");
        }
        EnumMap<SplitName, List<String>> ids = new EnumMap<>(SplitName.class);
        Map<String, SplitName> seen = new HashMap<>();
        for (SplitName s : SplitName.values()) {
            Csv.Table t = Csv.read(dir.resolve(s.csvName()));
            int col = t.column("ID");
            List<String> l = new ArrayList<>(t.size());
            for (int r = 0; r < t.size(); r++) {
                String id = t.get(r, col);
                if (id.isEmpty()) {
                    throw new LovtException(t.where(r) + ": empty ID");
                }
                SplitName before = seen.putIfAbsent(id, s);
                if (before != null) {
                    throw new LovtException(t.where(r) + ": id " + id + " is listed twice (also in "
                            + before.csvName() + ")");
                }
                l.add(id);
            }
            ids.put(s, l);
        }
        return ids;
    }

    /**
     * Splits the samples as the split files say. Ids listed there but missing from the source are skipped (and
     * reported); source samples that no split lists are left out (and reported).
     *
     * @param sourceName what to call the source in messages (e.g. the labels file)
     */
    public static <S> Splits<S> assign(Path dir, List<S> samples, Function<S, String> idOf, String sourceName,
                                       PrepareReport report) {
        EnumMap<SplitName, List<String>> ids = read(dir);
        Map<String, S> byId = new LinkedHashMap<>();
        for (S s : samples) {
            byId.put(idOf.apply(s), s);
        }
        EnumMap<SplitName, List<S>> m = new EnumMap<>(SplitName.class);
        Set<String> used = new HashSet<>();
        for (SplitName split : SplitName.values()) {
            List<S> l = new ArrayList<>();
            for (String id : ids.get(split)) {
                S s = byId.get(id);
                if (s == null) {
                    report.skip(id, dir.resolve(split.csvName()).toString(),
                            "listed in " + split.csvName() + " but not in " + sourceName);
                } else {
                    l.add(s);
                    used.add(id);
                }
            }
            m.put(split, l);
        }
        for (String id : byId.keySet()) {
            if (!used.contains(id)) {
                report.warn(id, sourceName, "in the source but in none of the split files; left out");
            }
        }
        return new Splits<>(m);
    }
}
