package org.lovt.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.lovt.api.ComputeThreads;
import org.lovt.api.EvaluationData;
import org.lovt.api.Evaluations;
import org.lovt.api.LovtEncoder;
import org.lovt.api.PointingGameResult;
import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingListener;
import org.lovt.api.PretrainingResult;
import org.lovt.api.ResolvedExperiment;
import org.lovt.api.RunCharts;

/**
 * The built-in demonstration: LoVT pre-training on synthetic chest X-rays and reports (no data set, no download),
 * then how well the model links report sentences to image regions — the pointing game on the sentence→region
 * attention and the Dice of a frozen linear segmentation probe — before and after training.
 *
 * <p>The default {@link Recipe} trains LoVT_100's losses plus one term that is not LoVT's, the GLoRIA-style
 * cross-sample sentence↔region objective ({@link #CROSS_SAMPLE}): measured here, LoVT's intra-sample local losses
 * are satisfied by sentence-keyed attention to any consistent regions and leave the sentence attention at chance
 * level within minutes; with the cross-sample term it beats chance and a control without the sentence, though mostly
 * on the device sentences (the lung findings are not found yet, see the README's demo status).
 * {@link Recipe#LOVT_ONLY} trains LoVT's own losses only; {@link Recipe#GLOBAL_ONLY} is the control without any
 * local loss.
 *
 * <p>A script over the public API ({@code org.lovt.api}): generate the data, measure the untrained model when the
 * pre-training starts (a listener), pre-train with the pointing game on the validation split as an extra metric per
 * epoch, load the run's best checkpoint and measure it, draw the curves.
 */
public final class Demo {
    /** The demo's model and recipe: LoVT_100 made small enough to train on a laptop CPU in minutes. */
    public static final List<String> OVERRIDES = List.of("+experiment=LoVT_100", "name=demo",
            "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert", "pretrain_model.encoder_b.freeze_embeddings=false",
            "pretrain_model.encoder_b.freeze_encoder_layers=0", "pretrain_model.encoder_b.max_length=128",
            "++pretrain_model.encoder_a.backbone_args.stem_width=16",
            "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]",
            "pretrain_model.encoder_a.region_feature_layer=conv3", "pretrain_model.encoder_a.input_size=[64,64]",
            // A flip would swap the patient's sides the reports name; a blur of sigma up to 3 px erases the small
            // findings of a 64-px image.
            "pretrain_model.encoder_a.data_augmentation.random_horizontal_flip=false",
            "pretrain_model.encoder_a.data_augmentation.gaussian_blur=false",
            "pretrain_model.d_z=64", "pretrain_model.d_hidden=256", "pretrain_model.batch_size=32",
            "pretrain_model.learning_rate=5e-4",
            // Positives within 0.15 of the grid diagonal (about one cell at 8x8) instead of 0.5 (most of the grid):
            // the scan local loss then learns (4.17 -> 2.85) and the probe's Dice is higher (0.246 vs 0.173, one seed).
            "pretrain_model.ll_alignments_a.0.distance_threshold=0.15", "pretrain_model.lr_scheduler=[reduce_on_plateau]",
            "trainer.accumulate_grad_batches=1", "callback.early_stopping.patience=1000", "~online_eval");
    /**
     * The one addition to LoVT_100's losses in the default recipe: a GLoRIA-style cross-sample sentence↔region term
     * ({@link org.lovt.model.objectives.CrossSampleLocalLossConfig}, not part of LoVT) through the same
     * cross-attention. With LoVT's intra-sample local losses alone the sentence attention stays at chance level here;
     * with this term it beats chance at the zone level and a control without the sentence at the box level (README,
     * demo section).
     */
    public static final List<String> CROSS_SAMPLE = List.of(
            "+objective@pretrain_model.ll_cross_sample=report_cross_sample_local",
            "+pretrain_model.loss_weights.local_xs_a2b=0.5", "+pretrain_model.loss_weights.local_xs_b2a=0.5");
    /** Overrides that remove LoVT's local losses (used with {@link Recipe#GLOBAL_ONLY}). */
    public static final List<String> GLOBAL_ONLY = List.of("pretrain_model.ll_alignments_a={}",
            "pretrain_model.ll_alignments_b={}");

    /** Which losses the demo trains with. */
    public enum Recipe {
        /** LoVT_100's global and local losses plus the cross-sample local term ({@link #CROSS_SAMPLE}). */
        DEFAULT,
        /** LoVT_100's own losses only ({@code lovt demo --lovt-only}). */
        LOVT_ONLY,
        /** The global loss only, no local loss of any kind: the control ({@code lovt demo --global-only}). */
        GLOBAL_ONLY;

        /** What it trains, for the console. */
        public String description() {
            return switch (this) {
                case DEFAULT -> "LoVT_100 losses + cross-sample sentence-region term";
                case LOVT_ONLY -> "LoVT_100 losses only";
                case GLOBAL_ONLY -> "global loss only";
            };
        }

