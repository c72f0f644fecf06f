package org.lovt.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.text.BertCheckpoints;
import org.lovt.text.BertModel;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;

/**
 * Runs the BertModel of a Hugging Face model folder on the {@code input_ids}, {@code attention_mask} and (optional)
 * {@code token_type_ids} of an IO file in eval mode and compares {@code hidden_states.<i>},
 * {@code last_hidden_state} and {@code pooler_output}, all positions included.
 */
public final class BertVerifier {
    /** Fixture tolerance: 1e-5 absolute. */
    public static final double TOLERANCE = 1e-5;

    private BertVerifier() {}

    public static List<Comparison> verify(Path modelDir, Path ioFile) {
        Safetensors.Contents io = Safetensors.read(ioFile);
        List<Comparison> out = new ArrayList<>();
        try (Scope scope = Scope.open()) {
            BertModel model = BertCheckpoints.load(modelDir).model();
            model.eval();
            Tensor ids = input(io, ioFile, "input_ids");
            Tensor mask = io.tensors().containsKey("attention_mask") ? input(io, ioFile, "attention_mask")
                    : torch.ones_like(ids);
            Tensor types = io.tensors().containsKey("token_type_ids") ? input(io, ioFile, "token_type_ids")
                    : torch.zeros_like(ids);
            BertModel.Output o = model.forward(ids, mask, types);
            for (int i = 0; i < o.hiddenStates().size(); i++) {
                HostTensor ref = io.tensors().get("hidden_states." + i);
                if (ref != null) {
                    out.add(Comparison.of("hidden_states." + i, o.hiddenStates().get(i), ref, TOLERANCE, false));
                }
            }
            if (io.tensors().containsKey("last_hidden_state")) {
                out.add(Comparison.of("last_hidden_state", o.lastHiddenState(), io.tensor("last_hidden_state"),
                        TOLERANCE, false));
            }
            if (io.tensors().containsKey("pooler_output")) {
                out.add(Comparison.of("pooler_output", o.poolerOutput(), io.tensor("pooler_output"), TOLERANCE,
                        false));
            }
        }
        if (out.isEmpty()) {
            throw new LovtException(ioFile + ": no reference tensors (hidden_states.*, last_hidden_state, "
                    + "pooler_output)");
        }
        return out;
    }

    private static Tensor input(Safetensors.Contents io, Path ioFile, String name) {
        HostTensor t = io.tensors().get(name);
        if (t == null) {
            throw new LovtException(ioFile + ": no '" + name + "' tensor");
        }
        return Tensors.fromHost(t).to(torch.ScalarType.Long);
    }
}
