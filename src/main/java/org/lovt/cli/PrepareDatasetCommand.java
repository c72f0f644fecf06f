package org.lovt.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lovt.data.datasets.prepare.DatasetPreparer;
import org.lovt.data.datasets.prepare.PrepareOptions;
import org.lovt.util.ProgressLine;
import picocli.CommandLine;

/**
 * The options every {@code lovt prepare <downstream data set>} command shares; each subclass names its data set and
 * builds its preparer. Progress and the closing summary go to standard error; the prepared folder appears only when
 * it is complete.
 */
abstract class PrepareDatasetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "SRC_DIR", description = "The data set's folder as published.")
    Path src;

    @CommandLine.Option(names = "--out", paramLabel = "DIR",
            description = "Folder to create (default: SRC_DIR/prepared). It must not exist unless --overwrite.")
    Path out;

    @CommandLine.Option(names = "--splits-from", paramLabel = "DIR",
            description = "Reproduce the splits of DIR/{train,validation,test}.csv (e.g. the original repository's "
                    + "datasets/<name>/ folder) instead of splitting at random.")
    Path splitsFrom;

    @CommandLine.Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the number of processors).")
    Integer threads;

    @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random split, numpy-compatible: the same split as the original script run with "
                    + "--seed N on the same inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Validation fraction of the random split (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @CommandLine.Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Test fraction of the random split (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @CommandLine.Option(names = "--overwrite", description = "Replace an existing output folder once the new one "
            + "is complete.")
    boolean overwrite;

    /** The data set's preparer. */
    abstract DatasetPreparer preparer();

    /** Whether the original's target bugs are to be fixed (only Object-CXR has an option for it). */
    boolean fixQuirks() {
        return false;
    }

    @Override
    public Integer call() {
        Path target = out != null ? out : src.resolve("prepared");
        PrepareOptions o = PrepareOptions.to(target)
                .withThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors())
                .withSeed(seed)
                .withFractions(valFraction, testFraction)
                .withOverwrite(overwrite)
                .withFixQuirks(fixQuirks())
                .withLog(spec.commandLine().getErr(), ProgressLine.isTerminal());
        if (splitsFrom != null) {
            o = o.withSplitsFrom(splitsFrom);
        }
        preparer().prepare(src, o);
        return 0;
    }
}