        /** The overrides this recipe adds to {@link #OVERRIDES}. */
        public List<String> overrides() {
            return switch (this) {
                case DEFAULT -> CROSS_SAMPLE;
                case LOVT_ONLY -> List.of();
                case GLOBAL_ONLY -> Demo.GLOBAL_ONLY;
            };
        }
    }

    /**
     * How the demo runs.
     *
     * @param seed           data, initialisation and loader seed
     * @param train          training studies
     * @param validation     validation studies (validation loss and the per-epoch pointing game)
     * @param test           test studies (the reported numbers)
     * @param minutes        time budget of the whole run; training stops early enough to leave time to measure
     * @param maxEpochs      epoch limit (0 = only the time budget): a run limited by epochs is reproducible
     * @param out            output folder: {@code data/}, the run folder {@code run/} (an existing run is resumed, and
     *                       "before" is then measured on its resumed weights), pictures, curves and results
     * @param threads        data loader threads (libtorch runs on one thread: this small network trains faster so)
     * @param recipe         which losses to train with
     * @param extraOverrides config overrides on top of the demo's
     * @param pictures       attention overlays to draw
     * @param log            progress
     */
    public record Settings(long seed, int train, int validation, int test, double minutes, int maxEpochs, Path out,
                           int threads, Recipe recipe, List<String> extraOverrides, int pictures, PrintStream log) {
        public Settings {
            if (train < 1 || validation < 1 || test < 1) {
                throw new IllegalArgumentException("train, validation and test need at least one study each (got "
                        + train + ", " + validation + ", " + test + ")");
            }
            if (!(minutes > 0) || maxEpochs < 0) {
                throw new IllegalArgumentException("minutes must be > 0 and max epochs >= 0 (got " + minutes + ", "
                        + maxEpochs + ")");
            }
        }
    }

    /** What it measured ("after": the run's best checkpoint by the monitored validation loss). */
    public record Result(Recipe recipe, double groundingBefore, double groundingAfter, double groundingChance,
                         int groundedSentences,
                         double zoneGroundingBefore, double zoneGroundingAfter, double zoneGroundingChance,
                         double poolGroundingBefore, double poolGroundingAfter,
                         double reportMeanGroundingAfter, double reportMeanZoneGroundingAfter,
                         int multiFindingSentences, double describedFindingOnlyAfter, double otherFindingOnlyAfter,
                         double diceRandomInit, double diceLearned, int epochs, double trainSeconds, Path out,
                         List<Path> pictures, Map<String, PointingGameResult.ByKind> byFindingType) {}

    /** Training studies the segmentation probe is trained on (the first of the training split). */
    static final int PROBE_TRAIN = 400;

    private Demo() {}

    public static Result run(Settings s) throws IOException {
        long t0 = System.nanoTime();
        try (ComputeThreads one = ComputeThreads.limit(1)) {
            return run(s, t0);
        }
    }

