package org.lovt.train;

import java.util.List;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient NaN guard names exactly the parameters whose gradients are not finite, even when the loss is. */
class GradientGuardTest {
    @Test
    void namesTheParametersWithNonFiniteGradientsWhileTheLossIsFinite() {
        try (Scope s = Scope.open()) {
            LinearImpl lin = new LinearImpl(3, 2);
            GradientGuard guard = new GradientGuard(lin, null);
            assertEquals(List.of(), guard.nonFinite(), "no gradient yet");

            lin.weight().pow(new org.bytedeco.pytorch.Scalar(2.0)).sum().add(lin.bias().sum()).backward();
            assertEquals(List.of(), guard.nonFinite());

            lin.zero_grad(true);
            try (NoGradGuard g = new NoGradGuard()) {
                lin.weight().zero_();
            }
            // sqrt(|w|) at w = 0: the loss is 0, its gradient 0 * inf = NaN.
            Tensor loss = lin.weight().abs().sqrt().sum().add(lin.bias().sum());
            assertTrue(Double.isFinite(loss.item_double()));
            loss.backward();
            assertEquals(List.of("weight"), guard.nonFinite());

            lin.zero_grad(true);
            lin.bias().div(new org.bytedeco.pytorch.Scalar(0.0)).mul(new org.bytedeco.pytorch.Scalar(0.0))
                    .nan_to_num().sum().backward();      // finite loss, infinite bias gradient
            assertEquals(List.of("bias"), guard.nonFinite());
        }
    }

    @Test
    void frozenParametersAreNotWatched() {
        try (Scope s = Scope.open()) {
            LinearImpl lin = new LinearImpl(3, 2);
            lin.weight().requires_grad_(false);
            GradientGuard guard = new GradientGuard(lin, null);
            lin.bias().sum().backward();
            assertEquals(List.of(), guard.nonFinite());
        }
    }
}
