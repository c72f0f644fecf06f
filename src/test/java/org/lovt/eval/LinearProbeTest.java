package org.lovt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

/**
 * The frozen-features linear probe on a toy segmentation that a 1×1 convolution can solve: 8×8 feature maps whose
 * first channel is +1 on the target cells and -1 elsewhere (the second is noise), targets at 32×32 (each cell a 4×4
 * block). Bilinear upsampling of ±1 crosses zero exactly at the cell borders, so a head with a positive weight on the
 * first channel and none on the noise segments the blocks exactly; after 100 short epochs the bias and the noise
 * weight still move a few border pixels (Dice 0.944 here).
 */
class LinearProbeTest {
    static final int N = 24;
    static final int GRID = 8;
    static final int SIZE = 32;

    /** {features (N, 2, 8, 8), masks (N, 1, 32, 32)} of random block masks. */
    static Tensor[] toy(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] f = new float[N * 2 * GRID * GRID];
        float[] y = new float[N * SIZE * SIZE];
        for (int n = 0; n < N; n++) {
            for (int cell = 0; cell < GRID * GRID; cell++) {
                boolean on = rnd.nextDouble() < 0.3;
                f[(n * 2) * GRID * GRID + cell] = on ? 1f : -1f;
                f[(n * 2 + 1) * GRID * GRID + cell] = (float) rnd.nextGaussian();
                int r = cell / GRID;
                int c = cell % GRID;
                for (int dy = 0; dy < SIZE / GRID; dy++) {
                    for (int dx = 0; dx < SIZE / GRID; dx++) {
                        y[n * SIZE * SIZE + (r * 4 + dy) * SIZE + c * 4 + dx] = on ? 1f : 0f;
                    }
                }
            }
        }
        return new Tensor[] {Tensors.floats(f, N, 2, GRID, GRID), Tensors.floats(y, N, 1, SIZE, SIZE)};
    }

    @Test
    void learnsASeparableSegmentation() {
        try (Scope s = Scope.open()) {
            Tensor[] train = toy(1);
            Tensor[] test = toy(2);
            LinearProbe.Options o = new LinearProbe.Options(100, 8, 5e-2, 7);
            LinearProbe probe = LinearProbe.fit(train[0], train[1], o);
            double dice = probe.dice(test[0], test[1]);
            assertTrue(dice > 0.9, "Dice on held-out toy maps: " + dice);
            assertEquals(dice, LinearProbe.fit(train[0], train[1], o).dice(test[0], test[1]),
                    "the seed fixes the head's initialisation, and with it the result");
            assertEquals(java.util.List.of(N + 0L, 1L, (long) SIZE, (long) SIZE),
                    java.util.Arrays.stream(Tensors.shape(probe.logits(test[0]))).boxed().toList());
            // Features that say nothing about the target segment it far worse.
            Tensor noise = test[0].flip(new long[] {0});
            assertTrue(probe.dice(noise, test[1]) < 0.6, "Dice against other images' features");
        }
    }

    @Test
    void shapesThatDoNotFitFailClearly() {
        try (Scope s = Scope.open()) {
            Tensor[] t = toy(3);
            LinearProbe.Options o = new LinearProbe.Options(1, 8, 1e-2, 7);
            LovtException e = assertThrows(LovtException.class,
                    () -> LinearProbe.fit(t[0], t[1].narrow(0, 0, N - 1), o));
            assertTrue(e.getMessage().contains(N + " feature maps but " + (N - 1) + " masks"), e.getMessage());
            e = assertThrows(LovtException.class, () -> LinearProbe.fit(t[0].flatten(2, 3), t[1], o));
            assertTrue(e.getMessage().contains("features must be 4-D"), e.getMessage());
            LinearProbe probe = LinearProbe.fit(t[0], t[1], o);
            e = assertThrows(LovtException.class, () -> probe.dice(t[0].narrow(1, 0, 1), t[1]));
            assertTrue(e.getMessage().contains("trained on 2 feature channels, got 1"), e.getMessage());
            e = assertThrows(LovtException.class, () -> probe.dice(t[0], t[1].narrow(2, 0, 16)));
            assertTrue(e.getMessage().contains("do not fit the head's output"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Options(0, 8, 1e-2, 7));
        }
    }
}
