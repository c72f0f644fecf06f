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
                + "plus a GLoRIA-style cross-sample sentence-region term; --lovt-only without it), pre-train the same "
                + "model with the global loss only for as many epochs (the control), then run the paper's evaluation "
                + "protocol, reduced, on synthetic RSNA-like downstream tasks (frozen YOLOv3 detection and linear "
                + "segmentation at 10 and 100 percent of the labels) for the pre-trained, the control and a random "
                + "backbone, and print the results table; also how well the model links sentences to image regions "
                + "(pointing game against chance, the untrained model and a control without the sentence).")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--minutes", defaultValue = "9", description = "Time budget (default ${DEFAULT-VALUE}); "
            + "with the downstream part about 37 percent goes to the pre-training, as much to the control's, the rest to the "
            + "evaluation.")
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

    @CommandLine.Option(names = "--no-downstream", description = "Skip the downstream part (the control "
            + "pre-training and the reduced evaluation protocol): the pre-training gets the whole budget.")
    boolean noDownstream;

    @CommandLine.Option(names = "--downstream-runs", paramLabel = "N", defaultValue = "2", description = "Final runs "
            + "per downstream task and model (default ${DEFAULT-VALUE}, at least 2).")
    int downstreamRuns;

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
                    System.err, noDownstream ? null : Demo.Downstream.defaults().withRuns(downstreamRuns));
        } catch (IllegalArgumentException e) {                     // --minutes, --max-epochs, --train out of range
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Demo.Result r = Demo.run(settings);
        Demo.summary(r).forEach(o::println);
        o.println("pictures: " + dir.resolve("pictures") + " (sentence→region attention; box = the finding)");
        o.println("curves:   " + dir.resolve("loss-train.png") + ", " + dir.resolve("loss-validation.png") + ", "
                + dir.resolve("grounding-validation.png"));
        if (r.downstream() != null) {
            Demo.DownstreamResult d = r.downstream();
            o.println("downstream: " + d.results() + " (downstream_<task>.csv as the original writes them, results.md)");
            List<Path> charts = d.suites().get(d.suites().size() - 1).charts();
            o.println("charts:   " + String.join(", ", charts.stream().map(Path::toString).toList()));
        }
        o.println("report:   " + dir.resolve(Demo.REPORT) + " (one page: tables, curves, pictures, embedding analysis)");
        o.println("results:  " + dir.resolve("results.json") + ", " + dir.resolve("grounding-test.csv")
                + " (one row per finding sentence), run folder " + dir.resolve("run"));
        o.flush();
        return 0;
    }
}
