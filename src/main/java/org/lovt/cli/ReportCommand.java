package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.lovt.api.Report;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt report DIR... --out report.html}: one self-contained HTML page of runs, results and demo folders. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page (pictures inlined, no network, no script) of pre-training runs, "
                + "results folders of the evaluation protocol and demo folders: configuration, training curves, "
                + "results tables with the paper's reference rows, the embedding analysis, attention pictures.")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "DIR", arity = "1..*", description = "Run, results or demo folders.")
    List<Path> dirs;

    @CommandLine.Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
            description = "The page (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Path written = Report.write(dirs, out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("lovt: report written to " + written.toAbsolutePath());
        w.flush();
        return 0;
    }
}
