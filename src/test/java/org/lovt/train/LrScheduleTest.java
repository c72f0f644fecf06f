package org.lovt.train;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovt.model.LovtModels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LR schedules against spec lovt-model §4.7 / §6.2. */
class LrScheduleTest {

    /** PyTorch 1.10's recursive CosineAnnealingLR update, stepped t times (eta_min = 0). */
    static double recursiveCosine(double base, long tMax, long steps) {
        double lr = base;
        for (long t = 1; t <= steps; t++) {
            if ((t - 1 - tMax) % (2 * tMax) == 0) {
                lr = lr + base * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lr = (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * lr;
            }
        }
        return lr;
    }

    @Test
    void lovtCosineIsATwoEpochWave() {
        long s = 40;
        LrSchedule lr = LrSchedule.of(Experiments.model("LoVT_100", List.of()), s);
        assertEquals(1e-4, lr.lr(0), 1e-18);
        assertEquals(5e-5, lr.lr(s / 2), 1e-15);
        assertEquals(0.0, lr.lr(s), 1e-15);
        assertEquals(5e-5, lr.lr(3 * s / 2), 1e-15);
        assertEquals(1e-4, lr.lr(2 * s), 1e-15);
        for (long t = 0; t <= 5 * s; t += 7) {
            assertEquals(recursiveCosine(1e-4, s, t), lr.lr(t), 1e-15, "step " + t);
        }
    }

    @Test
    void convirtReducesOnPlateau() {
        LrSchedule lr = LrSchedule.of(Experiments.model("ConVIRT_100", List.of()), 10);
        assertTrue(lr instanceof LrSchedule.ReduceOnPlateau);
        lr.onValidation(1.0);
        for (int i = 0; i < 12; i++) {
            lr.onValidation(1.0);                          // 12 bad epochs: patience not yet exceeded
        }
        assertEquals(1e-4, lr.lr(0), 0.0);
        lr.onValidation(0.99995);                          // better by less than the 1e-4 relative threshold: bad
        assertEquals(5e-5, lr.lr(0), 1e-18, "factor 0.5 after patience 12 is exceeded");
        LrSchedule restored = LrSchedule.of(Experiments.model("ConVIRT_100", List.of()), 10);
        restored.restore(lr.state());
        assertEquals(lr.lr(0), restored.lr(0), 0.0);
        lr.onValidation(0.5);
        restored.onValidation(0.5);
        assertEquals(lr.state(), restored.state());
    }
}
