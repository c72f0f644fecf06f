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

/** {@code lovt demo}: LoVT learns to ground report sentences in synthetic chest X-rays, in minutes on a CPU. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate synthetic chest X-rays with reports, pre-train a small LoVT on them, and show how much "
                + "better it links sentences to image regions than the untrained model (numbers and pictures).")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--minutes", defaultValue = "8", description = "Time budget (default ${DEFAULT-VALUE}).")
    double minutes;

    @CommandLine.Option(names = "--train", defaultValue = "1200", description = "Training studies (default "
            + "${DEFAULT-VALUE}).")
    int train;

    @CommandLine.Option(names = "--seed", defaultValue = "12345", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/demo-<time>).")
    Path out;

    @CommandLine.Option(names = "--global-only", description = "Control run without the local losses.")
    boolean globalOnly;

    @CommandLine.Parameters(paramLabel = "OVERRIDES", arity = "0..*",
            description = "Config overrides on top of the demo's (e.g. pretrain_model.learning_rate=2e-3).")
    List<String> overrides = new java.util.ArrayList<>();

    private List<String> extra() {
        List<String> all = new java.util.ArrayList<>(globalOnly ? Demo.GLOBAL_ONLY : List.of());
        all.addAll(overrides);
        return all;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path dir = out != null ? out : Path.of("runs", "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        Demo.Result r = Demo.run(new Demo.Settings(seed, train, 200, 200, minutes, dir, threads,
                extra(), 6, System.err));
        Demo.summary(r).forEach(o::println);
        o.println("pictures: " + dir.resolve("pictures") + " (sentence→region attention; box = the finding)");
        o.println("curves:   " + dir.resolve("loss-train.png") + ", " + dir.resolve("loss-validation.png") + ", "
                + dir.resolve("grounding-validation.png"));
        o.println("results:  " + dir.resolve("results.json") + ", run folder " + dir.resolve("run"));
        o.flush();
        return 0;
    }
}
