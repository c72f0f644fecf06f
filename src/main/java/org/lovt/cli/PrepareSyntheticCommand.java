package org.lovt.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lovt.data.datasets.downstream.SyntheticDownstream;
import org.lovt.util.ProgressLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt prepare synthetic DATASET --out DIR}: a synthetic downstream data set in the prepared format of a real
 * one (see {@link SyntheticDownstream}).
 */
@Command(name = "synthetic", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic downstream data set in exactly the prepared format of DATASET (rsna, "
                + "covid, siim, object-cxr, nih): synthetic chest X-rays from the pre-training generator with "
                + "opacities, pneumothoraces, foreign objects or the eight NIH findings as targets, written as "
                + "`lovt prepare DATASET` writes a real one (preparation.json marked synthetic)."})
final class PrepareSyntheticCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "DATASET", description = "rsna, covid, siim, object-cxr or nih.")
    String dataset;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder to create. It must not exist unless --overwrite.")
    Path out;

    @CommandLine.Option(names = "--train", paramLabel = "N", defaultValue = "300",
            description = "Train images (default: ${DEFAULT-VALUE}).")
    int train;

    @CommandLine.Option(names = "--validation", paramLabel = "N", defaultValue = "100",
            description = "Validation images (default: ${DEFAULT-VALUE}).")
    int validation;

    @CommandLine.Option(names = "--test", paramLabel = "N", defaultValue = "100",
            description = "Test images (default: ${DEFAULT-VALUE}).")
    int test;

    @CommandLine.Option(names = "--size", paramLabel = "PX", defaultValue = "224",
            description = "Image width and height in pixels, 64 to 4096 (default: ${DEFAULT-VALUE}).")
    int size;

    @CommandLine.Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Generator seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the number of processors); the output does not depend on it.")
    Integer threads;

    @CommandLine.Option(names = "--fix-quirks", description = "object-cxr: write boxes as x;y;w;h and polygon masks "
            + "untransposed, as `lovt prepare object-cxr --fix-quirks` (default: the original's bugs).")
    boolean fixQuirks;

    @CommandLine.Option(names = "--overwrite", description = "Replace an existing output folder once the new one "
            + "is complete.")
    boolean overwrite;

    @Override
    public Integer call() {
        SyntheticDownstream.Options o = new SyntheticDownstream.Options(
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), fixQuirks, overwrite,
                spec.commandLine().getErr(), ProgressLine.isTerminal());
        SyntheticDownstream.write(out, dataset, train, validation, test, size, seed, o);
        return 0;
    }
}
