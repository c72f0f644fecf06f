package org.lovt.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.config.ConfigLoader;
import org.lovt.config.UserConfig;
import org.lovt.data.DataLoader;
import org.lovt.data.LoaderOptions;
import org.lovt.data.PretrainingBatch;
import org.lovt.data.PretrainingPipeline;
import org.lovt.data.image.ScanImageSource;
import org.lovt.data.image.ScanTransform;
import org.lovt.model.EncoderOutput;
import org.lovt.model.LovtModel;
import org.lovt.model.PretrainedModels;
import org.lovt.text.ReportBatch;
import org.lovt.text.ReportPacker;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.torch.io.Safetensors;
import org.lovt.train.Checkpoints;
import org.lovt.train.PreTrainExperimentConfig;

/**
 * The public API end to end on a tiny model: pre-train on generated data, load the run, embed and ground, load the
 * exported backbone. The embeddings must equal, bit for bit, what the pre-training model's own encoders compute on
 * the pre-training validation pipeline's batches.
 */
class PublicApiTest {
    static final List<String> TINY = List.of("+experiment=LoVT_100", "name=api-test", "seed=11",
            "pretrain_model.encoder_b.language_encoder=lovt/tiny-bert",
            "pretrain_model.encoder_b.freeze_embeddings=false", "pretrain_model.encoder_b.freeze_encoder_layers=0",
            "pretrain_model.encoder_b.max_length=64",
            "++pretrain_model.encoder_a.backbone_args.stem_width=4",
            "++pretrain_model.encoder_a.backbone_args.layers=[1,1,1,1]",
            "pretrain_model.encoder_a.region_feature_layer=conv3", "pretrain_model.encoder_a.input_size=[32,32]",
            "pretrain_model.d_z=16", "pretrain_model.d_hidden=32", "pretrain_model.batch_size=8",
            "trainer.accumulate_grad_batches=1", "~online_eval");

    @TempDir
    static Path shared;
    static PretrainingData data;
    static PretrainingResult result;
    static String log;
    static final List<String> calls = new ArrayList<>();

    @BeforeAll
    static void pretrain() {
        data = PretrainingData.generateSynthetic(shared.resolve("data"), 5, 16, 8, 2, 64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path probe = data.validation().get(0).images().get(0);
        result = Pretraining.builder().overrides(TINY).data(data).runDir(shared.resolve("run")).maxEpochs(1)
                .workers(1).ignoreUserConfig().log(new PrintStream(out, true))
                .listener(new PretrainingListener() {
                    @Override
                    public void onStart(LovtEncoder model) {
                        calls.add("start " + norm(model.embedScan(probe).projectedGlobal()));
                    }

                    @Override
                    public void onBatch(int epoch, long batch, long batchesPerEpoch, long optimizerSteps,
                                        double learningRate, Map<String, Double> metrics) {
                        calls.add("batch " + epoch + " " + batch + "/" + batchesPerEpoch + " steps " + optimizerSteps
                                + (Double.isFinite(metrics.get("total_loss")) && learningRate > 0 ? "" : " bad"));
                    }

                    @Override
                    public void onTrainEpochEnd(int epoch, long batches, double seconds, double dataWaitSeconds) {
                        calls.add("trained " + epoch + " " + batches + (seconds > 0 && dataWaitSeconds >= 0
                                && dataWaitSeconds < seconds ? "" : " bad times " + seconds + " " + dataWaitSeconds));
                    }

                    @Override
                    public void onEpoch(int epoch, Map<String, Double> validation, double monitored, boolean best) {
                        calls.add("epoch " + epoch + (best ? " best" : "") + " "
                                + (monitored == validation.get("total_loss")) + " " + validation.containsKey(
                                "probe_norm"));
                    }
                })
                .evaluator((model, epoch) -> {
                    calls.add("evaluate " + epoch);
                    return Map.of("probe_norm", (double) norm(model.embedScan(probe).projectedGlobal()));
                })
                .build().run();
        log = out.toString();
    }

    static float norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return (float) Math.sqrt(s);
    }

