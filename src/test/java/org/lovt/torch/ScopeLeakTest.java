package org.lovt.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One scope per step keeps native memory flat (DESIGN principle 5); a kept tensor survives its scope. */
class ScopeLeakTest {

    static long rssKiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /** A training-like step: 8 MiB of temporaries with autograd. */
    static double step() {
        Tensor w = torch.randn(1024, 1024).requires_grad_(true);
        Tensor x = torch.randn(256, 1024);
        Tensor loss = x.matmul(w).relu().pow(new org.bytedeco.pytorch.Scalar(2.0)).mean();
        loss.backward();
        return loss.item_double() + w.grad().sum().item_double();
    }

    @Test
    void rssStaysFlatOverManyScopedSteps() throws IOException {
        for (int i = 0; i < 20; i++) {          // warm-up: allocator pools, thread pools, JIT
            try (Scope s = Scope.open()) {
                step();
            }
        }
        long before = rssKiB();
        for (int i = 0; i < 150; i++) {
            try (Scope s = Scope.open()) {
                step();
            }
        }
        long growthMiB = (rssKiB() - before) / 1024;
        // Measured without a scope: the same 150 steps grew RSS by about 2.2 GiB.
        assertTrue(growthMiB < 64, "RSS grew by " + growthMiB + " MiB over 150 steps");
    }

    @Test
    void keptTensorOutlivesItsScope() {
        Tensor kept;
        try (Scope s = Scope.open()) {
            kept = s.keep(Tensors.floats(new float[] {1, 2, 3}, 3));
            Tensors.floats(new float[] {9}, 1);
        }
        assertEquals(6.0, kept.sum().item_double(), 0.0);
        kept.releaseReference();
    }
}
