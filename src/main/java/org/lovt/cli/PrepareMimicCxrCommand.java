package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lovt.config.UserConfig;
import org.lovt.data.datasets.mimic.MimicCxrPreparer;
import org.lovt.data.datasets.mimic.PrepareSummary;
import org.lovt.util.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code lovt prepare mimic-cxr SRC_DIR}: LoVT's pre-training dataset from MIMIC-CXR-JPG 2.0.0 and the MIMIC-CXR
 * reports (see {@link MimicCxrPreparer}). Prints a progress line on stderr and a summary of what was kept and
 * skipped on stdout; skipped studies do not make the command fail.
 */
@Command(name = "mimic-cxr", mixinStandardHelpOptions = true,
        description = {"Prepare MIMIC-CXR for pre-training: frontal (AP/PA) images, findings + impression sentences "
                + "(official MIMIC-CXR section rules, ICU sentence splitting, at least 3 tokens), U-ones CheXpert "
                + "labels, per-split pixel statistics and image lists, written atomically.",
                "SRC_DIR is either the original LoVT root (mimic-cxr-jpg_2-0-0/ and mimic-cxr_2-0-0/) or the "
                        + "MIMIC-CXR-JPG folder itself (mimic-cxr-2.0.0-*.csv[.gz] and files/), with the reports in "
                        + "mimic-cxr-reports/files/, mimic-cxr-reports.zip or next to the study folders in files/."})
public final class PrepareMimicCxrCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SRC_DIR", description = "The MIMIC-CXR source folder (see above).")
    Path source;

    @Option(names = "--out", paramLabel = "DIR", description = "The dataset folder to create (must not exist). "
            + "Default: data.mimic_cxr.path of the user config, else SRC_DIR/" + MimicCxrPreparer.DEFAULT_FOLDER_NAME
            + ".")
    Path out;

    @Option(names = "--reports", paramLabel = "PATH", description = "Where the reports are, if not found in "
            + "SRC_DIR: a files/ tree (or its parent) or mimic-cxr-reports.zip.")
    Path reports;

    @Option(names = "--splits-from", paramLabel = "DIR", description = "Reproduce earlier splits: DIR holds "
            + "<split>/samples.jsonl, <split>/image_list.csv or <split>.csv study lists (train, validation, test), "
            + "or a mimic-cxr-2.0.0-split.csv[.gz] to use instead of SRC_DIR's.")
    Path splitsFrom;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--list", paramLabel = "N", defaultValue = "10",
            description = "Name at most N files per reason in the summary (all are in issues.csv; default 10).")
    int list;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Path target = out != null ? out : defaultOut();
        stderr.println("lovt: preparing MIMIC-CXR from " + source + " into " + target);
        stderr.flush();
        MimicCxrPreparer.Options o = MimicCxrPreparer.Options.of(source, target).withReports(reports)
                .withSplitsFrom(splitsFrom).withProgress(new SplitProgress(stderr));
        if (threads != null) {
            o = o.withThreads(threads);
        }
        PrepareSummary summary = MimicCxrPreparer.prepare(o);
        stdout.print(summary.format(list));
        stdout.flush();
        return 0;
    }

    private Path defaultOut() {
        UserConfig.DataLocation configured = UserConfig.load(UserConfig.defaultPath()).data().get("mimic_cxr");
        return configured != null ? Path.of(configured.path()) : source.resolve(MimicCxrPreparer.DEFAULT_FOLDER_NAME);
    }

    /**
     * One {@link ProgressLine} per split, e.g. {@code train: 1,200/4,000 studies (30.0%), 8.0 studies/s, ETA
     * 0:05:50, 1,180 kept}: redrawn in place on a terminal, otherwise a line every 30 seconds; always a last line at
     * the end of each split.
     */
    private static final class SplitProgress implements MimicCxrPreparer.ProgressListener {
        private final PrintWriter err;
        private final boolean terminal = ProgressLine.isTerminal();
        private String split;
        private ProgressLine line;

        SplitProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(String split, int done, int total, int kept) {
            if (!split.equals(this.split)) {
                this.split = split;
                line = new ProgressLine(split, total, "studies", err, terminal,
                        terminal ? ProgressLine.TERMINAL_INTERVAL : Duration.ofSeconds(30));
            }
            String details = String.format(Locale.ROOT, "%,d kept", kept);
            if (done == total) {
                line.finish(done, details);
            } else {
                line.update(done, details);
            }
        }
    }
}
