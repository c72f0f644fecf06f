package org.lovt.train;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.torch.Scope;

/**
 * The NaN guard for gradients: before the optimizer applies them, every gradient must be finite. A finite loss does
 * not imply finite gradients (a faulty kernel, an overflow in a backward pass), and one NaN step ruins the weights
 * and the Adam moments for good.
 */
final class GradientGuard {
    private final Module model;

    /** Watches every parameter of {@code model} that requires a gradient. */
    GradientGuard(Module model) {
        this.model = model;
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
