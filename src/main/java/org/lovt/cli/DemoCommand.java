package org.lovt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import org.lovt.demo.Demo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt demo}: pre-trains a small LoVT on synthetic chest X-rays and reports in minutes on a CPU and measures how
 * well it links report sentences to image regions.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate synthetic chest X-rays with reports, pre-train a small LoVT on them (LoVT_100's losses "
                + "plus a GLoRIA-style cross-sample sentence-region term; --lovt-only without it), and show how well "
                + "it links sentences to image regions compared with the untrained model, chance and a control without "
                + "the sentence (numbers and pictures).")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--minutes", defaultValue = "8", description = "Time budget (default ${DEFAULT-VALUE}).")
    double minutes;

    @CommandLine.Option(names = "--max-epochs", defaultValue = "0", description = "Stop after this many epochs even "
            + "if time is left (default: only the time budget). A run limited by epochs is reproducible.")
    int maxEpochs;

    @CommandLine.Option(names = "--train", defaultValue = "1200", description = "Training studies (default "
            + "${DEFAULT-VALUE}).")
    int train;

    @CommandLine.Option(names = "--seed", defaultValue = "12345", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/demo-<time>).")
    Path out;

    @CommandLine.Option(names = "--global-only", description = "Control run: the global loss only, no local loss.")
    boolean globalOnly;

    @CommandLine.Option(names = "--lovt-only", description = "LoVT_100's own losses only, without the demo's "
            + "cross-sample sentence-region term.")
    boolean lovtOnly;

    @CommandLine.Parameters(paramLabel = "OVERRIDES", arity = "0..*",
            description = "Config overrides on top of the demo's (e.g. pretrain_model.learning_rate=2e-3).")
    List<String> overrides = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path dir = out != null ? out : Path.of("runs", "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        if (globalOnly && lovtOnly) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--global-only and --lovt-only exclude "
                    + "each other");
        }
        Demo.Recipe recipe = globalOnly ? Demo.Recipe.GLOBAL_ONLY : lovtOnly ? Demo.Recipe.LOVT_ONLY
                : Demo.Recipe.DEFAULT;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        Demo.Settings settings;
        try {
            settings = new Demo.Settings(seed, train, 200, 200, minutes, maxEpochs, dir, threads, recipe, overrides, 6,
                    System.err);
        } catch (IllegalArgumentException e) {                     // --minutes, --max-epochs, --train out of range
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Demo.Result r = Demo.run(settings);
        Demo.summary(r).forEach(o::println);
        o.println("pictures: " + dir.resolve("pictures") + " (sentence→region attention; box = the finding)");
        o.println("curves:   " + dir.resolve("loss-train.png") + ", " + dir.resolve("loss-validation.png") + ", "
                + dir.resolve("grounding-validation.png"));
        o.println("results:  " + dir.resolve("results.json") + ", " + dir.resolve("grounding-test.csv")
                + " (one row per finding sentence), run folder " + dir.resolve("run"));
        o.flush();
        return 0;
    }
}
