package org.lovt.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.analysis.GroundedStudy;
import org.lovt.analysis.GroundingEvaluator;
import org.lovt.data.image.GrayImage;
import org.lovt.eval.LinearProbe;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.nn.CrossAttention;
import org.lovt.text.ReportBatch;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.util.AtomicFiles;

/**
 * How well a model links report sentences to image regions, on {@link EvaluationData} with localisation ground
 * truth: the pointing game on LoVT's sentence→region attention with its controls, and a frozen linear segmentation
 * probe of the findings. Each works on a loaded model ({@link LovtEncoder#fromRun}) and on the model in training
 * (a {@link PretrainingListener#onStart} or {@link PretrainingEvaluator} view).
 *
 * <pre>{@code
 * EvaluationData test = EvaluationData.synthetic(dataDir, "test");
 * try (LovtEncoder lovt = LovtEncoder.fromRun(runDir)) {
 *     PointingGameResult g = Evaluations.pointingGame(lovt, test);
 *     double dice = Evaluations.linearProbeDice(lovt, EvaluationData.synthetic(dataDir, "train").first(400), test);
 * }
 * Pretraining.builder()...evaluator(Evaluations.pointingGameEachEpoch(validation))...  // val/grounding per epoch
 * }</pre>
 */
public final class Evaluations {
    /** Studies per forward pass. */
    static final int BATCH = 32;

    private Evaluations() {}

    /**
     * The pointing game (see {@link PointingGameResult}): for every sentence that describes a finding, whether the
     * region it attends to most (LoVT's sentence→region cross-attention, the report read as a whole) lies on the
     * finding's box or in its zone, beside a random pointer, the control without the sentence, the attention pool's
     * pointer and whether it picks its own finding or another.
     */
    public static PointingGameResult pointingGame(LovtEncoder model, EvaluationData data) {
        return pointingGame(model, data, null, null, 0);
    }

    /**
     * {@link #pointingGame(LovtEncoder, EvaluationData)} that also writes a CSV table with one row per finding
     * sentence (study, sentence, finding, zone, box, anchor, most attended region, its weight, the attention mass on
     * the box, the hits of the sentence and of the control, whether it points at another finding, the text) and
     * pictures of the first finding sentences' attention over their images with the finding's box.
     *
     * @param sentenceCsv the table to write, or null for none
     * @param pictureDir  where to write {@code attention-NN.png}, or null for none
     * @param pictures    how many pictures
     */
    public static PointingGameResult pointingGame(LovtEncoder model, EvaluationData data, Path sentenceCsv,
                                                  Path pictureDir, int pictures) {
        model.open();
        List<GroundedStudy> studies = data.studies();
        checkSize(model, data);
        GroundingEvaluator ev = new GroundingEvaluator(data.kinds());
        if (sentenceCsv != null) {
            ev.withSentenceTable();
        }
        if (pictureDir != null && pictures > 0) {
            ev.withPictures(pictureDir, pictures);
        }
        model.inEval(() -> {
            for (int from = 0; from < studies.size(); from += BATCH) {
                List<GroundedStudy> batch = studies.subList(from, Math.min(studies.size(), from + BATCH));
                List<GroundingEvaluator.Attention> att = attention(model, batch);
                for (int i = 0; i < batch.size(); i++) {
                    ev.add(batch.get(i), att.get(i));
                }
            }
            return null;
        });
        if (sentenceCsv != null) {
            try {
                AtomicFiles.writeString(sentenceCsv, String.join("\n", ev.sentenceTable()) + "\n");
            } catch (IOException e) {
                throw new LovtException(sentenceCsv + ": cannot write the sentence table: " + e.getMessage(), e);
            }
        }
        GroundingEvaluator.Score s = ev.score();
        Map<String, PointingGameResult.ByKind> byKind = new LinkedHashMap<>();
        s.byKind().forEach((k, t) -> byKind.put(k, new PointingGameResult.ByKind(t.sentences(), t.hits(),
                t.chance(), t.zoneHits(), t.zoneChance())));
        return new PointingGameResult(s.sentences(), s.hits(), s.chance(), s.zoneHits(), s.zoneChance(),
                s.poolHits(), s.reportMeanHits(), s.reportMeanZoneHits(), s.multiSentences(), s.describedOnly(),
                s.otherOnly(), byKind, ev.pictures());
    }

    /**
     * The pointing game on {@code validation} after every epoch of a pre-training, logged as {@code val/grounding}
     * (box) and {@code val/grounding_zone} (zone).
     */
    public static PretrainingEvaluator pointingGameEachEpoch(EvaluationData validation) {
        Objects.requireNonNull(validation, "validation");
        return (model, epoch) -> {
            PointingGameResult r = pointingGame(model, validation);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("grounding", r.hits());
            m.put("grounding_zone", r.zoneHits());
            return m;
        };
    }