    @Test
    void evaluatorsSeeTheModelAfterEachEpochAndAreLogged() throws Exception {
        assertEquals(List.of("evaluate 0"), calls.stream().filter(c -> c.startsWith("evaluate")).toList());
        double logged = result.lastValidation().get("probe_norm");
        try (LovtEncoder api = LovtEncoder.fromRun(result.runDir())) {
            float now = norm(api.embedScan(data.validation().get(0).images().get(0)).projectedGlobal());
            assertEquals(now, logged, 1e-4 * now, "the evaluator saw the trained weights, in evaluation mode");
        }
        String csv = Files.readString(result.runDir().resolve("metrics.csv"));
        assertTrue(csv.contains(",val/probe_norm,"), csv);
    }

    @Test
    void listenersFollowTheRunInOrder() throws Exception {
        assertTrue(calls.get(0).startsWith("start "), calls.toString());
        assertTrue(Float.parseFloat(calls.get(0).substring(6)) > 0, "onStart can embed with the initial model");
        assertEquals(List.of("batch 0 1/2 steps 1", "batch 0 2/2 steps 2", "trained 0 2", "evaluate 0",
                        "epoch 0 best true true"), calls.subList(1, calls.size()),
                "batches, the epoch's training time, then the evaluator, then the epoch with its metrics");
    }

    @Test
    void runFolderIsComplete() {
        assertEquals(1, result.epochs(), log);
        assertEquals(2, result.optimizerSteps(), "16 samples in batches of 8");
        for (String f : List.of("config.yaml", "run.json", "model.json", "vocab.txt", "metrics.csv",
                "backbone_weights.safetensors")) {
            assertTrue(Files.isRegularFile(result.runDir().resolve(f)), f);
        }
        assertEquals(result.runDir().resolve("backbone_weights.safetensors"), result.backbone());
        assertTrue(Double.isFinite(result.best()) && result.bestEpoch() == 0, result.toString());
        assertTrue(log.contains("synthetic folder"), log);
    }

