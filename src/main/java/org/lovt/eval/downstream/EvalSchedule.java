package org.lovt.eval.downstream;

import java.util.Map;

import org.lovt.LovtException;
import org.lovt.train.LrSchedule;

/**
 * The downstream evaluation's learning rate (spec lovt-data-eval §3.2): {@code ReduceLROnPlateau(mode=min,
 * factor 0.5, patience 3, threshold 1e-4 relative)} on the validation loss, stepped once per epoch, starting from the
 * optimizer's initial lr — and, for fine-tuning tasks, the original's per-batch reset: once {@code warmupSteps}
 * training batches have run, every batch sets the lr back to {@code learningRate}, so plateau reductions after the
 * warm-up have no effect (quirk §8.4). During the warm-up the lr is {@link DownstreamTask#WARMUP_LR} (and may be
 * reduced by the plateau rule if the warm-up spans epochs).
 *
 * <p>The trainer takes one optimizer step per batch here (no accumulation), so steps taken = batches run.
 */
public final class EvalSchedule implements LrSchedule {
    private final double learningRate;
    private final long warmupSteps;
    private final String lossKey;
    private final LrSchedule.ReduceOnPlateau plateau;

    /**
     * @param learningRate the task's lr
     * @param warmupSteps  frozen warm-up batches (0: a frozen task, plateau on {@code learningRate})
     * @param lossKey      the validation metric the plateau rule watches ({@code loss})
     */
    public EvalSchedule(double learningRate, long warmupSteps, String lossKey) {
        if (!(learningRate > 0) || warmupSteps < 0) {
            throw new LovtException("invalid learning rate " + learningRate + " or warm-up " + warmupSteps);
        }
        this.learningRate = learningRate;
        this.warmupSteps = warmupSteps;
        this.lossKey = lossKey;
        this.plateau = new LrSchedule.ReduceOnPlateau(warmupSteps > 0 ? DownstreamTask.WARMUP_LR : learningRate,
                DownstreamTask.PLATEAU_PATIENCE, DownstreamTask.PLATEAU_FACTOR);
    }

    /** Whether the backbone is still frozen after {@code batchesRun} training batches (fine-tuning tasks). */
    public boolean frozen(long batchesRun) {
        return batchesRun < warmupSteps;
    }

    @Override
    public double lr(long stepsTaken) {
        return warmupSteps > 0 && stepsTaken >= warmupSteps ? learningRate : plateau.lr(stepsTaken);
    }

    @Override
    public void onValidation(double monitored, Map<String, Double> validation) {
        Double loss = validation.get(lossKey);
        if (loss == null) {
            throw new LovtException("the validation gave no '" + lossKey + "' for the learning-rate schedule");
        }
        plateau.onValidation(loss);
    }

    @Override
    public Map<String, Double> state() {
        return plateau.state();
    }

    @Override
    public void restore(Map<String, Double> s) {
        plateau.restore(s);
    }
}
