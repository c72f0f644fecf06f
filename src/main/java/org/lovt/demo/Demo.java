package org.lovt.demo;

import org.lovt.train.Experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.analysis.Overlays;
import org.lovt.analysis.PointingGame;
import org.lovt.config.ConfigLoader;
import org.lovt.config.ResolvedConfig;
import org.lovt.config.UserConfig;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.datasets.synthetic.Box;
import org.lovt.data.datasets.synthetic.Finding;
import org.lovt.data.datasets.synthetic.FindingType;
import org.lovt.data.datasets.synthetic.SyntheticDataset;
import org.lovt.data.datasets.synthetic.SyntheticFolder;
import org.lovt.data.datasets.synthetic.SyntheticSample;
import org.lovt.data.datasets.synthetic.SyntheticWriter;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.eval.Dice;
import org.lovt.eval.LinearSegmentation;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.model.PretrainedModels;
import org.lovt.nn.CrossAttention;
import org.lovt.text.ReportAugmentation;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.text.WordPieceTokenizer;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.Seeds;
import org.lovt.torch.Tensors;
import org.lovt.train.LoaderBatchSource;
import org.lovt.train.PreTrainExperimentConfig;
import org.lovt.train.Pretrainer;
import org.lovt.util.AtomicFiles;

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
     * @param out            run folder
     * @param threads        data-generation and loader threads
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

    /** What it measured. */
    public record Result(Recipe recipe, double groundingBefore, double groundingAfter, double groundingChance,
                         int groundedSentences,
                         double zoneGroundingBefore, double zoneGroundingAfter, double zoneGroundingChance,
                         double poolGroundingBefore, double poolGroundingAfter,
                         double reportMeanGroundingAfter, double reportMeanZoneGroundingAfter,
                         int multiFindingSentences, double describedFindingOnlyAfter, double otherFindingOnlyAfter,
                         double diceRandomInit, double diceLearned, int epochs, double trainSeconds, Path out,
                         List<Path> pictures, java.util.Map<String, TypeGrounding> byFindingType) {}

    /**
     * The trained model's pointing game restricted to the sentences about one kind of finding: how many there are,
     * and the fractions that hit the finding's box and its zone, with a random pointer's box and zone rates.
     */
    public record TypeGrounding(int sentences, double hits, double chance, double zoneHits, double zoneChance) {}

    private Demo() {}

    public static Result run(Settings s) throws IOException {
        long t0 = System.nanoTime();
        // The demo's tensors are small: one libtorch thread runs a step about 3.5x faster than two (OpenMP
        // synchronisation per operation dominates), and the other cores go to the data loader.
        int torchThreads = org.bytedeco.pytorch.global.torch.get_num_threads();
        org.bytedeco.pytorch.global.torch.set_num_threads(1);
        try {
            return runWithThreads(s, t0);
        } finally {
            org.bytedeco.pytorch.global.torch.set_num_threads(torchThreads);
        }
    }

    private static Result runWithThreads(Settings s, long t0) throws IOException {
        long deadline = t0 + (long) (s.minutes() * 60e9);
        PrintStream log = s.log();
        Path out = s.out();
        Files.createDirectories(out);

        List<String> overrides = new ArrayList<>(OVERRIDES);
        overrides.add("seed=" + s.seed());
        overrides.addAll(s.recipe().overrides());
        overrides.addAll(s.extraOverrides());
        ResolvedConfig resolved = Experiments.load(Optional.empty(), Experiments.TRAIN_REPRESENTATION, overrides);
        PreTrainExperimentConfig experiment = resolved.bind(PreTrainExperimentConfig.class);
        // Images are generated at the model's input size; the region grid follows the feature layer's stride.
        int size = experiment.pretrainModel().encoderA().inputSize().get(0);
        int stride = 1 << (1 + org.lovt.vision.ResNet.FEATURES.indexOf(
                experiment.pretrainModel().encoderA().regionFeatureLayer()));

        log.printf("demo: generating %d + %d + %d synthetic studies (%dx%d) ...%n", s.train(), s.validation(),
                s.test(), size, size);
        List<SyntheticDataset> splits = SyntheticDataset.splits(s.seed(), s.train(), s.validation(), s.test(), size);
        Path data = out.resolve("data");
        if (!Files.isDirectory(data)) {
            SyntheticWriter.write(data, splits, s.threads());
        }
        List<SyntheticSample> test = samples(splits.get(2), Integer.MAX_VALUE);
        List<SyntheticSample> validation = samples(splits.get(1), Integer.MAX_VALUE);
        List<SyntheticSample> probeTrain = samples(splits.get(0), 400);
        double[] stats = pixelStats(probeTrain);

        Seeds.manualSeed(s.seed());
        var trainSet = SyntheticFolder.open(data.resolve("train"));
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < trainSet.size(); i++) {
            corpus.addAll(trainSet.get(i).sentences());
        }
        PretrainedModels.Assembled a = PretrainedModels.assemble(experiment.pretrainModel(), UserConfig.empty(),
                null, () -> corpus);
        LovtModel model = a.model();
        Device cpu = new Device("cpu");
        try (WordPieceTokenizer tok = a.tokenizer()) {
            ReportPacker packer = new ReportPacker(tok, experiment.pretrainModel().encoderB().maxLength());
            int grid = size / stride;
            log.println("demo: measuring the untrained model ...");
            Grounding before = grounding(model, packer, test, stats, size, grid, null, 0, null);
            double diceRandom = probeDice(model, probeTrain, test, stats, size);

            var aug = experiment.pretrainModel().encoderA().dataAugmentation();
            PretrainingPipeline trainPipe = PretrainingPipeline.train(
                    ScanTransform.train(aug, size, stats[0], stats[1]),
                    new ReportAugmentation(experiment.pretrainModel().encoderB().dataAugmentation()),
                    ScanImageSource.decoding());
            PretrainingPipeline valPipe = PretrainingPipeline.validation(
                    ScanTransform.validation(aug, size, stats[0], stats[1]), ScanImageSource.decoding());
            int batch = experiment.pretrainModel().batchSize();
            Path runDir = out.resolve("run");
            long evalReserve = (long) (Math.max(20, s.minutes() * 60 * 0.12) * 1e9);
            long trainStart = System.nanoTime();
            Pretrainer.Result r;
            try (LoaderBatchSource t = new LoaderBatchSource(trainPipe.loader(trainSet,
                    LoaderOptions.of(batch, true, true, s.threads(), s.seed())), (long) s.train() / batch * batch);
                 LoaderBatchSource v = new LoaderBatchSource(valPipe.loader(SyntheticFolder.open(data.resolve(
                         "validation")), LoaderOptions.of(batch, false, false, s.threads(), s.seed())), s.validation())) {
                log.println("demo: pre-training LoVT (" + String.format("%,d", model.parameterCount(false))
                        + " parameters) until the time budget is used ...");
                r = new Pretrainer(experiment, model, packer, t, v, runDir, cpu,
                        new Pretrainer.Options(s.maxEpochs() > 0 ? s.maxEpochs() : Integer.MAX_VALUE, Long.MAX_VALUE, 0,
                                5, log)
                                .withDeadline(deadline - evalReserve)
                                .withExtraValidation(epoch -> {
                                    Grounding gv = grounding(model, packer, validation, stats, size, grid, null, 0,
                                            null);
                                    return java.util.Map.of("grounding", gv.hits(), "grounding_zone", gv.zoneHits());
                                }))
                        .fit();
            }
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            log.println("demo: measuring the trained model ...");
            List<Path> pictures = new ArrayList<>();
            List<String> perSentence = new ArrayList<>();
            Grounding after = grounding(model, packer, test, stats, size, grid, out.resolve("pictures"), s.pictures(),
                    perSentence);
            AtomicFiles.writeString(out.resolve("grounding-test.csv"), String.join("\n", perSentence) + "\n");
            try (var files = Files.list(out.resolve("pictures"))) {
                files.sorted().forEach(pictures::add);
            } catch (IOException ignored) {
                // no pictures requested
            }
            double diceLearned = probeDice(model, probeTrain, test, stats, size);
            charts(runDir, out);
            Result result = new Result(s.recipe(), before.hits(), after.hits(), after.chance(), after.sentences(),
                    before.zoneHits(), after.zoneHits(), after.zoneChance(), before.poolHits(), after.poolHits(),
                    after.reportMeanHits(), after.reportMeanZoneHits(),
                    after.multiSentences(), after.describedOnly(), after.otherOnly(),
                    diceRandom, diceLearned,
                    r.state().epoch(), trainSeconds, out, pictures, after.byType());
            AtomicFiles.writeString(out.resolve("results.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(result));
            return result;
        }
    }

    /** The first {@code limit} samples of a split (generated on demand, held in memory). */
    private static List<SyntheticSample> samples(SyntheticDataset split, int limit) {
        List<SyntheticSample> out = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, split.size()); i++) {
            out.add(split.get(i));
        }
        return out;
    }

    /** Mean and std of the images' pixels in [0, 1] (spec data §0 formula: per-image moments combined). */
    static double[] pixelStats(List<SyntheticSample> samples) {
        double meanSum = 0;
        double varSum = 0;
        double meanSq = 0;
        for (SyntheticSample s : samples) {
            double sum = 0;
            double sq = 0;
            for (byte b : s.pixels()) {
                double v = (b & 0xff) / 255.0;
                sum += v;
                sq += v * v;
            }
            int n = s.pixels().length;
            double m = sum / n;
            meanSum += m;
            meanSq += m * m;
            varSum += sq / n - m * m;
        }
        int k = samples.size();
        double mean = meanSum / k;
        double var = varSum / k + (meanSq / k - mean * mean);
        return new double[] {mean, Math.sqrt(var)};
    }

    /** (B, 3, S, S) normalised scans of samples {@code from..to}. */
    static Tensor scans(List<SyntheticSample> samples, int from, int to, double[] stats, int size) {
        int b = to - from;
        ByteBuffer buf = ByteBuffer.allocate(b * 3 * size * size * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            byte[] px = samples.get(i).pixels();
            for (int c = 0; c < 3; c++) {
                for (byte v : px) {
                    buf.putFloat((float) (((v & 0xff) / 255.0 - stats[0]) / stats[1]));
                }
            }
        }
        buf.flip();
        return Tensors.fromHost(new HostTensor(DType.F32, new long[] {b, 3, size, size}, buf));
    }

    /**
     * Pointing-game scores over the sentences that describe a finding: {@code hits} (the most attended region lies on
     * the finding's box), {@code zoneHits} (it lies in the finding's lung zone), the hit rates a uniformly random
     * pointer would reach, the number of sentences, and {@code poolHits}: how often the region the scan encoder's
     * attention pool weighs most (what the global image embedding looks at, the same for every sentence) lies on
     * the described finding's box; {@code reportMeanHits} and {@code reportMeanZoneHits}: the same pointing game with
     * the sentence attention averaged over all sentences of the report, the control that shows how much of the hit
     * rate needs the sentence at all; the scores by kind of finding; and the test of whether the sentence picks
     * <em>its</em> finding: over the {@code multiSentences} finding sentences of images with several findings, the
     * fraction whose most attended region lies on the described finding's box and on no other finding's
     * ({@code describedOnly}), and on another finding's box but not on the described one's ({@code otherOnly}).
     * Attention that finds abnormal regions without reading the sentence lands on another finding at least as
     * often as on the described one.
     */
    record Grounding(double hits, double chance, double zoneHits, double zoneChance, int sentences, double poolHits,
                     double reportMeanHits, double reportMeanZoneHits, int multiSentences, double describedOnly,
                     double otherOnly, java.util.Map<String, TypeGrounding> byType) {}

    /**
     * Scores the sentence→region attention of {@code samples} with the pointing game (see {@link Grounding}). Draws up
     * to {@code pictures} overlays into {@code pictureDir}. With {@code perSentence}, adds a CSV header and one row per
     * finding sentence to it (study, sentence, finding, where it is, where the attention points, whether it hit).
     */
    static Grounding grounding(LovtModel model, ReportPacker packer, List<SyntheticSample> samples, double[] stats,
                               int size, int grid, Path pictureDir, int pictures, List<String> perSentence) {
        model.eval();
        Tally all = new Tally();
        java.util.Map<FindingType, Tally> perType = new java.util.EnumMap<>(FindingType.class);
        if (perSentence != null) {
            perSentence.add("study,sentence,finding,zone,box_x,box_y,box_w,box_h,anchor_x,anchor_y,region_row,"
                    + "region_col,attention,box_attention,box_hit,zone_hit,report_mean_box_hit,report_mean_zone_hit,"
                    + "other_finding_hit,text");
        }
        int drawn = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            for (int from = 0; from < samples.size(); from += 32) {
                int to = Math.min(samples.size(), from + 32);
                try (Scope sc = Scope.open()) {
                    List<List<String>> reports = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        reports.add(samples.get(i).sentences());
                    }
                    ReportBatch rb = packer.pack(reports);
                    EncoderOutput ea = model.scanEncoder().forward(scans(samples, from, to, stats, size));
                    EncoderOutput eb = model.reportEncoder().forward(rb);
                    CrossAttention.Output att = model.attention(ea, eb);
                    float[] p = Tensors.toFloats(att.probsA2b());                // (B, N_b, grid²)
                    float[] pool = Tensors.toFloats(ea.weights());               // (B, grid²)
                    long nb = att.probsA2b().size(1);
                    int regions = grid * grid;
                    for (int b = 0; b < to - from; b++) {
                        SyntheticSample smp = samples.get(from + b);
                        int[] findingOf = smp.sentenceFindings();
                        int[] kept = rb.keptSentences()[b];
                        // The attention pool's argmax is one region per image, whatever the sentence.
                        int pooled = PointingGame.argmax(java.util.Arrays.copyOfRange(pool, b * regions,
                                (b + 1) * regions));
                        // The control without sentence information: the attention averaged over all of the report's
                        // sentences (findings and normal ones alike), one pointer per image.
                        float[] meanAttention = new float[regions];
                        for (int k = 0; k < kept.length; k++) {
                            for (int cell = 0; cell < regions; cell++) {
                                meanAttention[cell] += p[(int) ((b * nb + k) * regions) + cell] / kept.length;
                            }
                        }
                        int meanArgmax = PointingGame.argmax(meanAttention);
                        for (int k = 0; k < kept.length; k++) {
                            int f = findingOf[kept[k]];
                            if (f < 0) {
                                continue;
                            }
                            Finding finding = smp.findings().get(f);
                            float[] a = java.util.Arrays.copyOfRange(p, (int) ((b * nb + k) * regions),
                                    (int) ((b * nb + k + 1) * regions));
                            int argmax = PointingGame.argmax(a);
                            Box box = finding.box();
                            Box zone = smp.zoneBoxes().get(finding.zone());
                            boolean hit = hit(argmax, grid, size, box);
                            boolean zoneHit = hit(argmax, grid, size, zone);
                            boolean meanHit = hit(meanArgmax, grid, size, box);
                            boolean meanZoneHit = hit(meanArgmax, grid, size, zone);
                            double boxChance = PointingGame.chance(grid, grid, size, size, box.x(), box.y(), box.w(),
                                    box.h());
                            double zoneChance = PointingGame.chance(grid, grid, size, size, zone.x(), zone.y(),
                                    zone.w(), zone.h());
                            boolean poolHit = hit(pooled, grid, size, box);
                            boolean otherHit = false;
                            for (int other = 0; other < smp.findings().size(); other++) {
                                otherHit |= other != f && hit(argmax, grid, size, smp.findings().get(other).box());
                            }
                            for (Tally t : new Tally[] {all, perType.computeIfAbsent(finding.type(),
                                    key -> new Tally())}) {
                                t.add(hit, zoneHit, boxChance, zoneChance, poolHit, meanHit, meanZoneHit);
                            }
                            if (smp.findings().size() > 1) {
                                all.addMulti(hit && !otherHit, otherHit && !hit);
                            }
                            if (perSentence != null) {
                                double onBox = 0;
                                for (int cell = 0; cell < regions; cell++) {
                                    onBox += hit(cell, grid, size, box) ? a[cell] : 0;
                                }
                                String text = smp.sentences().get(kept[k]).replace("\"", "\"\"");
                                perSentence.add(String.format(java.util.Locale.ROOT,
                                        "%d,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%b,%b,%b,%b,%b,\"%s\"",
                                        smp.index(), kept[k], finding.type().key(), finding.zone().key(), box.x(),
                                        box.y(), box.w(), box.h(), finding.anchorX(), finding.anchorY(),
                                        argmax / grid, argmax % grid, a[argmax], onBox, hit, zoneHit, meanHit,
                                        meanZoneHit, otherHit, text));
                            }
                            if (pictureDir != null && drawn < pictures) {
                                Overlays.attention(pictureDir.resolve(String.format("attention-%02d.png", drawn)),
                                        smp.pixels(), size, size, a, grid, grid,
                                        new double[] {box.x(), box.y(), box.w(), box.h()},
                                        (hit ? "HIT  " : "miss ") + smp.sentences().get(kept[k]));
                                drawn++;
                            }
                        }
                    }
                }
            }
        } finally {
            model.train(true);
        }
        java.util.Map<String, TypeGrounding> byType = new java.util.LinkedHashMap<>();
        perType.forEach((type, t) -> byType.put(type.key(), new TypeGrounding(t.n, t.hits / t.n, t.chance / t.n,
                t.zoneHits / t.n, t.zoneChance / t.n)));
        if (all.n == 0) {
            return new Grounding(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byType);
        }
        int multi = all.multi;
        return new Grounding(all.hits / all.n, all.chance / all.n, all.zoneHits / all.n, all.zoneChance / all.n,
                all.n, all.poolHits / all.n, all.meanHits / all.n, all.meanZoneHits / all.n, multi,
                multi == 0 ? 0 : all.describedOnly / multi, multi == 0 ? 0 : all.otherOnly / multi, byType);
    }

    /** Whether region {@code region} of the {@code grid}² cells of a {@code size}-pixel image overlaps {@code b}. */
    private static boolean hit(int region, int grid, int size, Box b) {
        return PointingGame.hit(region, grid, grid, size, size, b.x(), b.y(), b.w(), b.h());
    }

    /**
     * Sums over finding sentences: count, hits of the sentence, of the pool and of the control, random rates; and
     * for images with several findings, whether the sentence's argmax lies on its own finding or another.
     */
    private static final class Tally {
        int n;
        double hits;
        double zoneHits;
        double chance;
        double zoneChance;
        double poolHits;
        double meanHits;
        double meanZoneHits;
        int multi;
        double describedOnly;
        double otherOnly;

        /** A finding sentence of an image with several findings: where its most attended region lies. */
        void addMulti(boolean onDescribedOnly, boolean onOtherOnly) {
            multi++;
            describedOnly += onDescribedOnly ? 1 : 0;
            otherOnly += onOtherOnly ? 1 : 0;
        }

        void add(boolean hit, boolean zoneHit, double boxChance, double zoneRate, boolean poolHit, boolean meanHit,
                 boolean meanZoneHit) {
            n++;
            hits += hit ? 1 : 0;
            zoneHits += zoneHit ? 1 : 0;
            chance += boxChance;
            zoneChance += zoneRate;
            poolHits += poolHit ? 1 : 0;
            meanHits += meanHit ? 1 : 0;
            meanZoneHits += meanZoneHit ? 1 : 0;
        }
    }

    /**
     * Dice of a linear segmentation probe (1×1 conv on the frozen region feature map, upsampled) trained to segment
     * the union of the finding masks, on the test images.
     */
    static double probeDice(LovtModel model, List<SyntheticSample> train, List<SyntheticSample> test, double[] stats,
                            int size) {
        String layer = model.scanEncoder().config().regionFeatureLayer();
        try (Scope sc = Scope.open()) {
            Tensor fTrain = features(model, train, stats, size, layer);
            Tensor yTrain = masks(train, size);
            Tensor fTest = features(model, test, stats, size, layer);
            Tensor yTest = masks(test, size);
            Seeds.manualSeed(7);
            LinearSegmentation head = new LinearSegmentation(fTrain.size(1), 1);
            Adam opt = new Adam(head.parameters(true), new AdamOptions(1e-2));
            long n = fTrain.size(0);
            for (int epoch = 0; epoch < 30; epoch++) {
                for (long from = 0; from < n; from += 32) {
                    try (Scope step = Scope.open()) {
                        long len = Math.min(32, n - from);
                        Tensor loss = Dice.loss(head.forward(fTrain.narrow(0, from, len), size, size),
                                yTrain.narrow(0, from, len));
                        opt.zero_grad();
                        loss.backward();
                        opt.step();
                    }
                }
            }
            Dice dice = new Dice();
            try (NoGradGuard g = new NoGradGuard()) {
                dice.update(head.forward(fTest, size, size), yTest);
            }
            return dice.value();
        }
    }

    private static Tensor features(LovtModel model, List<SyntheticSample> samples, double[] stats, int size,
                                   String layer) {
        model.eval();
        List<Tensor> parts = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            for (int from = 0; from < samples.size(); from += 32) {
                int to = Math.min(samples.size(), from + 32);
                parts.add(model.scanEncoder().backbone().features(scans(samples, from, to, stats, size), layer)
                        .get(layer));
            }
        } finally {
            model.train(true);
        }
        return torch.cat(new org.bytedeco.pytorch.TensorVector(parts.toArray(new Tensor[0])), 0);
    }

    private static Tensor masks(List<SyntheticSample> samples, int size) {
        float[] m = new float[samples.size() * size * size];
        for (int i = 0; i < samples.size(); i++) {
            for (Finding f : samples.get(i).findings()) {
                byte[] mask = f.mask();
                if (mask == null) {
                    continue;
                }
                for (int p = 0; p < size * size; p++) {
                    if (mask[p] != 0) {
                        m[i * size * size + p] = 1f;
                    }
                }
            }
        }
        return Tensors.floats(m, samples.size(), 1, size, size);
    }

    /** Loss curves of the run (train every logged batch, validation per epoch). */
    static void charts(Path runDir, Path out) throws IOException {
        List<Double> train = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        List<Double> box = new ArrayList<>();
        List<Double> zone = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n = m.readTree(line);
            if (n.has("train/total_loss")) {
                train.add(n.get("train/total_loss").asDouble());
            }
            if (n.has("val/total_loss")) {
                val.add(n.get("val/total_loss").asDouble());
            }
            if (n.has("val/grounding")) {
                box.add(n.get("val/grounding").asDouble());
                zone.add(n.get("val/grounding_zone").asDouble());
            }
        }
        Overlays.chart(out.resolve("loss-train.png"), "training loss (logged batches)", new String[] {"train"},
                new double[][] {train.stream().mapToDouble(Double::doubleValue).toArray()});
        Overlays.chart(out.resolve("loss-validation.png"), "validation loss (per epoch)", new String[] {"val"},
                new double[][] {val.stream().mapToDouble(Double::doubleValue).toArray()});
        if (!box.isEmpty()) {
            Overlays.chart(out.resolve("grounding-validation.png"), "pointing game on validation (per epoch)",
                    new String[] {"finding box", "finding zone"}, new double[][] {
                            box.stream().mapToDouble(Double::doubleValue).toArray(),
                            zone.stream().mapToDouble(Double::doubleValue).toArray()});
        }
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
