package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.lovt.api.Results;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt results compare DIR...} and {@code lovt results redraw DIR}: results folders of the protocol. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Work with results folders written by `lovt evaluate --suite paper`.",
        subcommands = {ResultsCommand.Compare.class, ResultsCommand.Redraw.class})
public final class ResultsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Print the models of several results folders side by side (markdown): each task's headline "
                    + "test metric ×100 as mean±95 percent interval; * marks a value whose interval does not overlap the "
                    + "column's first value.")
    static final class Compare implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "DIR", arity = "1..*", description = "Results folders.")
        List<Path> dirs;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(Results.compare(dirs));
            out.flush();
            return 0;
        }
    }

    @Command(name = "redraw", mixinStandardHelpOptions = true,
            description = "Rewrite results.md and the charts of a results folder from its downstream_<task>.csv.")
    static final class Redraw implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "DIR", description = "A results folder.")
        Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("lovt: wrote " + Results.redraw(dir));
            out.flush();
            return 0;
        }
    }
}
