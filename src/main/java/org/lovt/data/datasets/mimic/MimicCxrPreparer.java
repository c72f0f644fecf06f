package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.lovt.LovtException;
import org.lovt.util.StagingDir;

/**
 * {@code lovt prepare mimic-cxr}: builds LoVT's pre-training dataset {@code mimic-cxr_ap-pa} (frontal views,
 * findings + impression sentences, at least 3 tokens, U-ones CheXpert labels) from MIMIC-CXR-JPG 2.0.0 and the
 * MIMIC-CXR 2.0.0 reports as distributed (spec lovt-data-eval §1, lovt-model §2.3 and §5.4).
 *
 * <p><b>Output</b> (the original's {@code mimic-cxr_ap-pa_dataset/} with JSON lines instead of Arrow shards):
 * <pre>
 * OUT/
 *   dataset_dict.json            {"splits": ["train", "validation", "test"]}
 *   dataset_statistics.json      per split: scan.pixel_mean, scan.pixel_std, chexpert_bin_pos_weights
 *   images -&gt; SRC/.../files      symlink to the MIMIC-CXR-JPG image tree (images are not copied or resized)
 *   train/ validation/ test/
 *     samples.jsonl              one study per line, the original's fields in its order
 *     image_list.csv             one row per image, for the image-only baselines
 *     dataset_info.json          counts and the CheXpert class encoding
 *   issues.csv                   everything skipped or noticed, with reason and file
 *   preparation.json             source, options, counts, versions
 * </pre>
 * Studies are in ascending (subject, study) order within a split, which the 30 % subset depends on.
 *
 * <p><b>Atomic:</b> everything is written into a hidden sibling folder that is renamed to {@code OUT} only after
 * the last file is complete; a failure removes it. An existing {@code OUT} is never touched.
 *
 * <p><b>Robust:</b> missing or corrupt inputs (unreadable or truncated JPEGs, missing or non-UTF-8 reports,
 * malformed CSV rows) are counted and named in {@link PrepareSummary} and {@code issues.csv}; the run goes on.
 * Where the original would have crashed (a missing report or CheXpert row) the study is skipped and named.
 *
 * <p><b>Images are not resized.</b> The original keeps the full-resolution JPEGs and resizes to 224 × 224 at load
 * time, after a random crop (training) or padding to a square (validation, test); pre-scaled copies would change
 * those crops and the anti-aliased resize, so there is no {@code --image-size} option.
 */
public final class MimicCxrPreparer {
    private MimicCxrPreparer() {}

    /** Name of the original's output folder for the {@code mimic-cxr_ap-pa} config. */
    public static final String DEFAULT_FOLDER_NAME = "mimic-cxr_ap-pa_dataset";

    /** Views kept ({@code views=['PA', 'AP']}). */
    static final Set<String> FRONTAL_VIEWS = Set.of("PA", "AP");

