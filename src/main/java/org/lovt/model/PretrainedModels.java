package org.lovt.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.lovt.LovtException;
import org.lovt.config.UserConfig;
import org.lovt.text.BertCheckpoints;
import org.lovt.text.BertConfig;
import org.lovt.text.BertModel;
import org.lovt.text.VocabBuilder;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.torch.HostTensor;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.TensorFiles;
import org.lovt.vision.ResNet;

/**
 * Assembles a {@link LovtModel} for pre-training with the pre-trained weights the config asks for, taken from local
 * files named in the user config (nothing is downloaded):
 * <ul>
 *   <li>scan backbone: {@code models.pretrained.resnet50_imagenet} (torchvision {@code .pth} or safetensors; its
 *       {@code fc} is dropped) when {@code backbone_pretrained: true};</li>
 *   <li>language model: {@code language_encoder} is a local Hugging Face folder, or Bio_ClinicalBERT's name with
 *       {@code models.pretrained.bio_clinicalbert} pointing to its folder (config, vocab.txt, weights).</li>
 * </ul>
 * Whatever is missing starts from random initialisation, and the returned notes say so. Without any vocabulary a
 * WordPiece vocabulary is built from the training reports (and must be kept with the run: {@code vocab.txt}).
 */
public final class PretrainedModels {
    /** Maximum size of a vocabulary built from the training reports. */
    public static final int BUILT_VOCAB_SIZE = 30_000;

    private PretrainedModels() {}

    /**
     * The assembled model, its tokenizer, what was loaded from where, a built vocabulary (or null), and the local
     * Hugging Face folder the language model and its vocabulary came from (or null).
     */
    public record Assembled(LovtModel model, WordPieceTokenizer tokenizer, List<String> notes, List<String> vocab,
                            Path languageModelFolder) {}

    /**
     * @param existingVocab a run's saved {@code vocab.txt} (resume), or null
     * @param corpus        the training reports' sentences, read only if a vocabulary has to be built
     */
    public static Assembled assemble(BiModalModelConfig c, UserConfig user, Path existingVocab,
                                     Supplier<Iterable<String>> corpus) {
        List<String> notes = new ArrayList<>();
        ScanEncoder scan = new ScanEncoder(c.encoderA(), Backbones.resnet(c.encoderA()));
        loadScanBackbone(scan, c.encoderA(), user, notes);

        ReportEncoderConfig rc = c.encoderB();
        Path folder = languageModelFolder(rc.languageEncoder(), user);
        BertModel bert;
        WordPieceTokenizer tok;
        List<String> built = null;
        if (folder != null) {
            bert = BertCheckpoints.load(folder).model();
            tok = WordPieceTokenizer.fromModelDir(folder, true);
            notes.add("language model: pre-trained weights and vocabulary from " + folder);
        } else {
            BertConfig arch = Backbones.bert(rc.languageEncoder());
            if (existingVocab != null && Files.isRegularFile(existingVocab)) {
                tok = WordPieceTokenizer.fromVocab(existingVocab, true);
                notes.add("language model: random init; vocabulary of this run from " + existingVocab);
            } else {
                VocabBuilder vb = new VocabBuilder();
                for (String s : corpus.get()) {
                    vb.add(s);
                }
                built = vb.build(BUILT_VOCAB_SIZE, 2);
                tok = WordPieceTokenizer.fromVocab(built, true, "vocabulary built from the training reports");
                String why = Backbones.BIO_CLINICAL_BERT.equals(rc.languageEncoder())
                        ? "no pre-trained " + rc.languageEncoder() + " found (set models.pretrained.bio_clinicalbert "
                                + "in the user config)"
                        : rc.languageEncoder() + " is trained from scratch";
                notes.add("language model: " + why + "; random init with a vocabulary of " + built.size()
                        + " tokens built from the training reports");
            }
            bert = new BertModel(new BertConfig(tok.vocabSize(), arch.hiddenSize(), arch.numHiddenLayers(),
                    arch.numAttentionHeads(), arch.intermediateSize(), arch.hiddenAct(), arch.hiddenDropoutProb(),
                    arch.attentionProbsDropoutProb(), arch.maxPositionEmbeddings(), arch.typeVocabSize(),
                    arch.initializerRange(), arch.layerNormEps(), tok.padId()));
        }
        ReportEncoder report = new ReportEncoder(rc, bert);
        return new Assembled(new LovtModel(c, scan, report), tok, notes, built, folder);
    }

    private static Path languageModelFolder(String languageEncoder, UserConfig user) {
        Path direct = Path.of(languageEncoder);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        String configured = user.models().pretrained().bioClinicalbert();
        if (Backbones.BIO_CLINICAL_BERT.equals(languageEncoder) && configured != null) {
            Path p = Path.of(configured);
            if (!Files.isDirectory(p)) {
                throw new LovtException("user config models.pretrained.bio_clinicalbert: " + p + " is not a folder");
            }
            return p;
        }
        return null;
    }

    private static void loadScanBackbone(ScanEncoder scan, ScanEncoderConfig c, UserConfig user, List<String> notes) {
        if (c.backboneCheckpoint() != null) {
            loadResNet(scan.backbone(), Path.of(c.backboneCheckpoint()));
            notes.add("scan backbone: weights from backbone_checkpoint " + c.backboneCheckpoint());
            return;
        }
        if (!c.backbonePretrained()) {
            notes.add("scan backbone: random init (backbone_pretrained: false)");
            return;
        }
        String path = user.models().pretrained().resnet50Imagenet();
        if (path == null) {
            notes.add("scan backbone: no ImageNet weights configured (models.pretrained.resnet50_imagenet in the user "
                    + "config); starting from random init");
            return;
        }
        loadResNet(scan.backbone(), Path.of(path));
        notes.add("scan backbone: ImageNet weights from " + path);
    }

    /** Loads torchvision ResNet weights into a backbone without fc (the checkpoint's fc.* entries are dropped). */
    public static void loadResNet(ResNet backbone, Path file) {
        Map<String, HostTensor> w = new java.util.LinkedHashMap<>(TensorFiles.read(file));
        w.keySet().removeIf(k -> k.startsWith("fc."));
        try {
            StateDict.fromHost(w).loadInto(backbone, true);
        } catch (LovtException e) {
            throw new LovtException(file + ": not a matching torchvision ResNet checkpoint: " + e.getMessage(), e);
        }
    }
}
