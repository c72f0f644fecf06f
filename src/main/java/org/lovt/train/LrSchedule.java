package org.lovt.train;

import java.util.Map;

import org.lovt.LovtException;
import org.lovt.model.BiModalModelConfig;

/**
 * Learning-rate schedules of the original (spec lovt-model §4.7), as pure functions of the training progress plus
 * the little state that {@code reduce_on_plateau} keeps, so that a resumed run continues exactly.
 */
public interface LrSchedule {
    /** The learning rate for the optimizer step that follows {@code stepsTaken} completed steps. */
    double lr(long stepsTaken);

    /** Called once per validation with the monitored metric (only {@code reduce_on_plateau} reacts). */
    default void onValidation(double monitored) {}

    /**
     * Called once per validation with the monitored metric (oriented so that lower is better) and every validation
     * metric; schedules that watch another metric than the monitored one override this.
     */
    default void onValidation(double monitored, Map<String, Double> validation) {
        onValidation(monitored);
    }

    /** State to checkpoint (empty for stateless schedules). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /** Restores {@link #state()}. */
    default void restore(Map<String, Double> state) {}

    /** A fixed learning rate. */
    static LrSchedule constant(double lr) {
        return stepsTaken -> lr;
    }

    /**
     * The schedule of a config; {@code stepsPerEpoch} is the number of optimizer steps per epoch
     * ({@code ceil(floor(N_train / B) / accumulate)} as the original's {@code StepsPerEpochMixin}).
     */
    static LrSchedule of(BiModalModelConfig c, long stepsPerEpoch) {
        if (c.lrScheduler().size() != 1) {
            throw new LovtException("lr_scheduler: exactly one scheduler is supported, got " + c.lrScheduler());
        }
        double base = c.learningRate();
        return switch (c.lrScheduler().get(0)) {
            case COSINE_ANNEALING_PER_EPOCH -> new CosinePerEpoch(base, stepsPerEpoch);
            case REDUCE_ON_PLATEAU -> new ReduceOnPlateau(base, c.lrReducePatience(), c.lrReduceFactor());
            case LINEAR_WARMUP_COSINE_ANNEALING -> new WarmupCosine(base, c.warmupSteps(),
                    stepsPerEpoch * c.maxEpochs());
            case COSINE_ANNEALING_WARM_RESTARTS -> throw new LovtException(
                    "lr_scheduler cosine_annealing_warm_restarts is not supported (no shipped config uses it)");
        };
    }

    /**
     * {@code cosine_annealing_per_epoch}: PyTorch's recursive {@code CosineAnnealingLR(T_max = S, eta_min = 0)}
     * stepped after every optimizer step and never reset, i.e. a cosine wave of period 2 epochs:
     * {@code lr(t) = base · ½ (1 + cos(π t / S))} — 0 at the end of odd epochs, back to base at the end of even ones.
     */
    record CosinePerEpoch(double base, long stepsPerEpoch) implements LrSchedule {
        public CosinePerEpoch {
            if (stepsPerEpoch < 1) {
                throw new LovtException("cosine_annealing_per_epoch needs at least one optimizer step per epoch");
            }
        }

        @Override
        public double lr(long t) {
            return base * 0.5 * (1 + Math.cos(Math.PI * t / stepsPerEpoch));
        }
    }

    /**
     * pl_bolts' {@code LinearWarmupCosineAnnealingLR}: linear from {@code base/100} (warmup_start_lr as LoVT sets it)
     * to {@code base} over the warm-up steps, then a half cosine to 0 at {@code maxSteps}.
     */
    record WarmupCosine(double base, long warmupSteps, long maxSteps) implements LrSchedule {
        @Override
        public double lr(long t) {
            double start = base / 100;
            if (t < warmupSteps) {
                return start + t * (base - start) / Math.max(1, warmupSteps - 1);
            }
            long span = Math.max(1, maxSteps - warmupSteps);
            return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(t - warmupSteps, span) / span));
        }
    }

    /**
     * {@code ReduceLROnPlateau(mode=min, patience, factor, threshold=1e-4 relative, cooldown=0, min_lr=0)} on the
     * monitored validation metric, stepped once per epoch.
     */
    final class ReduceOnPlateau implements LrSchedule {
        static final double THRESHOLD = 1e-4;
        private final int patience;
        private final double factor;
        private final MonitorMode mode;
        private double lr;
        private double best = Double.POSITIVE_INFINITY;
        private int badEpochs;

        public ReduceOnPlateau(double base, int patience, double factor) {
            this(base, patience, factor, MonitorMode.MIN);
        }

        /**
         * In {@code MAX} mode ({@code ReduceLROnPlateau(mode='max')}, e.g. on val/auroc) the trainer hands over the
         * negated metric; the relative threshold is applied to the metric itself: an improvement is
         * {@code a > best (1 + 1e-4)}.
         */
        public ReduceOnPlateau(double base, int patience, double factor, MonitorMode mode) {
            this.mode = java.util.Objects.requireNonNull(mode, "mode");
            this.lr = base;
            this.patience = patience;
            this.factor = factor;
        }

        @Override
        public double lr(long stepsTaken) {
            return lr;
        }

        @Override
        public void onValidation(double monitored) {
            boolean better = mode == MonitorMode.MIN ? monitored < best * (1 - THRESHOLD)
                    : -monitored > -best * (1 + THRESHOLD);
            if (better) {
                best = monitored;
                badEpochs = 0;
            } else if (++badEpochs > patience) {
                lr *= factor;
                badEpochs = 0;
            }
        }

        @Override
        public Map<String, Double> state() {
            return Map.of("lr", lr, "best", best, "bad_epochs", (double) badEpochs);
        }

        @Override
        public void restore(Map<String, Double> s) {
            if (s.isEmpty()) {
                return;                                  // a fresh run
            }
            lr = s.get("lr");
            best = s.get("best");
            badEpochs = s.get("bad_epochs").intValue();
        }
    }
}
