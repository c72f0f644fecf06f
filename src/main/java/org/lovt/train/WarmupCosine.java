package org.lovt.train;

import org.lovt.LovtException;

/**
 * pl_bolts 0.4.0 {@code LinearWarmupCosineAnnealingLR} (the BYOL, SimCLR and PixelPro baselines, spec lovt-data-eval
 * §4.3-4.5), stepped once per epoch: the learning rate of every epoch.
 *
 * <p>{@link #chained} follows the scheduler's recursive {@code get_lr} as the original ran it, each epoch's lr computed
 * from the previous one. Its quirks come with it: with {@code warmup_start_lr} 0 the lr of epoch 0 is 0, and with
 * no warm-up epochs every later lr is a multiple of that 0, so PixelPro (no warm-up given) trains with lr 0 throughout.
 * {@link #closedForm} is the scheduler's {@code _get_closed_form_lr}, the correction: linear warm-up, then
 * {@code eta_min + (base - eta_min)(1 + cos(pi (e - w) / (max - w))) / 2}.
 */
public final class WarmupCosine {
    private WarmupCosine() {}

    /** The lrs of epochs 0 … {@code epochs - 1} by the chained (recursive) rule the original ran. */
    public static double[] chained(double base, int warmupEpochs, int maxEpochs, double warmupStartLr, double etaMin,
                                   int epochs) {
        check(warmupEpochs, maxEpochs, epochs);
        double[] lr = new double[epochs];
        double span = maxEpochs - warmupEpochs;
        for (int e = 0; e < epochs; e++) {
            double prev = e == 0 ? base : lr[e - 1];
            if (e == 0) {
                lr[e] = warmupStartLr;
            } else if (e < warmupEpochs) {
                lr[e] = prev + (base - warmupStartLr) / (warmupEpochs - 1);
            } else if (e == warmupEpochs) {
                lr[e] = base;
            } else if (Math.floorMod(e - 1 - maxEpochs, 2 * (maxEpochs - warmupEpochs)) == 0) {
                lr[e] = prev + (base - etaMin) * (1 - Math.cos(Math.PI / span)) / 2;
            } else {
                lr[e] = (1 + Math.cos(Math.PI * (e - warmupEpochs) / span))
                        / (1 + Math.cos(Math.PI * (e - warmupEpochs - 1) / span)) * (prev - etaMin) + etaMin;
            }
        }
        return lr;
    }

    /** The lrs by the scheduler's closed form (the documented correction of the chained rule's quirks). */
    public static double[] closedForm(double base, int warmupEpochs, int maxEpochs, double warmupStartLr,
                                      double etaMin, int epochs) {
        check(warmupEpochs, maxEpochs, epochs);
        double[] lr = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            lr[e] = e < warmupEpochs
                    ? warmupStartLr + e * (base - warmupStartLr) / Math.max(1, warmupEpochs - 1)
                    : etaMin + 0.5 * (base - etaMin)
                            * (1 + Math.cos(Math.PI * (e - warmupEpochs) / (maxEpochs - warmupEpochs)));
        }
        return lr;
    }

    private static void check(int warmupEpochs, int maxEpochs, int epochs) {
        if (warmupEpochs < 0 || maxEpochs <= warmupEpochs || epochs < 0) {
            throw new LovtException("warm-up cosine schedule: need 0 <= warmup_epochs < max_epochs and epochs >= 0, got "
                    + "warmup " + warmupEpochs + ", max " + maxEpochs + ", epochs " + epochs);
        }
    }
}