    @Test
    void embeddingsEqualThePretrainingModelsOwn() throws Exception {
        PreTrainExperimentConfig e = ConfigLoader.loadFile(result.runDir().resolve("config.yaml"))
                .bind(PreTrainExperimentConfig.class);
        var c = e.pretrainModel();
        // The pre-training model as pre-training builds it, with the checkpoint loaded by the trainer's reader.
        PretrainedModels.Assembled a = PretrainedModels.assemble(c, UserConfig.empty(),
                result.runDir().resolve("vocab.txt"), List::of);
        LovtModel own = a.model();
        Path ckpt = new Checkpoints(result.runDir().resolve("checkpoints")).resolve(Checkpoints.BEST).orElseThrow();
        Checkpoints.load(ckpt, own, null);
        own.eval();
        int size = c.encoderA().inputSize().get(0);
        PretrainingPipeline val = PretrainingPipeline.validation(ScanTransform.validation(
                c.encoderA().dataAugmentation(), size, data.pixelMean(), data.pixelStd()), ScanImageSource.decoding());
        List<Path> images = new ArrayList<>();
        List<List<String>> reports = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(data.validation().get(i).images().get(0));
            reports.add(data.validation().get(i).sentences());
        }
        try (LovtEncoder api = LovtEncoder.fromRun(result.runDir());
             DataLoader<?, PretrainingBatch> loader = val.loader(data.validation(),
                     LoaderOptions.of(8, false, false, 1, 0));
             Scope s = Scope.open(); NoGradGuard g = new NoGradGuard()) {
            PretrainingBatch batch = loader.batch(0, 0);
            EncoderOutput ea = own.scanEncoder().forward(Tensors.fromHost(batch.scans()));
            float[] yl = Tensors.toFloats(ea.local());
            float[] yg = Tensors.toFloats(ea.global());
            float[] zg = Tensors.toFloats(own.projectScan(ea).zg());
            List<ScanEmbedding> emb = api.embedScans(images);
            int n = emb.get(0).regions().length;
            int d = emb.get(0).regions()[0].length;
            assertEquals(16, n, "a 32-pixel input has a 4x4 conv3 grid");
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(yg, i * yg.length / 8, (i + 1) * yg.length / 8),
                        emb.get(i).global(), "y_g of image " + i);
                assertArrayEquals(java.util.Arrays.copyOfRange(zg, i * zg.length / 8, (i + 1) * zg.length / 8),
                        emb.get(i).projectedGlobal(), "z_g of image " + i);
                for (int r = 0; r < n; r++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(yl, (i * n + r) * d, (i * n + r + 1) * d),
                            emb.get(i).regions()[r], "region " + r + " of image " + i);
                }
            }
            // One image alone from a file, as a BufferedImage and as floats in [0, 1]: the same numbers; and (up
            // to the kernels' batch-size dependent summation order) those of the batch.
            BufferedImage bi = ImageIO.read(images.get(3).toFile());
            float[] single = api.embedScan(images.get(3)).global();
            assertArrayEquals(emb.get(3).global(), single, 1e-5f);
            assertArrayEquals(single, api.embedScan(bi).global());
            float[] px = new float[bi.getWidth() * bi.getHeight()];
            for (int y = 0; y < bi.getHeight(); y++) {
                for (int x = 0; x < bi.getWidth(); x++) {
                    px[y * bi.getWidth() + x] = (bi.getRaster().getSample(x, y, 0)) / 255f;
                }
            }
            assertArrayEquals(single, api.embedScan(px, bi.getWidth(), bi.getHeight()).global());

            // Reports: the same packing and encoder as in pre-training.
            ReportBatch rb = new ReportPacker(a.tokenizer(), c.encoderB().maxLength()).pack(reports.subList(2, 3));
            EncoderOutput eb = own.reportEncoder().forward(rb);
            ReportEmbedding re = api.embedSentences(reports.get(2));
            assertEquals(reports.get(2).size(), re.sentences().size());
            assertArrayEquals(Tensors.toFloats(eb.global()), re.global());
            assertArrayEquals(Tensors.toFloats(own.projectReport(eb).zg()), re.projectedGlobal());
        } finally {
            a.tokenizer().close();
        }
    }

    @Test
    void groundingGivesANormalisedHeatmapAndAPng() throws Exception {
        Path image = data.validation().get(0).images().get(0);
        String sentence = data.validation().get(0).sentences().get(0);
        try (LovtEncoder api = LovtEncoder.fromRun(result.runDir())) {
            Heatmap h = api.ground(image, sentence);
            assertEquals(4, h.gridHeight());
            assertEquals(16, h.weights().length);
            double sum = 0;
            for (float w : h.weights()) {
                assertTrue(w >= 0, "attention weights are probabilities");
                sum += w;
            }
            assertEquals(1.0, sum, 1e-5);
            int[] peak = h.peak();
            for (float w : h.weights()) {
                assertTrue(w <= h.weight(peak[0], peak[1]));
            }
            Path png = h.writePng(shared.resolve("pictures/heatmap.png"));
            BufferedImage written = ImageIO.read(png.toFile());
            assertTrue(written.getWidth() >= 32 && written.getHeight() >= 32, written.toString());
            try (var files = Files.list(png.getParent())) {
                assertEquals(List.of(png), files.toList(), "no temporary file is left");
            }
            assertThrows(LovtException.class, () -> api.ground(shared.resolve("missing.png"), sentence));
        }
    }

    @Test
    void exportedBackboneDescribesItselfAndEmbedsLikeTheModel() throws Exception {
        ScanBackbone b = ScanBackbone.load(result.backbone());
        assertEquals(32, b.info().inputSize());
        assertEquals(data.pixelMean(), b.info().pixelMean());
        assertEquals(data.pixelStd(), b.info().pixelStd());
        assertEquals("conv3", b.info().regionFeatureLayer());
        assertEquals(List.of(1, 1, 1, 1), b.info().layers());
        assertEquals(result.runDir().getFileName().toString(), b.info().sourceRun());
        Path image = data.validation().get(1).images().get(0);
        ScanEmbedding fromBackbone = b.embedScan(image);
        assertNull(fromBackbone.projectedGlobal());
        try (LovtEncoder api = LovtEncoder.fromRun(result.runDir())) {
            ScanEmbedding fromModel = api.embedScan(image);
            for (int r = 0; r < fromModel.regions().length; r++) {
                assertArrayEquals(fromModel.regions()[r], fromBackbone.regions()[r], "region " + r);
            }
        }
    }

    @Test
    void damagedBackboneMetadataIsRefusedNamingTheEntry() {
        Safetensors.Contents c = Safetensors.read(result.backbone());
        Map<String, String> noStd = new LinkedHashMap<>(c.metadata());
        noStd.remove("pixel_std");
        Path f1 = shared.resolve("no-std.safetensors");
        Safetensors.write(f1, c.tensors(), noStd);
        var e = assertThrows(LovtException.class, () -> ScanBackbone.load(f1));
        assertEquals(f1 + ": metadata entry 'pixel_std' is missing", e.getMessage());

        Path f2 = shared.resolve("bare.safetensors");
        Safetensors.write(f2, c.tensors(), Map.of());
        e = assertThrows(LovtException.class, () -> ScanBackbone.load(f2));
        assertTrue(e.getMessage().startsWith(f2 + ": not a self-describing LoVT backbone"), e.getMessage());

        Map<String, String> bigger = new LinkedHashMap<>(c.metadata());
        bigger.put("stem_width", "8");
        Path f3 = shared.resolve("other-arch.safetensors");
        Safetensors.write(f3, c.tensors(), bigger);
        e = assertThrows(LovtException.class, () -> ScanBackbone.load(f3));
        assertTrue(e.getMessage().startsWith(f3 + ": the weights do not match"), e.getMessage());

        Map<String, HostTensor> missing = new LinkedHashMap<>(c.tensors());
        missing.remove("conv1.weight");
        Path f4 = shared.resolve("missing-weight.safetensors");
        Safetensors.write(f4, missing, c.metadata());
        e = assertThrows(LovtException.class, () -> ScanBackbone.load(f4));
        assertTrue(e.getMessage().contains("conv1.weight"), e.getMessage());
    }

    @Test
    void badInputsFailClearly() throws Exception {
        try (LovtEncoder api = LovtEncoder.fromRun(result.runDir())) {
            var e = assertThrows(LovtException.class, () -> api.embedScan(new float[] {0.5f, 2f}, 2, 1));
            assertTrue(e.getMessage().contains("pixel 1") && e.getMessage().contains("[0, 1]"), e.getMessage());
            assertThrows(LovtException.class, () -> api.embedScan(new float[3], 2, 2));
            Path junk = Files.writeString(shared.resolve("junk.png"), "not an image");
            e = assertThrows(LovtException.class, () -> api.embedScan(junk));
            assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
            assertThrows(LovtException.class, () -> api.embedSentences(List.of()));
        }
        var e = assertThrows(LovtException.class, () -> LovtEncoder.fromRun(shared.resolve("data")));
        assertTrue(e.getMessage().contains("not a run folder"), e.getMessage());
        LovtEncoder closed = LovtEncoder.fromRun(result.runDir());
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.embedSentences(List.of("No effusion.")));
    }

    @Test
    void aCheckpointOutsideARunLoadsWithItsExperimentVocabularyAndStatistics() {
        Path weights = new org.lovt.train.Checkpoints(result.runDir().resolve("checkpoints"))
                .resolve(org.lovt.train.Checkpoints.BEST).orElseThrow().resolve("model.safetensors");
        Path image = data.validation().get(2).images().get(0);
        try (LovtEncoder fromRun = LovtEncoder.fromRun(result.runDir());
             LovtEncoder fromFile = LovtEncoder.fromOriginalCheckpoint(weights, "LoVT_100", TINY.subList(1,
                     TINY.size()), result.runDir().resolve("vocab.txt"), data.pixelMean(), data.pixelStd())) {
            assertArrayEquals(fromRun.embedScan(image).projectedGlobal(), fromFile.embedScan(image).projectedGlobal());
            assertArrayEquals(fromRun.embedReport("No effusion. Heart size is normal.").projectedGlobal(),
                    fromFile.embedReport("No effusion. Heart size is normal.").projectedGlobal());
        }
        // The wrong architecture for the weights fails naming the file.
        var e = assertThrows(LovtException.class, () -> LovtEncoder.fromOriginalCheckpoint(weights, "LoVT_100",
                wider(), result.runDir().resolve("vocab.txt"), 0.5, 0.25));
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
    }

    /** The test's architecture with a stem twice as wide: the run's weights do not fit it. */
    private static List<String> wider() {
        List<String> o = new java.util.ArrayList<>(TINY.subList(1, TINY.size()));
        o.replaceAll(x -> x.equals("++pretrain_model.encoder_a.backbone_args.stem_width=4")
                ? "++pretrain_model.encoder_a.backbone_args.stem_width=8" : x);
        return o;
    }
}
