package org.lovt.model;

import java.util.List;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.text.BertConfig;
import org.lovt.vision.ResNetConfig;

/**
 * Architectures of the backbones that configs name, so that a model can be built at full size without downloading
 * anything. Weights come separately from local files (user config).
 */
public final class Backbones {
    /** The language model every shipped report encoder names. */
    public static final String BIO_CLINICAL_BERT = "emilyalsentzer/Bio_ClinicalBERT";
    /**
     * A small BERT of this project (hidden 64, 2 layers, 4 heads, feed-forward 256) for quick runs on a CPU — the
     * demo and tests; always trained from scratch with a vocabulary built from the reports.
     */
    public static final String TINY_BERT = "lovt/tiny-bert";

    private Backbones() {}

    /** Bio_ClinicalBERT's architecture (its Hugging Face config.json; spec lovt-model §2.1). */
    public static BertConfig bioClinicalBert() {
        return new BertConfig(28996, 768, 12, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0);
    }

    /**
     * The ResNet of a scan encoder config: {@code backbone_model: [repo, resnet50]} is torchvision's ResNet-50 without
     * {@code fc}. {@code backbone_args} may shrink it for experiments on small machines: {@code stem_width} (64)
     * and {@code layers} ([3, 4, 6, 3]) — an extension of this project, not in the original.
     */
    public static ResNetConfig resnet(ScanEncoderConfig c) {
        return resnet(c.backboneModel(), c.backboneArgs());
    }

    /** The ResNet of a {@code backbone_model} reference and {@code backbone_args} (see {@link #resnet(ScanEncoderConfig)}). */
    public static ResNetConfig resnet(List<String> model, Map<String, Object> args) {
        String name = model == null || model.isEmpty() ? "resnet50" : model.get(model.size() - 1);
        if (!name.equals("resnet50")) {
            throw new LovtException("scan encoder backbone_model '" + name + "' is not supported (resnet50 only)");
        }
        for (String k : args.keySet()) {
            if (!k.equals("stem_width") && !k.equals("layers")) {
                throw new LovtException("scan encoder backbone_args: unknown key '" + k
                        + "' (supported: stem_width, layers)");
            }
        }
        int stem = args.containsKey("stem_width") ? ((Number) args.get("stem_width")).intValue() : 64;
        int[] layers = {3, 4, 6, 3};
        if (args.get("layers") instanceof List<?> l) {
            layers = l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        }
        return new ResNetConfig(layers, stem, 0);
    }

    /** The BERT architecture a report encoder config names (Bio_ClinicalBERT), when no local folder is given. */
    public static BertConfig bert(String languageEncoder) {
        if (BIO_CLINICAL_BERT.equals(languageEncoder)) {
            return bioClinicalBert();
        }
        if (TINY_BERT.equals(languageEncoder)) {
            return new BertConfig(30522, 64, 2, 4, 256, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0);
        }
        throw new LovtException("language_encoder '" + languageEncoder + "' has no built-in architecture (built in: "
                + BIO_CLINICAL_BERT + ", " + TINY_BERT + "); give a local Hugging Face folder (config.json) instead");
    }
}
