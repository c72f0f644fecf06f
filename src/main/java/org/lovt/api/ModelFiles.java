package org.lovt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.lovt.LovtException;
import org.lovt.model.PretrainedModels;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.text.BertConfig;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.Safetensors;
import org.lovt.train.Checkpoints;
import org.lovt.util.AtomicFiles;
import org.lovt.vision.ResNetConfig;

/**
 * The files beside a run's weights that make it loadable on its own: {@code model.json} (language model
 * architecture, tokenizer casing, scan preprocessing) and {@code vocab.txt}; and the self-describing backbone
 * export.
 */
final class ModelFiles {
    static final String MODEL_JSON = "model.json";
    static final String VOCAB = "vocab.txt";
    static final String BACKBONE = "backbone_weights.safetensors";
    static final String FORMAT = "lovt-run-model/1";
    /** Key prefix of the scan backbone in a LoVT state dict (the original LightningModule's names). */
    static final String BACKBONE_PREFIX = "model_a.encoder.feature_extractor.backbone_layers.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    /**
     * What a run's model needs besides its config and weights.
     *
     * @param format       {@link #FORMAT}
     * @param bert         the language model's architecture (vocabulary size included)
     * @param lowercase    whether the tokenizer lower-cases
     * @param vocab        the vocabulary file, relative to the run folder
     * @param scan         the scan preprocessing and backbone
     */
    record RunModel(String format, BertConfig bert, boolean lowercase, String vocab, ScanInfo scan) {}

    /**
     * A scan backbone and the preprocessing it was trained with.
     *
     * @param architecture       {@code resnet50}
     * @param layers             bottleneck blocks per stage
     * @param stemWidth          channels of the stem
     * @param inputSize          side of the square input
     * @param pixelMean          mean of the training pixels in [0, 1]
     * @param pixelStd           their standard deviation
     * @param regionFeatureLayer the feature map whose cells are the regions ({@code conv5} = layer4)
     * @param valResizeMode      how inputs are made square ({@code pad}, {@code center_crop}, {@code resize})
     */
    record ScanInfo(String architecture, int[] layers, int stemWidth, int inputSize, double pixelMean,
                    double pixelStd, String regionFeatureLayer,
                    org.lovt.data.image.ScanAugmentationConfig.ValResizeMode valResizeMode) {
        ResNetConfig resnet() {
            return new ResNetConfig(layers, stemWidth, 0);
        }
    }

    static ScanInfo scanInfo(ScanEncoderConfig c, ResNetConfig resnet, double mean, double std) {
        return new ScanInfo("resnet50", resnet.layers(), resnet.stemWidth(), c.inputSize().get(0), mean, std,
                c.regionFeatureLayer(), c.dataAugmentation().valResizeMode());
    }

    /** Writes {@code vocab.txt} and {@code model.json}; a resumed run's must describe the same model. */
    static void writeRunFiles(Path runDir, PretrainedModels.Assembled a, double mean, double std) {
        Path vocab = runDir.resolve(VOCAB);
        try {
            if (a.vocab() != null) {
                AtomicFiles.writeString(vocab, String.join("\n", a.vocab()) + "\n");
            } else if (a.languageModelFolder() != null && !Files.isRegularFile(vocab)) {
                Path source = a.languageModelFolder().resolve("vocab.txt");
                if (!Files.isRegularFile(source)) {
                    throw new LovtException(a.languageModelFolder() + ": no vocab.txt to keep with the run");
                }
                AtomicFiles.writeString(vocab, Files.readString(source));
            }
            var scan = a.model().scanEncoder();
            RunModel m = new RunModel(FORMAT, a.model().reportEncoder().languageModel().config(), true, VOCAB,
                    scanInfo(scan.config(), scan.backbone().config(), mean, std));
            String json = JSON.writeValueAsString(m);
            Path file = runDir.resolve(MODEL_JSON);
            if (Files.isRegularFile(file)) {
                if (!JSON.readTree(file.toFile()).equals(JSON.readTree(json))) {
                    throw new LovtException(file + ": the run was started with another model or other pixel "
                            + "statistics; start a new run folder");
                }
            } else {
                AtomicFiles.writeString(file, json);
            }
        } catch (IOException e) {
            throw new LovtException("cannot write the model description in " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a run's {@code model.json}. */
    static RunModel readRunModel(Path runDir) {
        Path file = runDir.resolve(MODEL_JSON);
        if (!Files.isRegularFile(file)) {
            throw new LovtException(runDir + ": not a run folder of this version (no " + MODEL_JSON
                    + "; runs written by `lovt pretrain` since the public API have one)");
        }
        RunModel m;
        try {
            m = JSON.readValue(file.toFile(), RunModel.class);
        } catch (IOException e) {
            throw new LovtException(file + ": unreadable model description: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new LovtException(file + ": format '" + m.format() + "', expected '" + FORMAT + "'");
        }
        if (m.bert() == null || m.scan() == null || m.vocab() == null) {
            throw new LovtException(file + ": incomplete model description (bert, scan and vocab are required)");
        }
        return m;
    }

    /** The checkpoint folder a run's weights are read from: {@code best}, else {@code last}. */
    static Optional<Path> bestCheckpoint(Path runDir) {
        Checkpoints c = new Checkpoints(runDir.resolve("checkpoints"));
        return c.resolve(Checkpoints.BEST).or(() -> c.resolve(Checkpoints.LAST));
    }

    /**
     * Writes the best (else last) checkpoint's scan backbone as {@code backbone_weights.safetensors} with
     * torchvision names (no {@code fc}) and the metadata {@link ScanBackbone#load} checks.
     */
    static Optional<Path> exportBackbone(Path runDir, Checkpoints ckpts) {
        var best = ckpts.resolve(Checkpoints.BEST).or(() -> ckpts.resolve(Checkpoints.LAST));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        Map<String, HostTensor> all = Safetensors.read(best.get().resolve("model.safetensors")).tensors();
        Map<String, HostTensor> backbone = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(BACKBONE_PREFIX)) {
                backbone.put(k.substring(BACKBONE_PREFIX.length()), v);
            }
        });
        if (backbone.isEmpty()) {
            throw new LovtException(best.get() + ": the checkpoint holds no scan backbone (" + BACKBONE_PREFIX
                    + "*)");
        }
        ScanInfo scan = readRunModel(runDir).scan();
        Path out = runDir.resolve(BACKBONE);
        Safetensors.write(out, backbone, ScanBackbone.metadata(scan, runDir.toAbsolutePath().normalize().getFileName().toString(),
                best.get().getFileName().toString()));
        return Optional.of(out);
    }

    static List<String> readVocab(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read the vocabulary: " + e.getMessage(), e);
        }
    }
}
