package org.lovt.cli;

import java.io.PrintWriter;

import org.lovt.LovtException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lovt} command line. Each subcommand parses its arguments, loads a config where it needs one and calls
 * the library; none holds logic of its own.
 *
 * <p>Exit codes: 0 success, 1 an unexpected internal error (with a stack trace), 2 bad input or usage (a one-line
 * reason on standard error: unreadable files, bad configs, wrong arguments).
 */
@Command(name = "lovt",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "LoVT for the JVM: localized representation learning from chest X-rays and reports "
                + "(ECCV 2022) on libtorch.",
        subcommands = {DemoCommand.class, DoctorCommand.class, InspectCommand.class, VerifyCommand.class,
                ConfigCommand.class, PrepareCommand.class, PretrainCommand.class, EvaluateCommand.class,
                MetricsCommand.class, ResultsCommand.class, AnalyzeCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input: unreadable files, invalid configs, wrong arguments. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's error handling (used by {@link #main} and by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof LovtException) {
                err.println("lovt: " + ex.getMessage());
                err.flush();
                return EXIT_BAD_INPUT;
            }
            err.println("lovt: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Version from the jar manifest (set by Maven), else "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lovt " + (v != null ? v : "(development build)")};
        }
    }
}
