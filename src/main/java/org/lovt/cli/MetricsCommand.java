package org.lovt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt metrics <kind> FILE}: evaluation metrics computed from files of predictions and targets. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Compute LoVT's evaluation metrics from a file of targets and predictions.",
        subcommands = {MetricsDetectionCommand.class})
public final class MetricsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
