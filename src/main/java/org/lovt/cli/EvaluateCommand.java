package org.lovt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lovt.api.DownstreamEvaluation;
import org.lovt.api.DownstreamSuite;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lovt evaluate TASK --backbone SOURCE}: one downstream evaluation run (train, pick the best epoch, test). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a backbone on one of the paper's 18 localized downstream tasks: train the task's head "
                + "(YOLOv3, U-Net or linear) on a prepared data set with the original protocol, keep the best epoch "
                + "by the validation metric and test it. Writes a run folder with evaluation.json, metrics.jsonl/.csv, "
                + "checkpoints/ and test_results.json; it appears under its name only when complete.",
                "Tasks: rsna_finetune_{1,10,100}, rsna_frozen_{1,10,100}, rsna_seg_linear_{1,10,100}, "
                        + "covid_unet_finetune, covid_unet_frozen, covid_linear, pneumothorax_unet_finetune_100, "
                        + "pneumothorax_unet_frozen_100, object_finetune_100, object_frozen_100, "
                        + "object_seg_linear_100, nih_seg_linear."})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "TASK", arity = "0..1",
            description = "The task key, e.g. rsna_frozen_10 (or --suite paper for the whole protocol).")
    String task;

    @CommandLine.Option(names = "--suite", paramLabel = "paper",
            description = "Run the paper's protocol over the tasks (all 18 or --tasks): per task the lr grid, the best "
                    + "lr by the validation metric, then --runs runs; writes downstream_<task>.csv, results.md and a "
                    + "chart per task into --out (default: results). Resumable: run the same command again after an "
                    + "interruption.")
    String suite;

    @CommandLine.Option(names = "--name", paramLabel = "NAME",
            description = "With --suite: the model's row name in the tables (default: from the backbone source).")
    String name;

    @CommandLine.Option(names = "--tasks", paramLabel = "a,b,...", split = ",",
            description = "With --suite: only these tasks, in this order.")
    java.util.List<String> tasks;

    @CommandLine.Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "With --suite: final runs per task (default: ${DEFAULT-VALUE}, the original's).")
    int runs;

    @CommandLine.Option(names = "--max-lrs", paramLabel = "N", defaultValue = "0",
            description = "With --suite: try only the first N lrs of each grid (default: ${DEFAULT-VALUE} = the whole "
                    + "grid, the original; with 1 the runs use the grid's first lr without a trial).")
    int maxLrs;

    @CommandLine.Option(names = "--data-root", paramLabel = "DIR",
            description = "With --suite: a folder with the prepared data sets as sub-folders rsna/, covid/, siim/, "
                    + "object-cxr/, nih/ (default: the user config's data.<dataset>.path).")
    Path dataRoot;

    @CommandLine.Option(names = "--quick",
            description = "With --suite: try the protocol in minutes, not for results: input 64 px, at most 3 epochs, "
                    + "batches of at most 8, YOLOv3 head widths / 8 (explicit sizes win).")
    boolean quick;

    @CommandLine.Option(names = "--backbone", required = true, paramLabel = "SOURCE",
            description = "A pre-training run folder, a backbone_weights.safetensors, an original LoVT .ckpt, a "
                    + "torchvision .pth, 'random', 'random:SOURCE' (SOURCE's architecture freshly initialised) or "
                    + "'imagenet' (the user config's models.pretrained.resnet50_imagenet).")
    String backbone;

    @CommandLine.Option(names = "--data", paramLabel = "DIR",
            description = "The prepared data set (lovt prepare ...; default: the user config's data.<dataset>.path).")
    Path data;

    @CommandLine.Option(names = "--out", paramLabel = "DIR",
            description = "The run folder to create (default: runs/eval/<task>-<timestamp>).")
    Path out;

    @CommandLine.Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: the task's).")
    Double lr;

    @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "12345",
            description = "Seed (default: ${DEFAULT-VALUE}, the original's).")
    long seed;

    @CommandLine.Option(names = "--max-epochs", paramLabel = "N", description = "Epoch limit (default: the task's).")
    Integer maxEpochs;

    @CommandLine.Option(names = "--batch-size", paramLabel = "N", description = "Batch size (default: the task's).")
    Integer batchSize;

    @CommandLine.Option(names = "--input-size", paramLabel = "PX",
            description = "Input side, a multiple of 32 (default: 224; smaller only for quick checks).")
    Integer inputSize;

    @CommandLine.Option(names = "--head-width-divisor", paramLabel = "N",
            description = "Divide the YOLOv3 head's widths (default: 1 = the original; quick checks).")
    Integer headWidthDivisor;

    @CommandLine.Option(names = "--workers", paramLabel = "N", description = "Image-decoding threads.")
    Integer workers;

    @CommandLine.Option(names = "--no-feature-cache",
            description = "Frozen tasks: run the backbone every epoch as the original does, instead of once per image.")
    boolean noFeatureCache;

    @CommandLine.Option(names = "--user-config", paramLabel = "FILE",
            description = "User config (default: $LOVT_USER_CONFIG or ~/.config/lovt/user.yaml).")
    Path userConfig;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = new PrintStream(new PretrainCommand.WriterOutputStream(spec.commandLine().getErr()), true);
        if (suite != null) {
            return suite(out, log);
        }
        if (task == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a TASK or --suite paper");
        }
        if (name != null || tasks != null || dataRoot != null || quick || maxLrs != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--name, --tasks, --max-lrs, --data-root and --quick go with --suite paper");
        }
        DownstreamEvaluation.Builder b = DownstreamEvaluation.builder(task).backbone(backbone).data(data).out(this.out)
                .seed(seed).inputSize(inputSize != null ? inputSize : 224)
                .headWidthDivisor(headWidthDivisor != null ? headWidthDivisor : 1).featureCache(!noFeatureCache)
                .userConfig(userConfig).log(log);
        if (lr != null) {
            b.learningRate(lr);
        }
        if (maxEpochs != null) {
            b.maxEpochs(maxEpochs);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (workers != null) {
            b.workers(workers);
        }
        DownstreamEvaluation.Result r = b.run();
        out.printf("lovt: %s %s %.4f (best epoch %d of %d%s)%n", task, "test/" + r.headlineMetric(), r.headline(),
                r.bestEpoch() + 1, r.epochs(), r.stoppedEarly() ? ", stopped early" : "");
        for (Map.Entry<String, Double> e : r.test().entrySet()) {
            out.printf("  %s %.6f%n", e.getKey(), e.getValue());
        }
        out.println("lovt: run folder " + r.runDir());
        out.flush();
        return 0;
    }

    private int suite(PrintWriter out, PrintStream log) {
        if (!suite.equals("paper")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--suite: the only suite is 'paper'");
        }
        if (task != null || lr != null || data != null || spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--suite paper takes no TASK, --lr, --seed or "
                    + "--data (use --tasks and --data-root; the protocol chooses lrs and seeds)");
        }
        DownstreamSuite.Builder b = DownstreamSuite.builder().backbone(backbone).name(name).runs(runs).maxLrs(maxLrs)
                .quick(quick).dataRoot(dataRoot).featureCache(!noFeatureCache).userConfig(userConfig).log(log)
                .out(this.out != null ? this.out : Path.of("results"));
        if (tasks != null) {
            b.tasks(tasks);
        }
        if (inputSize != null) {
            b.inputSize(inputSize);
        }
        if (headWidthDivisor != null) {
            b.headWidthDivisor(headWidthDivisor);
        }
        if (maxEpochs != null) {
            b.maxEpochs(maxEpochs);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (workers != null) {
            b.workers(workers);
        }
        DownstreamSuite.Result r = b.run();
        out.printf("lovt: %s evaluated on %d tasks (test metric ×100, mean±95 %% interval over the runs)%n", r.name(),
                r.tasks().size());
        for (DownstreamSuite.TaskOutcome t : r.tasks()) {
            out.printf("  %-32s %-18s %6.1f±%s  (lr %s, %d runs)%n", t.task(), t.headlineMetric(), 100 * t.mean(),
                    Double.isNaN(t.interval95()) ? "–" : String.format(java.util.Locale.ROOT, "%.1f",
                            100 * t.interval95()), t.lr(), t.runs().size());
        }
        out.println("lovt: tables " + r.out().resolve("downstream_<task>.csv") + ", " + r.resultsMd() + ", "
                + r.charts().size() + " charts");
        out.flush();
        return 0;
    }
}
