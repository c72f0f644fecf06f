package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.lovt.verify.BertVerifier;
import org.lovt.verify.Comparison;
import org.lovt.verify.LovtHeadsVerifier;
import org.lovt.verify.ResNetVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt verify ...}: checks a checkpoint conversion against reference tensors computed by PyTorch. Exit 0
 * when every reference tensor is within tolerance, 1 when one is not, 2 for unreadable input.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare the project's models with reference outputs computed by PyTorch (exit 0 only when "
                + "all are within tolerance).",
        subcommands = {VerifyCommand.Resnet.class, VerifyCommand.Bert.class, VerifyCommand.LovtHeads.class})
public final class VerifyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int report(PrintWriter out, List<Comparison> results) {
        long failed = results.stream().filter(c -> !c.passed()).count();
        for (Comparison c : results) {
            out.println(c.line());
        }
        out.printf("%d passed, %d failed%n", results.size() - failed, failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    @Command(name = "resnet", mixinStandardHelpOptions = true,
            description = "torchvision ResNet: eval/train forwards, loss gradients and BatchNorm statistics.")
    static final class Resnet implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--weights", required = true, paramLabel = "W",
                description = "Weights: safetensors or torch.save (.pth) with torchvision names.")
        Path weights;

        @CommandLine.Option(names = "--io", required = true, paramLabel = "IO",
                description = "Reference tensors (safetensors): input, eval.*, train.*, grad.*, after_train.*")
        Path io;

        @CommandLine.Option(names = "--stem-width", paramLabel = "N",
                description = "Stem width (default: read from conv1.weight).")
        Integer stemWidth;

        @CommandLine.Option(names = "--num-classes", paramLabel = "K",
                description = "Classes of fc (default: read from fc.weight; 0 without fc).")
        Integer numClasses;

        @Override
        public Integer call() {
            return report(spec.commandLine().getOut(), ResNetVerifier.verify(weights, io, stemWidth, numClasses));
        }
    }

    @Command(name = "bert", mixinStandardHelpOptions = true,
            description = "Hugging Face BertModel: hidden states, last hidden state and pooler output (eval).")
    static final class Bert implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--model-dir", required = true, paramLabel = "DIR",
                description = "Hugging Face folder: config.json + model.safetensors or pytorch_model.bin.")
        Path modelDir;

        @CommandLine.Option(names = "--io", required = true, paramLabel = "IO",
                description = "Reference tensors (safetensors): input_ids, attention_mask, token_type_ids, "
                        + "hidden_states.*, last_hidden_state, pooler_output.")
        Path io;

        @Override
        public Integer call() {
            return report(spec.commandLine().getOut(), BertVerifier.verify(modelDir, io));
        }
    }

    @Command(name = "lovt-heads", mixinStandardHelpOptions = true,
            description = "LoVT's alignment part (attention pools, heads, cross-attention, losses) in train mode on "
                    + "given encoder outputs: intermediates, losses, metrics, gradients, BatchNorm statistics.")
    static final class LovtHeads implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--params", required = true, paramLabel = "P",
                description = "Parameters with the original LightningModule names minus the backbones (safetensors).")
        Path params;

        @CommandLine.Option(names = "--io", required = true, paramLabel = "IO",
                description = "input.yl_a, input.yl_b, input.sentence_mask and the reference tensors (safetensors).")
        Path io;

        @CommandLine.Option(names = "--experiment", defaultValue = "LoVT_100", paramLabel = "NAME",
                description = "Experiment config giving the settings (sizes are read from the tensors). "
                        + "Default: ${DEFAULT-VALUE}.")
        String experiment;

        @Override
        public Integer call() {
            return report(spec.commandLine().getOut(), LovtHeadsVerifier.verify(params, io, experiment));
        }
    }
}
