package org.lovt.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic loop on a toy regression task: hook order, accumulation, limits, stopping, metric clashes. */
class TrainerTest {
    /** y = 3 x - 1 on a batch of 4 points derived from the batch index. */
    static class Regression implements TrainTask<Long> {
        final LinearImpl lin;

        Regression() {
            torch.manual_seed(5);
            lin = new LinearImpl(1, 1);
        }

        static Tensor[] data(long index) {
            float[] x = new float[4];
            float[] y = new float[4];
            for (int i = 0; i < 4; i++) {
                x[i] = ((index * 4 + i) % 7) / 7f - 0.5f;
                y[i] = 3 * x[i] - 1;
            }
            return new Tensor[] {Tensors.floats(x, 4, 1), Tensors.floats(y, 4, 1)};
        }

        double mse(long index) {
            Tensor[] d = data(index);
            return lin.forward(d[0]).sub(d[1]).pow(new org.bytedeco.pytorch.Scalar(2.0)).mean().item_double();
        }

        @Override
        public Module module() {
            return lin;
        }

        @Override
        public Map<String, Double> trainStep(Long batch, long microStep, int accumulate) {
            Tensor[] d = data(batch);
            Tensor loss = lin.forward(d[0]).sub(d[1]).pow(new org.bytedeco.pytorch.Scalar(2.0)).mean();
            loss.div(new org.bytedeco.pytorch.Scalar((double) accumulate)).backward();
            return new java.util.LinkedHashMap<>(Map.of("total_loss", loss.item_double()));
        }

        @Override
        public Map<String, Double> validate() {
            try (Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
                return Map.of("total_loss", LongStream.range(100, 103).mapToDouble(this::mse).average().orElseThrow());
            }
        }

        @Override
        public int size(Long batch) {
            return 4;
        }
    }

    static BatchSource<Long> batches(long n) {
        return new BatchSource<>() {
            @Override
            public long batchesPerEpoch() {
                return n;
            }

            @Override
            public long samplesPerEpoch() {
                return 4 * n;
            }

            @Override
            public Iterator<Long> epoch(int epoch, long start) {
                return LongStream.range(start, n).map(b -> epoch * n + b).boxed().iterator();
            }
        };
    }

    /** Records every hook as a line. */
    static final class Recorder implements TrainListener<Long> {
        final List<String> events = new ArrayList<>();
        Throwable failure = new Throwable("onFitEnd not called");

        @Override
        public void onFitStart(Fit fit) {
            events.add("start epoch " + fit.state().epoch());
        }

        @Override
        public void onTrainEpochStart(Fit fit, int epoch, long firstBatch) {
            events.add("epoch " + epoch + " from " + firstBatch);
        }

        @Override
        public void afterBackward(Fit fit, Long batch, Map<String, Double> metrics) {
            metrics.put("seen", (double) batch);
            events.add("batch " + batch);
        }

        @Override
        public void beforeOptimizerStep(Fit fit) {
            events.add("step");
        }

        @Override
        public void onTrainBatchEnd(Fit fit, BatchEnd end) {
            assertEquals((double) (end.epoch() * end.batchesPerEpoch() + end.batch()), end.metrics().get("seen"));
            assertEquals(end.batch() + 1, fit.state().batch());
        }

        @Override
        public void onTrainInterrupted(Fit fit) {
            events.add("interrupted at " + fit.state().epoch() + ":" + fit.state().batch());
        }

        @Override
        public void onValidationStart(Fit fit, int epoch) {
            events.add("validating " + epoch);
        }

        @Override
        public Map<String, Double> onValidationEnd(Fit fit, int epoch, Map<String, Double> validation) {
            return Map.of("extra", 10.0 + epoch);
        }

        @Override
        public void onEpochEnd(Fit fit, EpochEnd end) {
            events.add("validated " + end.epoch() + (end.best() ? " best" : "") + " extra " + end.extra());
            assertEquals(end.epoch() + 1, fit.state().epoch());
        }

        @Override
        public void onFitEnd(Fit fit, Throwable failure) {
            this.failure = failure;
        }
    }

    static Trainer<Long> trainer(Regression task, long batches, Trainer.Settings s) {
        SGD sgd = new SGD(task.lin.parameters(), new SGDOptions(0.1));
        return new Trainer<>(task, batches(batches), sgd, LrSchedule.constant(0.1), s);
    }

    static Trainer.Settings settings(int epochs, long steps, int accumulate) {
        return new Trainer.Settings(epochs, steps, Long.MAX_VALUE, accumulate, 0, "val/total_loss");
    }

