package org.lovt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lovt.api.DownstreamEvaluation;
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

    @CommandLine.Parameters(paramLabel = "TASK", description = "The task key, e.g. rsna_frozen_10.")
    String task;

    @CommandLine.Option(names = "--backbone", required = true, paramLabel = "SOURCE",
            description = "A pre-training run folder, a backbone_weights.safetensors, an original LoVT .ckpt, a "
                    + "torchvision .pth, 'random' or 'imagenet' (the user config's "
                    + "models.pretrained.resnet50_imagenet).")
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

    @CommandLine.Option(names = "--input-size", paramLabel = "PX", defaultValue = "224",
            description = "Input side, a multiple of 32 (default: ${DEFAULT-VALUE}; smaller only for quick checks).")
    int inputSize;

    @CommandLine.Option(names = "--head-width-divisor", paramLabel = "N", defaultValue = "1",
            description = "Divide the YOLOv3 head's widths (default: ${DEFAULT-VALUE} = the original; quick checks).")
    int headWidthDivisor;

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
        DownstreamEvaluation.Builder b = DownstreamEvaluation.builder(task).backbone(backbone).data(data).out(this.out)
                .seed(seed).inputSize(inputSize).headWidthDivisor(headWidthDivisor).featureCache(!noFeatureCache)
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
}
