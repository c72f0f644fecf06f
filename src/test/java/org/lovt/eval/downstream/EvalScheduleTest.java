package org.lovt.eval.downstream;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReduceLROnPlateau on the validation loss, and the fine-tuning warm-up with the per-batch lr reset (quirk §8.4). */
class EvalScheduleTest {
    private static void validate(EvalSchedule s, double loss) {
        s.onValidation(-0.5, Map.of("loss", loss, "mAP", 0.5));
    }

    @Test
    void frozenTasksHalveTheLrAfterMoreThanThreeEpochsWithoutARelativeImprovement() {
        EvalSchedule s = new EvalSchedule(1e-3, 0, "loss");
        assertEquals(1e-3, s.lr(0));
        validate(s, 1.0);                 // best 1.0
        validate(s, 0.99995);             // not below 1.0 * (1 - 1e-4): bad 1
        validate(s, 1.2);                 // bad 2
        validate(s, 1.0);                 // bad 3 (= patience: no reduction yet)
        assertEquals(1e-3, s.lr(100));
        validate(s, 1.0);                 // bad 4 > 3: halve, counter reset
        assertEquals(5e-4, s.lr(100), 1e-18);
        validate(s, 0.5);                 // improvement
        for (int i = 0; i < 4; i++) {
            validate(s, 0.6);
        }
        assertEquals(2.5e-4, s.lr(100), 1e-18);
        assertFalse(s.frozen(0), "a frozen task has no warm-up");
    }

    @Test
    void fineTuningWarmsUpFrozenAt1e3ThenResetsToTheTaskLrWhateverThePlateauSays() {
        EvalSchedule s = new EvalSchedule(3e-5, 100, "loss");
        assertTrue(s.frozen(99));
        assertFalse(s.frozen(100));
        assertEquals(1e-3, s.lr(0));
        assertEquals(1e-3, s.lr(99));
        assertEquals(3e-5, s.lr(100));
        validate(s, 1.0);
        for (int i = 0; i < 8; i++) {
            validate(s, 2.0);             // two reductions of the plateau lr
        }
        assertEquals(3e-5, s.lr(500), "after the warm-up the lr is reset before every batch");
        assertEquals(2.5e-4, s.lr(50), 1e-18, "during the warm-up the plateau rule acts on the warm-up lr");
    }

    @Test
    void stateRoundTripsAndTheLossMustBeThere() {
        EvalSchedule s = new EvalSchedule(1e-2, 0, "loss");
        validate(s, 3.0);
        validate(s, 4.0);
        EvalSchedule t = new EvalSchedule(1e-2, 0, "loss");
        t.restore(s.state());
        assertEquals(s.state(), t.state());
        var e = assertThrows(LovtException.class, () -> s.onValidation(0, Map.of("mAP", 0.1)));
        assertTrue(e.getMessage().contains("'loss'"), e.getMessage());
        assertThrows(LovtException.class, () -> new EvalSchedule(0, 0, "loss"));
    }
}
