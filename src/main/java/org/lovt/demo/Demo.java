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
import org.lovt.api.Analysis;
import org.lovt.api.Report;
import org.lovt.api.ComputeThreads;
import org.lovt.api.DownstreamData;
import org.lovt.api.DownstreamSuite;
import org.lovt.api.EvaluationData;
import org.lovt.api.Evaluations;
import org.lovt.api.LovtEncoder;
import org.lovt.api.PointingGameResult;
import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingListener;
import org.lovt.api.PretrainingResult;
import org.lovt.api.ResolvedExperiment;
import org.lovt.api.Results;
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
 * epoch, load the run's best checkpoint and measure it, draw the curves. With {@link Downstream} (the CLI's default)
 * it then shows the paper's claim in miniature: the global-only control pre-trained for as many epochs, a synthetic
 * RSNA-like downstream set, and the evaluation protocol ({@link DownstreamSuite}, reduced) for the random
 * initialisation, the control and the demo's run, printed as one table.
 */
public final class Demo {
    /** The demo's HTML report, in its output folder. */
    public static final String REPORT = "report.html";

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
     * @param downstream     the reduced evaluation protocol after pre-training, or null for none
     */
    public record Settings(long seed, int train, int validation, int test, double minutes, int maxEpochs, Path out,
                           int threads, Recipe recipe, List<String> extraOverrides, int pictures, PrintStream log,
                           Downstream downstream) {
        /** Without the downstream part (grounding only). */
        public Settings(long seed, int train, int validation, int test, double minutes, int maxEpochs, Path out,
                        int threads, Recipe recipe, List<String> extraOverrides, int pictures, PrintStream log) {
            this(seed, train, validation, test, minutes, maxEpochs, out, threads, recipe, extraOverrides, pictures, log,
                    null);
        }

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

    /**
     * The demo's downstream part: the paper's evaluation protocol ({@link DownstreamSuite}), reduced, on a synthetic
     * RSNA-like data set drawn by the pre-training data's generator, for three backbones of the same architecture —
     * the demo's pre-training, a pre-training with the global loss only for the same number of epochs (the
     * ConVIRT-style control) and a random initialisation.
     *
     * @param tasks            the tasks (RSNA tasks; default frozen YOLOv3 and the linear segmentation head at 10 % and
     *                         100 % of the labels)
     * @param train            synthetic training images (the 10 % tasks use a tenth)
     * @param validation       validation images (the lr choice and the best epoch)
     * @param test             test images (the reported numbers)
     * @param runs             final runs per task and model (2 or more, for an interval)
     * @param maxLrs           learning rates tried of each task's grid (the first ones, in the original's order)
     * @param maxEpochs        epoch limit per run
     * @param batchSize        batch size
     * @param headWidthDivisor YOLOv3 head widths divided by this (the small backbone's features are narrow)
     */
    public record Downstream(List<String> tasks, int train, int validation, int test, int runs, int maxLrs,
                             int maxEpochs, int batchSize, int headWidthDivisor) {
        public Downstream {
            tasks = List.copyOf(tasks);
            if (tasks.isEmpty() || runs < 2 || maxLrs < 0 || maxEpochs < 1 || batchSize < 1 || headWidthDivisor < 1
                    || train < 10 || validation < 1 || test < 1) {
                throw new IllegalArgumentException("downstream part: at least one task, 2 runs, 1 epoch, batch 1, "
                        + "10 training, 1 validation and 1 test image are needed (got " + tasks + ", runs " + runs
                        + ", max lrs " + maxLrs + ", epochs " + maxEpochs + ", batch " + batchSize + ", images "
                        + train + "/" + validation + "/" + test + ")");
            }
        }

        /**
         * The default: 4 tasks, 800/300/200 images (RSNA's validation uses its first 10 %, as the original's), 2 runs,
         * the first lr of each grid, 8 epochs, batch 16.
         */
        public static Downstream defaults() {
            return new Downstream(List.of("rsna_frozen_10", "rsna_frozen_100", "rsna_seg_linear_10",
                    "rsna_seg_linear_100"), 800, 300, 200, 2, 1, 8, 16, 8);
        }

        /** The same with another number of final runs. */
        public Downstream withRuns(int n) {
            return new Downstream(tasks, train, validation, test, n, maxLrs, maxEpochs, batchSize, headWidthDivisor);
        }
    }

    /**
     * What the downstream part gave.
     *
     * @param results     the results folder (the original's {@code downstream_<task>.csv}, {@code results.md}, charts)
     * @param models      the rows, in the table's order: random, control, pre-trained
     * @param table       the console table (first row the reference)
     * @param suites      each model's sweep
     * @param controlEpochs  epochs of the global-only pre-training (0 when the demo's recipe is already global-only)
     * @param seconds     wall time of the control pre-training and the evaluation
     */
    public record DownstreamResult(Path results, List<String> models, String table, List<DownstreamSuite.Result> suites,
                                   int controlEpochs, double seconds) {}

    /** What it measured ("after": the run's best checkpoint by the monitored validation loss). */
    public record Result(Recipe recipe, double groundingBefore, double groundingAfter, double groundingChance,
                         int groundedSentences,
                         double zoneGroundingBefore, double zoneGroundingAfter, double zoneGroundingChance,
                         double poolGroundingBefore, double poolGroundingAfter,
                         double reportMeanGroundingAfter, double reportMeanZoneGroundingAfter,
                         int multiFindingSentences, double describedFindingOnlyAfter, double otherFindingOnlyAfter,
                         double diceRandomInit, double diceLearned, int epochs, double trainSeconds, Path out,
                         List<Path> pictures, Map<String, PointingGameResult.ByKind> byFindingType,
                         DownstreamResult downstream) {}

    /**
     * With the downstream part: the share of the time budget the demo's own pre-training may use (the control's, for
     * the same number of epochs, takes about as long).
     */
    static final double PRETRAINING_SHARE = 0.37;
    /** ... and the share kept for the evaluation protocol: the control's pre-training stops before it. */
    static final double DOWNSTREAM_SHARE = 0.2;

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
        if (s.downstream() != null) {
            // The control's pre-training (about as long as this one) and the evaluation protocol follow.
            evalReserve = (long) (s.minutes() * 60e9 * (1 - PRETRAINING_SHARE));
        }
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
                before[0].dice(), after.dice(), run.epochs(), trainSeconds, out, a.pictures(), a.byKind(),
                s.downstream() == null ? null : downstream(s, overrides, data, run, size, deadline));
        Path json = out.resolve("results.json");
        Path tmp = Files.createTempFile(out, ".results-", ".json");
        Files.writeString(tmp, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.println("demo: embedding analysis of the test split and the report ...");
        if (s.recipe() == Recipe.GLOBAL_ONLY) {
            log.println("demo: embedding analysis skipped: the global-only recipe has no local projections");
        } else {
            Analysis.builder(run.runDir()).split("test").data(dataDir).workers(s.threads()).log(log).run();
        }
        Report.write(List.of(out), out.resolve(REPORT));
        return result;
    }