    /**
     * The Dice on {@code test} of a linear segmentation probe of the findings: LoVT's linear head (1×1 convolution
     * on the frozen region feature map, bilinearly upsampled) trained on {@code train} to segment the union of the
     * finding masks (Dice loss, Adam at 1e-2, 30 epochs in batches of 32, head initialised with seed 7). Re-seeds
     * libtorch's default generator.
     */
    public static double linearProbeDice(LovtEncoder model, EvaluationData train, EvaluationData test) {
        model.open();
        if (train.size() == 0 || test.size() == 0) {
            throw new LovtException("the linear probe needs training and test studies (got " + train.size() + " and "
                    + test.size() + ")");
        }
        checkSize(model, train);
        checkSize(model, test);
        return model.inEval(() -> {
            try (Scope sc = Scope.open()) {
                Tensor fTrain = features(model, train.studies());                   // (N, C, h, w)
                Tensor yTrain = masks(model, train.studies());                      // (N, 1, S, S)
                Tensor fTest = features(model, test.studies());
                Tensor yTest = masks(model, test.studies());
                return LinearProbe.fit(fTrain, yTrain, LinearProbe.Options.DEFAULT).dice(fTest, yTest);
            }
        });
    }

    private static void checkSize(LovtEncoder model, EvaluationData data) {
        if (data.size() > 0 && data.imageSize() != model.inputSize()) {
            throw new LovtException(data.description() + ": images of " + data.imageSize() + " px, but the model "
                    + "takes " + model.inputSize() + " px (boxes are compared on the model's input grid)");
        }
    }

    /** The model's attention on each study of {@code batch} (one forward pass, reports read whole). */
    private static List<GroundingEvaluator.Attention> attention(LovtEncoder enc, List<GroundedStudy> batch) {
        try (Scope sc = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            List<List<String>> reports = new ArrayList<>();
            for (GroundedStudy s : batch) {
                reports.add(s.sentences());
            }
            ReportBatch rb = enc.toDevice(enc.packer().pack(reports));
            LovtModel model = enc.model();
            EncoderOutput ea = model.scanEncoder().forward(scans(enc, batch));
            EncoderOutput eb = model.reportEncoder().forward(rb);
            CrossAttention.Output att = model.attention(ea, eb);
            float[] p = Tensors.toFloats(att.probsA2b());                            // (B, N_b, H·W)
            float[] pool = ea.weights() == null ? null : Tensors.toFloats(ea.weights());   // (B, H·W)
            long nb = att.probsA2b().size(1);
            int gh = ea.structure()[0];
            int gw = ea.structure()[1];
            int regions = gh * gw;
            List<GroundingEvaluator.Attention> out = new ArrayList<>();
            for (int b = 0; b < batch.size(); b++) {
                int[] kept = rb.keptSentences()[b];
                float[][] maps = new float[kept.length][];
                for (int k = 0; k < kept.length; k++) {
                    maps[k] = Arrays.copyOfRange(p, (int) ((b * nb + k) * regions),
                            (int) ((b * nb + k + 1) * regions));
                }
                out.add(new GroundingEvaluator.Attention(kept, maps,
                        pool == null ? null : Arrays.copyOfRange(pool, b * regions, (b + 1) * regions), gh, gw));
            }
            return out;
        }
    }

    /** (B, 3, S, S) scans, preprocessed as pre-training's validation data. */
    private static Tensor scans(LovtEncoder enc, List<GroundedStudy> studies) {
        List<ScanInput.Prepared> prepared = new ArrayList<>();
        for (GroundedStudy s : studies) {
            prepared.add(enc.input().prepare(new GrayImage(s.size(), s.size(), s.image())));
        }
        return enc.scans(prepared);
    }

    /** (N, C, h, w) region feature maps of the scan backbone, without gradient. */
    private static Tensor features(LovtEncoder enc, List<GroundedStudy> studies) {
        LovtModel model = enc.model();
        String layer = model.scanEncoder().config().regionFeatureLayer();
        List<Tensor> parts = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            for (int from = 0; from < studies.size(); from += BATCH) {
                List<GroundedStudy> batch = studies.subList(from, Math.min(studies.size(), from + BATCH));
                parts.add(model.scanEncoder().backbone().features(scans(enc, batch), layer).get(layer));
            }
        }
        return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
    }

    /** (N, 1, S, S) union of each study's finding masks, on the model's device. */
    private static Tensor masks(LovtEncoder enc, List<GroundedStudy> studies) {
        int size = studies.get(0).size();
        float[] m = new float[studies.size() * size * size];
        for (int i = 0; i < studies.size(); i++) {
            byte[] mask = studies.get(i).findingMask();
            for (int p = 0; p < size * size; p++) {
                m[i * size * size + p] = mask[p];
            }
        }
        Tensor t = Tensors.floats(m, studies.size(), 1, size, size);
        return enc.device().is_cpu() ? t : t.to(enc.device(), t.scalar_type());
    }
}