    @Test
    void hooksRunInOrderWithAccumulationAndTheModelLearns() {
        Regression task = new Regression();
        double before = task.validate().get("total_loss");
        Recorder r = new Recorder();
        Trainer.Result result = trainer(task, 3, settings(2, Long.MAX_VALUE, 2)).addListener(r)
                .fit(TrainState.start());
        assertEquals(List.of("start epoch 0", "epoch 0 from 0", "batch 0", "batch 1", "step", "batch 2", "step",
                "validating 0", "validated 0 best extra {extra=10.0}", "epoch 1 from 0", "batch 3", "batch 4", "step", "batch 5", "step",
                "validating 1", "validated 1 best extra {extra=11.0}"), r.events,
                "a step every 2 batches and at the end of each epoch; extra metrics reach the epoch end");
        assertNull(r.failure);
        assertEquals(4, result.state().optimizerSteps());
        assertEquals(6, result.state().microSteps());
        assertEquals(1, result.state().bestEpoch());
        assertEquals(11.0, result.lastValidation().get("extra"));
        assertFalse(result.stoppedEarly());
        assertTrue(result.lastValidation().get("total_loss") < before,
                "SGD on y = 3x - 1 lowers the loss: " + before + " -> " + result.lastValidation());
    }

    /**
     * The time the training thread waits for its batches: about the loader's delay per batch when the loader is the
     * bottleneck, about nothing when batches are ready at once.
     */
    @Test
    void dataWaitCountsTheTimeBlockedOnTheLoader() {
        BatchSource<Long> slow = new BatchSource<>() {
            @Override
            public long batchesPerEpoch() {
                return 4;
            }

            @Override
            public long samplesPerEpoch() {
                return 16;
            }

            @Override
            public Iterator<Long> epoch(int epoch, long start) {
                Iterator<Long> inner = LongStream.range(start, 4).boxed().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return inner.hasNext();
                    }

                    @Override
                    public Long next() {
                        try {
                            Thread.sleep(60);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return inner.next();
                    }
                };
            }
        };
        for (boolean slowLoader : new boolean[] {true, false}) {
            List<TrainListener.BatchEnd> ends = new java.util.ArrayList<>();
            TrainListener<Long> rec = new TrainListener<>() {
                @Override
                public void onTrainBatchEnd(Fit fit, BatchEnd end) {
                    ends.add(end);
                }
            };
            Regression task = new Regression();
            new Trainer<>(task, slowLoader ? slow : batches(4), new SGD(task.lin.parameters(), new SGDOptions(0.1)),
                    LrSchedule.constant(0.1), settings(1, Long.MAX_VALUE, 1)).addListener(rec).fit(TrainState.start());
            assertEquals(4, ends.size());
            long wait = ends.get(3).dataWaitNanos();
            for (int i = 1; i < 4; i++) {
                assertTrue(ends.get(i).dataWaitNanos() >= ends.get(i - 1).dataWaitNanos(), "cumulative");
            }
            if (slowLoader) {
                assertTrue(wait >= 4 * 60_000_000L && wait < 4 * 400_000_000L, "waited " + wait / 1e6 + " ms");
                assertTrue(ends.get(3).dataWaitFraction() > 0.5, "fraction " + ends.get(3).dataWaitFraction());
            } else {
                assertTrue(wait < 20_000_000L, "ready batches cost no wait: " + wait / 1e6 + " ms");
            }
        }
    }

    @Test
    void theStepLimitInterruptsMidEpochAndAResumedFitContinuesThere() {
        Recorder r = new Recorder();
        Regression task = new Regression();
        Trainer.Result first = trainer(task, 3, settings(3, 2, 1)).addListener(r).fit(TrainState.start());
        assertEquals("interrupted at 0:2", r.events.get(r.events.size() - 1), r.events.toString());
        assertFalse(r.events.stream().anyMatch(e -> e.startsWith("validated")), "no validation of a partial epoch");
        assertEquals(2, first.state().optimizerSteps());
        // A limit reached with the epoch's last batch completes the epoch: it is validated, nothing is interrupted.
        Recorder exact = new Recorder();
        trainer(new Regression(), 3, settings(3, 3, 1)).addListener(exact).fit(TrainState.start());
        assertTrue(exact.events.get(exact.events.size() - 1).startsWith("validated 0"), exact.events.toString());
        Recorder r2 = new Recorder();
        TrainState mid = new TrainState(1, 1, 4, 4, 1.0, 0, 1.0, 0, Map.of());
        Trainer.Result second = trainer(task, 3, settings(2, Long.MAX_VALUE, 1)).addListener(r2).fit(mid);
        assertEquals(List.of("start epoch 1", "epoch 1 from 1", "batch 4", "step", "batch 5", "step"),
                r2.events.subList(0, 6), "a resumed epoch starts at its next batch");
        assertEquals(6, second.state().optimizerSteps());
        assertEquals(2, second.state().epoch());
    }

    @Test
    void aListenerCanStopTheRunAndFailuresReachOnFitEnd() {
        Recorder r = new Recorder();
        Trainer.Result stopped = trainer(new Regression(), 2, settings(10, Long.MAX_VALUE, 1)).addListener(r)
                .addListener(new TrainListener<Object>() {
                    @Override
                    public void onEpochEnd(Fit fit, EpochEnd end) {
                        if (end.epoch() == 1) {
                            fit.requestStop("enough");
                        }
                    }
                }).fit(TrainState.start());
        assertTrue(stopped.stoppedEarly());
        assertEquals(2, stopped.state().epoch());

        Recorder failing = new Recorder();
        IllegalStateException boom = new IllegalStateException("boom");
        var thrown = assertThrows(IllegalStateException.class, () -> trainer(new Regression(), 2,
                settings(10, Long.MAX_VALUE, 1)).addListener(failing).addListener(new TrainListener<Object>() {
                    @Override
                    public void beforeOptimizerStep(Fit fit) {
                        throw boom;
                    }
                }).fit(TrainState.start()));
        assertSame(boom, thrown);
        assertSame(boom, failing.failure);
    }

    @Test
    void extraMetricsMayNotReplaceValidationMetricsAndTheMonitorMustExist() {
        var clash = assertThrows(LovtException.class, () -> trainer(new Regression(), 2, settings(1, Long.MAX_VALUE,
                1)).addListener(new TrainListener<Object>() {
                    @Override
                    public Map<String, Double> onValidationEnd(Fit fit, int epoch, Map<String, Double> validation) {
                        return Map.of("total_loss", 0.0);
                    }
                }).fit(TrainState.start()));
        assertTrue(clash.getMessage().contains("'total_loss'"), clash.getMessage());
        var missing = assertThrows(LovtException.class, () -> trainer(new Regression(), 2,
                new Trainer.Settings(1, Long.MAX_VALUE, Long.MAX_VALUE, 1, 0, "val/auroc")).fit(TrainState.start()));
        assertTrue(missing.getMessage().contains("val/auroc") && missing.getMessage().contains("total_loss"),
                missing.getMessage());
    }

    @Test
    void inMaxModeTheBestEpochAndEarlyStoppingFollowARisingMetric() {
        // A validation metric scripted per epoch: rises, peaks at epoch 2, then stays below the peak.
        double[] score = {0.10, 0.30, 0.50, 0.49, 0.50 + 5e-6, 0.20, 0.10, 0.05};
        java.util.List<Double> lrs = new ArrayList<>();
        Regression task = new Regression() {
            int epoch;

            @Override
            public Map<String, Double> validate() {
                return Map.of("total_loss", 1.0, "mAP", score[epoch++]);
            }
        };
        LrSchedule watchLoss = new LrSchedule() {
            @Override
            public double lr(long stepsTaken) {
                return 0.1;
            }

            @Override
            public void onValidation(double monitored, Map<String, Double> validation) {
                lrs.add(monitored);
                assertEquals(1.0, validation.get("total_loss"), "the schedule sees every validation metric");
            }
        };
        SGD sgd = new SGD(task.lin.parameters(), new SGDOptions(0.1));
        List<Boolean> best = new ArrayList<>();
        List<Double> monitored = new ArrayList<>();
        Trainer.Result r = new Trainer<>(task, batches(2), sgd, watchLoss,
                new Trainer.Settings(20, Long.MAX_VALUE, Long.MAX_VALUE, 1, 0, "val/mAP", MonitorMode.MAX))
                .addListener(new EarlyStopping(1e-5, 3))
                .addListener(new TrainListener<Object>() {
                    @Override
                    public void onEpochEnd(Fit fit, EpochEnd end) {
                        best.add(end.best());
                        monitored.add(end.monitored());
                    }
                }).fit(TrainState.start());
        assertEquals(List.of(true, true, true, false, true, false), best,
                "the checkpoint's best follows the maximum strictly (epoch 4 beats epoch 2 by 5e-6)");
        assertEquals(List.of(0.10, 0.30, 0.50, 0.49, 0.50 + 5e-6, 0.20), monitored,
                "listeners see the metric itself, not its negation");
        assertEquals(4, r.state().bestEpoch());
        assertEquals(-(0.50 + 5e-6), r.state().best(), 1e-15, "the state keeps the oriented value");
        assertTrue(r.stoppedEarly());
        assertEquals(6, r.state().epoch(), "for early stopping epoch 4 is no improvement by more than min_delta 1e-5 "
                + "over epoch 2, so epochs 3, 4 and 5 are bad and patience 3 ends the run after epoch 5");
        assertEquals(-0.10, lrs.get(0), 1e-15, "the schedule gets the oriented monitored value");
    }
}
