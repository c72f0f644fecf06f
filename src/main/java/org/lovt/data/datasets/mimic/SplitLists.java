package org.lovt.data.datasets.mimic;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.LovtException;
import org.lovt.util.Csv;

/**
 * The study lists of an earlier preparation, given with {@code --splits-from DIR}, so that a new preparation
 * reproduces its splits exactly. For each split the first of these that exists is read:
 * <ol>
 *   <li>{@code DIR/<split>/samples.jsonl} (a folder prepared by this library);</li>
 *   <li>{@code DIR/<split>/image_list.csv} (the original's {@code create_image_list} output, or ours);</li>
 *   <li>{@code DIR/<split>.csv} (any CSV with a {@code study_id} column, e.g. exported from the original's
 *       HF dataset).</li>
 * </ol>
 * Study ids may carry the {@code s} prefix. Order is kept, duplicates (one row per image) are collapsed.
 *
 * <p>If instead {@code DIR} holds {@code mimic-cxr-2.0.0-split.csv[.gz]}, that file replaces the source's split CSV
 * and no lists are used ({@link #splitCsv()}).
 */
final class SplitLists {
    static final List<String> SPLITS = List.of("train", "validation", "test");

    private final Path splitCsv;
    private final Map<String, List<Long>> studies;

    private SplitLists(Path splitCsv, Map<String, List<Long>> studies) {
        this.splitCsv = splitCsv;
        this.studies = studies;
    }

    /** A replacement split CSV, or null when lists are given. */
    Path splitCsv() {
        return splitCsv;
    }

    /** The study ids of each split in order, or null when a split CSV is given. */
    Map<String, List<Long>> studies() {
        return studies;
    }

    static SplitLists read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LovtException(dir + ": --splits-from is not a folder");
        }
        Path csv = MimicSource.splitCsvIn(dir);
        if (csv != null) {
            return new SplitLists(csv, null);
        }
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String split : SPLITS) {
            Path jsonl = dir.resolve(split).resolve(MimicCxrDataset.SAMPLES_FILE);
            Path imageList = dir.resolve(split).resolve(MimicCxrDataset.IMAGE_LIST_FILE);
            Path list = dir.resolve(split + ".csv");
            List<Long> ids;
            if (Files.isRegularFile(jsonl)) {
                ids = fromJsonl(jsonl);
            } else if (Files.isRegularFile(imageList)) {
                ids = fromCsv(imageList);
            } else if (Files.isRegularFile(list)) {
                ids = fromCsv(list);
            } else {
                throw new LovtException(dir + ": --splits-from has no study list for the " + split + " split (expected "
                        + split + "/" + MimicCxrDataset.SAMPLES_FILE + ", " + split + "/"
                        + MimicCxrDataset.IMAGE_LIST_FILE + " or " + split + ".csv), nor a mimic-cxr-2.0.0-split.csv");
            }
            out.put(split, ids);
        }
        // A study in two lists would be prepared twice.
        Set<Long> all = new java.util.HashSet<>();
        for (Map.Entry<String, List<Long>> e : out.entrySet()) {
            for (Long id : e.getValue()) {
                if (!all.add(id)) {
                    throw new LovtException(dir + ": study s" + id + " is listed in more than one split");
                }
            }
        }
        return new SplitLists(null, out);
    }

    private static List<Long> fromJsonl(Path file) {
        ObjectMapper json = new ObjectMapper();
        Set<Long> ids = new LinkedHashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                ids.add(studyId(node.path("study_id").asText(), file, n));
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new ArrayList<>(ids);
    }

    private static List<Long> fromCsv(Path file) {
        Set<Long> ids = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        Csv.forEachRow(file, List.of("study_id"), new Csv.Visitor() {
            @Override
            public void row(Csv.Row row) {
                ids.add(studyId(row.get(0), file, row.line()));
            }

            @Override
            public void malformed(int line, String reason) {
                bad.add(file + ":" + line + ": " + reason);
            }
        });
        if (!bad.isEmpty()) {
            // A split list with unreadable rows cannot reproduce a split; better to stop than to guess.
            throw new LovtException("malformed split list row: " + bad.get(0)
                    + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : ""));
        }
        return new ArrayList<>(ids);
    }

    private static long studyId(String raw, Path file, int line) {
        String s = raw.strip();
        if (s.startsWith("s")) {
            s = s.substring(1);
        }
        Long id = MimicTables.parseId(s);
        if (id == null) {
            throw new LovtException(file + ":" + line + ": not a study id: '" + raw + "'");
        }
        return id;
    }
}