    /**
     * The reduced evaluation protocol: pre-trains the global-only control for as many epochs as the demo's run took
     * (unless the demo's recipe is the control), writes the synthetic RSNA-like set, and runs the protocol for the
     * random initialisation, the control and the demo's run into {@code out/downstream}.
     */
    private static DownstreamResult downstream(Settings s, List<String> overrides, PretrainingData data,
                                               PretrainingResult run, int size, long deadline) {
        long t0 = System.nanoTime();
        PrintStream log = s.log();
        Downstream d = s.downstream();
        String main = switch (s.recipe()) {
            case DEFAULT -> "demo_recipe";
            case LOVT_ONLY -> "lovt_losses";
            case GLOBAL_ONLY -> "global_only";
        };
        Map<String, String> backbones = new LinkedHashMap<>();
        backbones.put("random_init", "random:" + run.runDir());
        int controlEpochs = 0;
        if (s.recipe() != Recipe.GLOBAL_ONLY) {
            List<String> control = new ArrayList<>(overrides);
            control.removeAll(s.recipe().overrides());
            control.addAll(GLOBAL_ONLY);
            log.printf("demo: pre-training the control (global loss only) for the same %d epochs ...%n", run.epochs());
            long controlDeadline = Math.max(deadline - (long) (s.minutes() * 60e9 * DOWNSTREAM_SHARE),
                    System.nanoTime() + 30_000_000_000L);
            PretrainingResult c = Pretraining.builder().overrides(control).data(data)
                    .runDir(s.out().resolve("control")).maxEpochs(run.epochs()).deadlineNanos(controlDeadline)
                    .workers(s.threads()).ignoreUserConfig().log(log).build().run();
            controlEpochs = c.epochs();
            backbones.put("global_only", c.runDir().toString());
        }
        backbones.put(main, run.runDir().toString());
        log.printf("demo: writing %d + %d + %d synthetic RSNA-like images for the downstream tasks ...%n", d.train(),
                d.validation(), d.test());
        Path rsna = DownstreamData.generateSynthetic(s.out().resolve("downstream-data").resolve("rsna"), "rsna",
                s.seed(), d.train(), d.validation(), d.test(), size);
        Path results = s.out().resolve("downstream");
        if (Files.exists(results)) {
            // A resumed demo has trained further: results of the earlier weights must not be kept.
            log.println("demo: replacing the earlier downstream results in " + results);
            try (java.util.stream.Stream<Path> all = Files.walk(results)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(results + ": cannot remove the earlier results: "
                        + e.getMessage(), e);
            }
        }
        List<DownstreamSuite.Result> suites = new ArrayList<>();
        for (Map.Entry<String, String> b : backbones.entrySet()) {
            log.printf("demo: evaluation protocol (%s) for %s ...%n", String.join(", ", d.tasks()), b.getKey());
            suites.add(DownstreamSuite.builder().backbone(b.getValue()).name(b.getKey()).out(results)
                    .tasks(d.tasks()).runs(d.runs()).maxLrs(d.maxLrs()).data("rsna", rsna).inputSize(size)
                    .batchSize(d.batchSize()).maxEpochs(d.maxEpochs()).headWidthDivisor(d.headWidthDivisor())
                    .workers(s.threads()).log(log).run());
        }
        List<String> models = List.copyOf(backbones.keySet());
        return new DownstreamResult(results, models, Results.table(results, models, true), suites, controlEpochs,
                (System.nanoTime() - t0) / 1e9);
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
        DownstreamResult d = r.downstream();
        if (d != null) {
            lines.add("");
            lines.add("downstream tasks on synthetic RSNA-like data (the paper's protocol, reduced: "
                    + d.suites().get(0).tasks().get(0).runs().size() + " runs per task, test metric x100 as mean±95 % "
                    + "interval; + / - : interval wholly above / below " + d.models().get(0) + "'s):");
            d.table().lines().forEach(l -> lines.add("  " + l));
            if (d.controlEpochs() > 0) {
                lines.add(String.format("  global_only: the same model pre-trained with the global loss only, %d epochs",
                        d.controlEpochs()));
            }
            lines.add(String.format("  random_init: the same architecture, untrained; evaluation and control took %.0f s",
                    d.seconds()));
        }
        return lines;
    }
}
