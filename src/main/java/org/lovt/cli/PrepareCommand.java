package org.lovt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt prepare <dataset> SRC_DIR [--out DIR] [--splits-from DIR] [--threads N]}: turns a data set as distributed into the prepared layout the
 * library trains and evaluates on; {@code lovt prepare synthetic DATASET --out DIR} generates a synthetic one in the
 * same layout. Each data set is its own subcommand class.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Prepare a data set from its published format (images, reports or masks, splits, statistics).",
        subcommands = {PrepareMimicCxrCommand.class, PrepareRsnaCommand.class, PrepareCovidCommand.class,
                PrepareSiimCommand.class, PrepareObjectCxrCommand.class, PrepareNihCommand.class,
                PrepareSyntheticCommand.class})
public final class PrepareCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
