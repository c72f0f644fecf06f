package org.lovt.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.torch.HostTensor;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;

/**
 * Loading Hugging Face BERT checkpoints into {@link BertModel}, including old TF-converted ones such as
 * Bio_ClinicalBERT. This class holds the project's one remapping table for BERT names.
 */
public final class BertCheckpoints {
    private BertCheckpoints() {}

    /** What loading a model folder did. */
    public record Loaded(BertModel model, Path weights, List<String> ignored, StateDict.LoadReport report) {}

    /**
     * Maps a checkpoint key to a {@code BertModel} key, or null for entries a BertModel does not have:
     * <ul>
     *   <li>{@code bert.} prefix (BertForPreTraining / BertForMaskedLM checkpoints) is removed;</li>
     *   <li>TF-era LayerNorm names {@code gamma}/{@code beta} become {@code weight}/{@code bias};</li>
     *   <li>pre-training heads ({@code cls.*}) and the constant {@code embeddings.position_ids} buffer are dropped.</li>
     * </ul>
     */
    public static String toBertModelKey(String key) {
        String k = key.startsWith("bert.") ? key.substring(5) : key;
        if (k.startsWith("cls.") || k.equals("embeddings.position_ids")) {
            return null;
        }
        if (k.endsWith("LayerNorm.gamma")) {
            k = k.substring(0, k.length() - "gamma".length()) + "weight";
        } else if (k.endsWith("LayerNorm.beta")) {
            k = k.substring(0, k.length() - "beta".length()) + "bias";
        }
        return k;
    }

    /** Applies {@link #toBertModelKey} to a whole checkpoint, collecting the dropped names. */
    public static LinkedHashMap<String, HostTensor> remap(Map<String, HostTensor> checkpoint, List<String> dropped) {
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : checkpoint.entrySet()) {
            String k = toBertModelKey(e.getKey());
            if (k == null) {
                dropped.add(e.getKey());
            } else if (out.put(k, e.getValue()) != null) {
                throw new LovtException("checkpoint has two entries for BertModel key '" + k + "'");
            }
        }
        return out;
    }

    /** The weights file of a Hugging Face model folder: {@code model.safetensors}, else {@code pytorch_model.bin}. */
    public static Path weightsFile(Path modelDir) {
        for (String name : new String[] {"model.safetensors", "pytorch_model.bin"}) {
            Path p = modelDir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new LovtException(modelDir + ": no model.safetensors or pytorch_model.bin in the model folder");
    }

    /** Reads the tensors of a weights file (safetensors or torch.save), by content. */
    static Map<String, HostTensor> readWeights(Path file) {
        return org.lovt.torch.io.TensorFiles.read(file);
    }

    /**
     * Builds a BertModel from a Hugging Face folder ({@code config.json} + weights). Every BertModel parameter must
     * be present (a missing one is an error listing them); entries a BertModel does not use are reported in
     * {@link Loaded#ignored()}.
     */
    public static Loaded load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new LovtException(modelDir + ": not a model folder");
        }
        BertConfig config = BertConfig.fromJson(modelDir.resolve("config.json"));
        Path weights = weightsFile(modelDir);
        List<String> ignored = new ArrayList<>();
        Map<String, HostTensor> tensors = remap(readWeights(weights), ignored);
        BertModel model = new BertModel(config);
        StateDict.LoadReport report = StateDict.fromHost(tensors).loadInto(model, false);
        if (!report.missing().isEmpty()) {
            throw new LovtException(weights + ": missing BertModel weights " + report.missing());
        }
        ignored.addAll(report.unexpected());
        return new Loaded(model, weights, List.copyOf(ignored), report);
    }
}
