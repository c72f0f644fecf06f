package org.lovt.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.model.EncoderOutput;

/**
 * LoVT's online CheXpert probe (spec lovt-model §4.9): {@code Dropout(0.2) → Linear(d_y, 5)} on a detached global
 * feature ({@code yg_a}, {@code yg_b} or both), BCE-with-logits over the 5 binary labels, trained by its own
 * {@code Adam(1e-4)} after every training batch, outside the main optimizer. Validation reports accuracy (threshold
 * 0.5 over all labels), macro AUROC over the labels and the loss.
 */
public final class OnlineEvaluator extends Module {
    private final String name;
    private final OnlineEvaluatorConfig config;
    private final LinearImpl classifier;
    private final Adam optimizer;
    private final List<float[]> scores = new ArrayList<>();
    private final List<float[]> labels = new ArrayList<>();
    private double lossSum;
    private long count;

    public OnlineEvaluator(String name, OnlineEvaluatorConfig config, long dIn) {
        if (config.nonlinear()) {
            throw new LovtException("online_eval " + name + ": nonlinear heads are not supported (the shipped probes "
                    + "are linear)");
        }
        this.name = name;
        this.config = config;
        classifier = register_module("classifier", new LinearImpl(new LinearOptions(dIn, 5)));
        optimizer = new Adam(parameters(true), new AdamOptions(1e-4));
    }

    /** The probe's own optimizer (saved with checkpoints). */
    public org.bytedeco.pytorch.Optimizer optimizer() {
        return optimizer;
    }

    public String probeName() {
        return name;
    }

    /** The probed feature of an encoder pass, detached. */
    public Tensor features(EncoderOutput a, EncoderOutput b) {
        return switch (config.sourceModality()) {
            case A -> a.global().detach();
            case B -> b.global().detach();
            case A_AND_B -> torch.cat(new org.bytedeco.pytorch.TensorVector(a.global().detach(),
                    b.global().detach()), 1);
        };
    }

    private Tensor logits(Tensor features) {
        return classifier.forward(torch.dropout(features, config.dropoutProb(), is_training()));
    }

    /** One training step of the probe on a batch; returns its loss. */
    public double trainStep(Tensor features, Tensor targets) {
        train(true);
        Tensor loss = torch.binary_cross_entropy_with_logits(logits(features), targets);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss.item_double();
    }

    /** Accumulates a validation batch (eval mode). */
    public void validationStep(Tensor features, Tensor targets) {
        eval();
        Tensor z = logits(features);
        lossSum += torch.binary_cross_entropy_with_logits(z, targets).item_double() * features.size(0);
        count += features.size(0);
        float[] s = org.lovt.torch.Tensors.toFloats(torch.sigmoid(z));
        float[] y = org.lovt.torch.Tensors.toFloats(targets);
        for (int i = 0; i < features.size(0); i++) {
            scores.add(java.util.Arrays.copyOfRange(s, i * 5, i * 5 + 5));
            labels.add(java.util.Arrays.copyOfRange(y, i * 5, i * 5 + 5));
        }
    }

    /** {@code online_<name>_acc}, {@code _auroc}, {@code _loss} of the accumulated validation; then resets. */
    public Map<String, Double> computeValidation() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (count == 0) {
            return m;
        }
        long correct = 0;
        for (int i = 0; i < scores.size(); i++) {
            for (int k = 0; k < 5; k++) {
                correct += (scores.get(i)[k] > 0.5f) == (labels.get(i)[k] > 0.5f) ? 1 : 0;
            }
        }
        m.put("online_" + name + "_acc", correct / (5.0 * scores.size()));
        m.put("online_" + name + "_auroc", macroAuroc(scores, labels));
        m.put("online_" + name + "_loss", lossSum / count);
        scores.clear();
        labels.clear();
        lossSum = 0;
        count = 0;
        return m;
    }

    /** Mean over labels (with both classes present) of the ROC AUC, by the rank-sum formula with tied ranks. */
    public static double macroAuroc(List<float[]> scores, List<float[]> labels) {
        double sum = 0;
        int used = 0;
        for (int k = 0; k < 5; k++) {
            int n = scores.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            final int label = k;
            java.util.Arrays.sort(order, (x, y) -> Float.compare(scores.get(x)[label], scores.get(y)[label]));
            double[] rank = new double[n];
            for (int i = 0; i < n; ) {
                int j = i;
                while (j + 1 < n && scores.get(order[j + 1])[k] == scores.get(order[i])[k]) {
                    j++;
                }
                for (int t = i; t <= j; t++) {
                    rank[order[t]] = (i + j) / 2.0 + 1;
                }
                i = j + 1;
            }
            long pos = 0;
            double rankSum = 0;
            for (int i = 0; i < n; i++) {
                if (labels.get(i)[k] > 0.5f) {
                    pos++;
                    rankSum += rank[i];
                }
            }
            long neg = n - pos;
            if (pos > 0 && neg > 0) {
                sum += (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
                used++;
            }
        }
        return used == 0 ? Double.NaN : sum / used;
    }
}
