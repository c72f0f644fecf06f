package org.lovt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lovt.api.Analysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt analyze RUN_DIR [--split test]}: the embedding statistics of a trained LoVT model on a data split, as one
 * row of the original's {@code analysis-test.csv}.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Embedding analysis of a pre-trained LoVT run: std, uniformity, covariance, distances and modality "
                + "assignment of every embedding space (the original's emb/<space>/<metric>), written as "
                + "RUN_DIR/analysis-<split>.csv.")
public final class AnalyzeCommand implements Callable<Integer> {
    /** The keys printed after the run (the spec's example values of LoVT_100). */
    static final List<String> SUMMARY = List.of("emb/yl_a/ch_std", "emb/yl_a/per_sample_uniformity", "emb/yg_a/ch_std",
            "emb/yg_a/uniformity", "emb/yl_b/ch_std", "emb/zl_a||zl_b/assignment_1to1",
            "emb/zl_a||zl_b/assignment_2to2", "emb/zg_a;zg_b/dist");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "RUN_DIR", description = "A pre-training run folder (lovt pretrain, lovt demo).")
    Path run;

    @CommandLine.Option(names = "--split", defaultValue = "test", description = "Data split (default ${DEFAULT-VALUE}).")
    String split;

    @CommandLine.Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the one the run was "
            + "trained from): a prepared MIMIC-CXR folder or a synthetic one.")
    Path data;

    @CommandLine.Option(names = "--max-samples", paramLabel = "N", defaultValue = "0",
            description = "Analyse the first N studies only (default: all).")
    int maxSamples;

    @CommandLine.Option(names = "--name", description = "The row's name (default: the run folder's name).")
    String name;

    @CommandLine.Option(names = "--out", paramLabel = "FILE", description = "Table file (default: "
            + "RUN_DIR/analysis-<split>.csv); an existing one keeps its other models' rows, so several runs can share "
            + "one table, as the paper's.")
    Path out;

    @CommandLine.Option(names = "--workers", defaultValue = "0", description = "Image-decoding threads.")
    int workers;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Analysis.Result r = Analysis.builder(run).split(split).data(data).maxSamples(maxSamples).name(name).out(out)
                .workers(workers).log(new PrintStream(new PretrainCommand.WriterOutputStream(spec.commandLine()
                        .getErr()), true)).run();
        w.printf(Locale.ROOT, "lovt: %d %s studies of %s analysed; %d metrics in %s%n", r.samples(), split, r.data(),
                r.metrics().size(), r.csv());
        for (String k : SUMMARY) {
            Double v = r.metrics().get(k);
            if (v != null) {
                w.printf(Locale.ROOT, "  %-34s %.5f%n", k, v);
            }
        }
        w.flush();
        return 0;
    }
}
