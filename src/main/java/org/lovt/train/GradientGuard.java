package org.lovt.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Scope;

/**
 * The NaN guard: the run stops with a {@link TrainingDivergedException} when a batch's {@code total_loss} is not
 * finite, or when, before the optimizer applies them, a gradient is not finite. A finite loss does not imply finite
 * gradients (a faulty kernel, an overflow in a backward pass), and one NaN step ruins the weights and the Adam
 * moments for good. The message names the last good checkpoint, which nothing overwrites after the failure.
 */
public final class GradientGuard implements TrainListener<Object> {
    private final Module model;
    private final Checkpoints checkpoints;

    /**
     * Watches every parameter of {@code model} that requires a gradient; {@code checkpoints} (nullable) is where
     * the last good checkpoint is looked up for the message.
     */
    public GradientGuard(Module model, Checkpoints checkpoints) {
        this.model = model;
        this.checkpoints = checkpoints;
    }

    @Override
    public void afterBackward(Fit fit, Object batch, Map<String, Double> metrics) {
        Double total = metrics.get("total_loss");
        if (total != null && !Double.isFinite(total)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "the loss became %s at batch %d of the run (losses %s); training stopped, no checkpoint was "
                            + "written after the last good one%s", total, fit.state().microSteps(), metrics,
                    lastGood()));
        }
    }

    @Override
    public void beforeOptimizerStep(Fit fit) {
        List<String> bad = nonFinite();
        if (!bad.isEmpty()) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "a gradient became NaN or infinite at batch %d of the run (the loss was finite) in %d parameter(s): "
                            + "%s; training stopped before the optimizer step, no checkpoint was written after the last "
                            + "good one%s", fit.state().microSteps(), bad.size(), bad.size() > 8
                            ? String.join(", ", bad.subList(0, 8)) + ", ..." : String.join(", ", bad), lastGood()));
        }
    }

    private String lastGood() {
        if (checkpoints == null) {
            return "";
        }
        return checkpoints.resolve(Checkpoints.LAST).map(p -> " (" + p + ")").orElse(" (there is none)");
    }

    /** The names of the parameters whose gradient holds a NaN or an infinity (empty when all are finite). */
    List<String> nonFinite() {
        try (Scope s = Scope.open()) {
            // Fetched afresh in this scope: the dictionary's tensors are references into it and die with it.
            StringTensorDict all = model.named_parameters(true);
            TensorVector finite = new TensorVector();
            List<String> names = new ArrayList<>();
            for (long i = 0; i < all.size(); i++) {
                Tensor p = all.get(i).value();
                if (p.requires_grad() && p.grad().defined()) {
                    finite.push_back(p.grad().isfinite().all());     // () bool
                    names.add(all.get(i).key().getString());
                }
            }
            if (names.isEmpty() || torch.stack(new TensorArrayRef(finite)).all().item_bool()) {
                return List.of();                                     // one device sync in the common case
            }
            List<String> bad = new ArrayList<>();
            for (int j = 0; j < names.size(); j++) {
                if (!finite.get(j).item_bool()) {
                    bad.add(names.get(j));
                }
            }
            return bad;
        }
    }
}