    /** Called from the writing thread after each study; may throw to abort (the output is then removed). */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * @param split    the split being written
         * @param done     studies of this split processed so far
         * @param total    studies of this split
         * @param kept     studies of this split written so far
         */
        void progress(String split, int done, int total, int kept);
    }

    /**
     * What to prepare.
     *
     * @param source     source folder (see {@link MimicSource} for the layouts)
     * @param out        the dataset folder to create; must not exist
     * @param reports    reports location overriding the search in {@code source}, or null
     * @param splitsFrom earlier study lists or a split CSV to reproduce (see {@link SplitLists}), or null
     * @param threads    worker threads for reports and images (at least 1)
     * @param progress   progress callback, or null
     */
    public record Options(Path source, Path out, Path reports, Path splitsFrom, int threads,
                          ProgressListener progress) {
        public Options {
            if (source == null || out == null) {
                throw new IllegalArgumentException("source and out are required");
            }
            if (threads < 1) {
                throw new LovtException("--threads must be at least 1, got " + threads);
            }
        }

        /** Defaults: reports searched, official splits, one thread per core, no progress. */
        public static Options of(Path source, Path out) {
            return new Options(source, out, null, null, Runtime.getRuntime().availableProcessors(), null);
        }

        /** The same options with an explicit reports location (a {@code files/} tree or the zip). */
        public Options withReports(Path p) {
            return new Options(source, out, p, splitsFrom, threads, progress);
        }

        /** The same options, reproducing the splits of {@code p} (see {@link SplitLists}). */
        public Options withSplitsFrom(Path p) {
            return new Options(source, out, reports, p, threads, progress);
        }

        /** The same options with {@code n} worker threads. */
        public Options withThreads(int n) {
            return new Options(source, out, reports, splitsFrom, n, progress);
        }

        /** The same options with a progress callback. */
        public Options withProgress(ProgressListener p) {
            return new Options(source, out, reports, splitsFrom, threads, p);
        }
    }

    /** One study to process. */
    private record StudyJob(MimicTables.StudyKey key, List<MimicTables.Image> frontal, boolean tokenFilter) {}

    /**
     * Prepares the dataset.
     *
     * @return what was written and skipped
     * @throws LovtException for unusable input as a whole (missing CSVs or image folder, existing output)
     */
    public static PrepareSummary prepare(Options o) {
        Path out = o.out().toAbsolutePath().normalize();
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new LovtException(out + ": already exists; remove it or choose another --out");
        }
        MimicSource src = MimicSource.locate(o.source(), o.reports());
        SplitLists lists = o.splitsFrom() == null ? null : SplitLists.read(o.splitsFrom());
        Path splitCsv = lists != null && lists.splitCsv() != null ? lists.splitCsv() : src.splitCsv();
        MimicTables tables = MimicTables.read(splitCsv, src.metadataCsv(), src.chexpertCsv());

        List<Issue> issues = new ArrayList<>(tables.issues);
        int[] notListed = new int[1];
        Map<String, List<StudyJob>> jobs = plan(tables, lists, issues, notListed);

        StagingDir staging = StagingDir.begin(out);
        Path tmp = staging.dir();
        ExecutorService pool = Executors.newFixedThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "mimic-prepare");
            t.setDaemon(true);
            return t;
        });
        try (ReportStore reports = src.openReports()) {
            linkImages(tmp, src.imagesRoot());
            StudyProcessor processor = new StudyProcessor(reports, src.imagesRoot(), new ReportSentenceSplitter(),
                    tables.chexpert);
            Map<String, PrepareSummary.SplitCounts> counts = new LinkedHashMap<>();
            Map<String, SplitWriter> writers = new LinkedHashMap<>();
            for (String split : SplitLists.SPLITS) {
                List<StudyJob> splitJobs = jobs.get(split);
                try (SplitWriter w = new SplitWriter(tmp.resolve(split))) {
                    runSplit(split, splitJobs, processor, pool, w, issues, o);
                    writers.put(split, w);
                }
                int considered = splitJobs.size() + (int) issues.stream()
                        .filter(i -> i.split().equals(split) && (i.reason() == Issue.Reason.NO_FRONTAL_VIEW
                                || i.reason() == Issue.Reason.NOT_IN_CSVS)).count();
                counts.put(split, new PrepareSummary.SplitCounts(considered, writers.get(split).studies(),
                        writers.get(split).images()));
            }
            PrepareSummary summary = new PrepareSummary(out, counts, List.copyOf(issues), notListed[0]);
            DatasetFiles.writeMetadata(tmp, writers, summary, src, o, lists);
            staging.sync();
            staging.commit();
            return summary;
        } catch (IOException e) {
            throw new LovtException(out + ": cannot write the prepared dataset: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
            staging.close();
        }
    }

    /** The studies of each split, in output order; studies without an AP/PA image become issues. */
    private static Map<String, List<StudyJob>> plan(MimicTables tables, SplitLists lists, List<Issue> issues,
                                                    int[] notListed) {
        Map<String, List<StudyJob>> jobs = new LinkedHashMap<>();
        if (lists == null || lists.studies() == null) {
            Map<String, LinkedHashMap<MimicTables.StudyKey, List<MimicTables.Image>>> bySplit =
                    tables.studiesBySplit();
            for (String split : SplitLists.SPLITS) {
                List<StudyJob> list = new ArrayList<>();
                bySplit.get(split).forEach((key, images) -> addJob(split, key, images, true, list, issues));
                jobs.put(split, list);
            }
            return jobs;
        }
        // Lists decide the split and the order; the images still come from the CSVs.
        Map<Long, MimicTables.StudyKey> keys = new HashMap<>();
        Map<MimicTables.StudyKey, List<MimicTables.Image>> images = new HashMap<>();
        for (MimicTables.Image im : tables.images) {
            MimicTables.StudyKey k = new MimicTables.StudyKey(im.subject(), im.study());
            keys.putIfAbsent(im.study(), k);
            images.computeIfAbsent(k, x -> new ArrayList<>()).add(im);
        }
        Set<Long> listed = new TreeSet<>();
        for (String split : SplitLists.SPLITS) {
            List<StudyJob> list = new ArrayList<>();
            for (long study : lists.studies().get(split)) {
                listed.add(study);
                MimicTables.StudyKey k = keys.get(study);
                if (k == null) {
                    issues.add(new Issue(split, Issue.Reason.NOT_IN_CSVS, "", Long.toString(study), "", "", ""));
                    continue;
                }
                addJob(split, k, images.get(k), false, list, issues);
            }
            jobs.put(split, list);
        }
        notListed[0] = (int) keys.keySet().stream().filter(s -> !listed.contains(s)).count();
        return jobs;
    }

    private static void addJob(String split, MimicTables.StudyKey key, List<MimicTables.Image> images,
                               boolean tokenFilter, List<StudyJob> out, List<Issue> issues) {
        List<MimicTables.Image> frontal = images.stream()
                .filter(im -> im.view() != null && FRONTAL_VIEWS.contains(im.view())).toList();
        if (frontal.isEmpty()) {
            Set<String> views = new TreeSet<>();
            for (MimicTables.Image im : images) {
                views.add(im.view() == null ? "no metadata" : im.view().isEmpty() ? "empty" : im.view());
            }
            String subject = Long.toString(key.subject());
            String study = Long.toString(key.study());
            issues.add(new Issue(split, Issue.Reason.NO_FRONTAL_VIEW, subject, study, "",
                    StudyProcessor.studyDir(subject, study), "views: " + String.join(" ", views)));
            return;
        }
        out.add(new StudyJob(key, frontal, tokenFilter));
    }

    /**
     * Processes a split's studies on the pool, a bounded window ahead, and writes the outcomes in study order.
     */
    private static void runSplit(String split, List<StudyJob> jobs, StudyProcessor processor, ExecutorService pool,
                                 SplitWriter writer, List<Issue> issues, Options o) throws IOException {
        int window = o.threads() * 4;
        Deque<Future<StudyProcessor.Outcome>> inFlight = new ArrayDeque<>();
        int next = 0;
        int done = 0;
        while (done < jobs.size()) {
            while (next < jobs.size() && inFlight.size() < window) {
                StudyJob job = jobs.get(next++);
                inFlight.add(pool.submit(() -> processSafely(split, job, processor)));
            }
            StudyProcessor.Outcome outcome = await(inFlight.poll());
            issues.addAll(outcome.issues());
            if (outcome.study() != null) {
                writer.write(outcome.study());
            }
            done++;
            if (o.progress() != null) {
                o.progress().progress(split, done, jobs.size(), writer.studies());
            }
        }
    }

    /** A bug or an unexpected native failure on one study is reported with the study, not fatal to the run. */
    private static StudyProcessor.Outcome processSafely(String split, StudyJob job, StudyProcessor processor) {
        try {
            return processor.process(split, job.key(), job.frontal(), job.tokenFilter());
        } catch (RuntimeException e) {
            String subject = Long.toString(job.key().subject());
            String study = Long.toString(job.key().study());
            Issue i = new Issue(split, Issue.Reason.PROCESSING_ERROR, subject, study, "",
                    StudyProcessor.studyDir(subject, study), e.toString());
            return new StudyProcessor.Outcome(null, List.of(i));
        }
    }

    private static StudyProcessor.Outcome await(Future<StudyProcessor.Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LovtException("interrupted while preparing MIMIC-CXR", e);
        } catch (ExecutionException e) {
            throw new LovtException("preparing a study failed: " + e.getCause(), e.getCause());
        }
    }

    private static void linkImages(Path dir, Path imagesRoot) {
        Path target = imagesRoot.toAbsolutePath().normalize();
        try {
            Files.createSymbolicLink(dir.resolve(MimicCxrDataset.IMAGES_LINK), target);
        } catch (IOException | UnsupportedOperationException e) {
            throw new LovtException(dir + ": cannot create the symbolic link images -> " + target + ": " + e, e);
        }
    }
}
