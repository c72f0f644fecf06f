package org.lovt.model;

import java.util.List;

import org.lovt.LovtException;

/** Building {@link LovtModel}s from configs. */
public final class LovtModels {
    private LovtModels() {}

    /**
     * The full model of a config with freshly initialised backbones of the architectures the config names
     * (ResNet-50, Bio_ClinicalBERT; see {@link Backbones}); pre-trained weights are loaded separately.
     */
    public static LovtModel build(BiModalModelConfig config) {
        ScanEncoder scan = new ScanEncoder(config.encoderA(), Backbones.resnet(config.encoderA()));
        ReportEncoder report = new ReportEncoder(config.encoderB(), Backbones.bert(config.encoderB().languageEncoder()));
        return new LovtModel(config, scan, report);
    }

    /**
     * Only the alignment part (aggregators, heads, cross-attention, objectives) for encoder outputs of the given
     * sizes: region features of {@code dA} and sentence features of {@code dB} channels.
     */
    public static LovtModel alignmentOnly(BiModalModelConfig config, long dA, long dB) {
        return new LovtModel(config, ScanEncoder.withoutBackbone(config.encoderA(), dA),
                ReportEncoder.withoutLanguageModel(config.encoderB(), dB));
    }

    /**
     * Loads an original LoVT Lightning checkpoint ({@code .ckpt}), a checkpoint written by this project (its
     * {@code model.safetensors}, or the checkpoint folder holding it) or any safetensors / torch.save file of the
     * model's state dict into a model with the same config; the format is recognised by the file's leading bytes.
     * Every model parameter and buffer must be present; entries the model does not have (the online evaluators'
     * heads, for instance) are returned. In torch.save files, objects of other classes (the hyper-parameters) are
     * skipped as inert placeholders; code-executing content is refused.
     */
    public static List<String> loadCheckpoint(LovtModel model, java.nio.file.Path checkpoint) {
        java.nio.file.Path file = java.nio.file.Files.isDirectory(checkpoint)
                ? checkpoint.resolve("model.safetensors") : checkpoint;
        java.util.Map<String, org.lovt.torch.HostTensor> sd = switch (org.lovt.torch.io.TensorFiles.sniff(file)) {
            case SAFETENSORS -> org.lovt.torch.io.Safetensors.read(file).tensors();
            case TORCH_ZIP, TORCH_LEGACY -> org.lovt.torch.io.TorchCheckpoint.read(file,
                    org.lovt.torch.io.TorchCheckpoint.Options.defaults().lenient(true)).stateDict();
            default -> throw new LovtException(file + ": not a model checkpoint (expected a LoVT .ckpt, this "
                    + "project's model.safetensors or a torch.save state dict)");
        };
        org.lovt.torch.StateDict.LoadReport r;
        try {
            r = org.lovt.torch.StateDict.fromHost(sd).loadInto(model, false);
        } catch (LovtException e) {
            throw new LovtException(file + ": does not fit the model: " + e.getMessage(), e);
        }
        if (!r.missing().isEmpty()) {
            throw new LovtException(file + ": " + r.missing().size() + " model entries are missing, e.g. "
                    + r.missing().subList(0, Math.min(5, r.missing().size())));
        }
        return r.unexpected();
    }
}