    private static Result run(Settings s, long t0) throws IOException {
        long deadline = t0 + (long) (s.minutes() * 60e9);
        PrintStream log = s.log();
        Path out = s.out();
        Files.createDirectories(out);
        List<String> overrides = new ArrayList<>(OVERRIDES);
        overrides.add("seed=" + s.seed());
        overrides.addAll(s.recipe().overrides());
        overrides.addAll(s.extraOverrides());
        // Images are generated at the model's input size.
        int size = ResolvedExperiment.of(overrides).inputSize();

        log.printf("demo: generating %d + %d + %d synthetic studies (%dx%d) ...%n", s.train(), s.validation(),
                s.test(), size, size);
        Path dataDir = out.resolve("data");
        PretrainingData data = PretrainingData.generateSynthetic(dataDir, s.seed(), s.train(), s.validation(),
                s.test(), size);
        EvaluationData test = EvaluationData.synthetic(dataDir, "test");
        EvaluationData probeTrain = EvaluationData.synthetic(dataDir, "train").first(PROBE_TRAIN);

        Measured[] before = new Measured[1];
        long[] trainSpan = new long[2];
        PretrainingListener measureBefore = new PretrainingListener() {
            @Override
            public void onStart(LovtEncoder model) {
                log.println("demo: measuring the untrained model ...");
                before[0] = measure(model, probeTrain, test, null, 0, null);
                log.println("demo: pre-training LoVT until the time budget is used ...");
                trainSpan[0] = System.nanoTime();
            }

            @Override
            public void onEpoch(int epoch, Map<String, Double> validation, double monitored, boolean best) {
                trainSpan[1] = System.nanoTime();
            }
        };
        long evalReserve = (long) (Math.max(20, s.minutes() * 60 * 0.12) * 1e9);
        PretrainingResult run = Pretraining.builder().overrides(overrides).data(data).runDir(out.resolve("run"))
                .maxEpochs(s.maxEpochs() > 0 ? s.maxEpochs() : Integer.MAX_VALUE).deadlineNanos(deadline - evalReserve)
                .workers(s.threads()).ignoreUserConfig().log(log)
                .evaluator(Evaluations.pointingGameEachEpoch(EvaluationData.synthetic(dataDir, "validation")))
                .listener(measureBefore)
                .build().run();
        double trainSeconds = Math.max(0, trainSpan[1] - trainSpan[0]) / 1e9;

        log.println("demo: measuring the trained model ...");
        Measured after;
        try (LovtEncoder trained = LovtEncoder.fromRun(run.runDir())) {
            after = measure(trained, probeTrain, test, out.resolve("grounding-test.csv"), s.pictures(),
                    out.resolve("pictures"));
        }
        RunCharts.plot(run.runDir(), out.resolve("loss-train.png"), "training loss (logged batches)",
                Map.of("train", "train/total_loss"));
        RunCharts.plot(run.runDir(), out.resolve("loss-validation.png"), "validation loss (per epoch)",
                Map.of("val", "val/total_loss"));
        Map<String, String> grounding = new LinkedHashMap<>();
        grounding.put("finding box", "val/grounding");
        grounding.put("finding zone", "val/grounding_zone");
        RunCharts.plot(run.runDir(), out.resolve("grounding-validation.png"), "pointing game on validation (per epoch)",
                grounding);

        PointingGameResult b = before[0].grounding();
        PointingGameResult a = after.grounding();
        Result result = new Result(s.recipe(), b.hits(), a.hits(), a.chance(), a.sentences(),
                b.zoneHits(), a.zoneHits(), a.zoneChance(), b.poolHits(), a.poolHits(),
                a.reportMeanHits(), a.reportMeanZoneHits(),
                a.multiFindingSentences(), a.describedFindingOnly(), a.otherFindingOnly(),
                before[0].dice(), after.dice(), run.epochs(), trainSeconds, out, a.pictures(), a.byKind());
        Path json = out.resolve("results.json");
        Path tmp = Files.createTempFile(out, ".results-", ".json");
        Files.writeString(tmp, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }

    /** The pointing game on the test split and the segmentation probe's Dice of one model. */
    private record Measured(PointingGameResult grounding, double dice) {}

    private static Measured measure(LovtEncoder model, EvaluationData probeTrain, EvaluationData test, Path csv,
                                    int pictures, Path pictureDir) {
        PointingGameResult g = Evaluations.pointingGame(model, test, csv, pictureDir, pictures);
        return new Measured(g, Evaluations.linearProbeDice(model, probeTrain, test));
    }

    /** Summary lines for the console. */
    public static List<String> summary(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("grounding accuracy (pointing game, %d finding sentences of the test set):",
                r.groundedSentences()));
        lines.add(String.format("  random pointer %.1f %%   untrained model %.1f %%   after pre-training %.1f %%",
                100 * r.groundingChance(), 100 * r.groundingBefore(), 100 * r.groundingAfter()));
        lines.add(String.format("  in the finding's lung zone: random %.1f %%   untrained %.1f %%   after %.1f %%",
                100 * r.zoneGroundingChance(), 100 * r.zoneGroundingBefore(), 100 * r.zoneGroundingAfter()));
        lines.add(String.format("  control without the sentence (attention averaged over the report's sentences): "
                + "box %.1f %%, zone %.1f %%", 100 * r.reportMeanGroundingAfter(),
                100 * r.reportMeanZoneGroundingAfter()));
        lines.add(String.format("  own finding or another? of %d sentences of images with several findings, the "
                        + "argmax lies on the described finding in %.1f %%, on another one in %.1f %%",
                r.multiFindingSentences(), 100 * r.describedFindingOnlyAfter(), 100 * r.otherFindingOnlyAfter()));
        if (!r.byFindingType().isEmpty()) {
            lines.add("  after pre-training, by kind of finding (box / zone; random pointer in brackets):");
            r.byFindingType().forEach((type, t) -> lines.add(String.format(
                    "    %-11s %3d sentences  %5.1f %% / %5.1f %%   (%4.1f %% / %4.1f %%)", type, t.sentences(),
                    100 * t.hits(), 100 * t.zoneHits(), 100 * t.chance(), 100 * t.zoneChance())));
        }
        lines.add("where the image embedding looks (argmax of the scan attention pool on the described finding's box):");
        lines.add(String.format("  random pointer %.1f %%   untrained model %.1f %%   after pre-training %.1f %%",
                100 * r.groundingChance(), 100 * r.poolGroundingBefore(), 100 * r.poolGroundingAfter()));
        lines.add("frozen linear segmentation of the findings (Dice on the test set):");
        lines.add(String.format("  random-init features %.3f   pre-trained features %.3f", r.diceRandomInit(),
                r.diceLearned()));
        lines.add(String.format("pre-training (%s): %d epochs in %.0f s", r.recipe().description(), r.epochs(),
                r.trainSeconds()));
        return lines;
    }
}
