package org.lovt.config;

import org.lovt.train.Experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lovt.model.Aggregator;
import org.lovt.model.BiModalModelConfig;
import org.lovt.model.BiModalModelConfig.LocalWeights;
import org.lovt.model.BiModalModelConfig.LrScheduler;
import org.lovt.model.BiModalModelConfig.Norm;
import org.lovt.model.BiModalModelConfig.Optimizer;
import org.lovt.text.ReportAugmentationConfig;
import org.lovt.text.ReportAugmentationConfig.SentenceSampling;
import org.lovt.text.ReportAugmentationConfig.SentenceShuffling;
import org.lovt.model.ReportEncoderConfig;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig.ThresholdType;
import org.lovt.train.MonitorMode;
import org.lovt.train.OnlineEvaluatorConfig;
import org.lovt.train.PreTrainExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped experiment composes, binds, and has the values of spec lovt-model.md §4.10. */
class ShippedExperimentsTest {

    private static final String D100 = "mimic-cxr_ap-pa_find-impr";
    private static final String D30 = "mimic-cxr_ap-pa_find-impr_03";
    private static final Map<String, Double> LOVT_WEIGHTS = Map.of("local_a_l2att", 0.375, "local_a_att2l", 0.375,
            "local_b_l2att", 0.375, "local_b_att2l", 0.375, "global_a2b", 0.75, "global_b2a", 0.25);
    private static final Map<String, Double> GLOBAL_WEIGHTS = Map.of("global_a2b", 0.75, "global_b2a", 0.25);
    private static final Map<String, Double> LOCAL_WEIGHTS = Map.of("local_a_l2att", 0.375, "local_a_att2l", 0.375,
            "local_b_l2att", 0.375, "local_b_att2l", 0.375);
    private static final List<LrScheduler> COS = List.of(LrScheduler.COSINE_ANNEALING_PER_EPOCH);
    private static final List<LrScheduler> PLATEAU = List.of(LrScheduler.REDUCE_ON_PLATEAU);

    @TempDir
    Path tmp;

    /**
     * What spec §4.10 says about one experiment.
     *
     * @param smoothScanPositives null if there is no scan local loss
     */
    record Expect(String option, String name, String dataset, double lr, Optimizer optimizer,
                  List<LrScheduler> scheduler, int accumulate, int epochs, int patience, Norm projectionNorm,
                  Map<String, Double> lossWeights, LocalWeights lWeights, Aggregator scanAggregator,
                  Aggregator reportAggregator, boolean reportGlobalFromLocal, SentenceShuffling shuffling,
                  SentenceSampling sampling, boolean global, Boolean smoothScanPositives, int workers) {
        @Override
        public String toString() {
            return option;
        }
    }

    static Stream<Expect> experiments() {
        Aggregator att = Aggregator.AVGPOOL_ATTENTION;
        Aggregator avg = Aggregator.AVG;
        Aggregator max = Aggregator.MAX;
        SentenceShuffling swaps = SentenceShuffling.RANDOM_SWAPS;
        SentenceSampling one = SentenceSampling.RANDOM_SENTENCE;
        LocalWeights agg = LocalWeights.FROM_AGGREGATION;
        Optimizer adamw = Optimizer.ADAMW;
        return Stream.of(
                new Expect("LoVT_100", "LoVT_100", D100, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH, LOVT_WEIGHTS,
                        agg, att, att, true, swaps, null, true, true, 20),
                new Expect("LoVT_30", "LoVT_30", D30, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH, LOVT_WEIGHTS,
                        agg, att, att, true, swaps, null, true, true, 20),
                new Expect("CLIP_100", "CLIP_100", D100, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH, GLOBAL_WEIGHTS,
                        null, att, max, false, null, one, true, null, 20),
                new Expect("CLIP_30", "CLIP_30", D30, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH, GLOBAL_WEIGHTS,
                        null, att, max, false, null, one, true, null, 20),
                new Expect("ConVIRT_100", "ConVIRT_100", D100, 1e-4, Optimizer.ADAM, PLATEAU, 1, 500, 15, null,
                        GLOBAL_WEIGHTS, null, avg, max, false, null, one, true, null, 10),
                new Expect("ConVIRT_30", "ConVIRT_30", D30, 1e-5, Optimizer.ADAM, PLATEAU, 1, 500, 15, null,
                        GLOBAL_WEIGHTS, null, avg, max, false, null, one, true, null, 10),
                new Expect("ablation/convirt_lr", "ablation_convirt_lr", D30, 3e-5, adamw, COS, 16, 100, 10, null,
                        GLOBAL_WEIGHTS, null, avg, max, false, null, one, true, null, 20),
                new Expect("ablation/g_only", "ablation_g_only", D30, 3e-4, adamw, COS, 16, 100, 10, Norm.BATCH,
                        GLOBAL_WEIGHTS, null, avg, max, false, swaps, null, true, null, 20),
                new Expect("ablation/g_single_sent_att", "ablation_g_single_sent_att", D30, 1e-4, adamw, COS, 16,
                        100, 10, Norm.BATCH, GLOBAL_WEIGHTS, null, att, max, false, null, one, true, null, 20),
                new Expect("ablation/no_coslr", "ablation_no_coslr", D30, 3e-5, adamw, PLATEAU, 16, 100, 10,
                        Norm.BATCH, LOVT_WEIGHTS, agg, att, att, true, swaps, null, true, true, 20),
                new Expect("ablation/no_g", "ablation_no_g", D30, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH,
                        LOCAL_WEIGHTS, null, att, max, false, swaps, null, false, true, 20),
                new Expect("ablation/no_l", "ablation_no_l", D30, 1e-4, adamw, COS, 16, 100, 10, Norm.BATCH,
                        GLOBAL_WEIGHTS, null, att, att, true, swaps, null, true, null, 20),
                new Expect("ablation/no_spatial", "ablation_no_spatial", D30, 1e-4, adamw, COS, 16, 100, 10,
                        Norm.BATCH, LOVT_WEIGHTS, agg, att, att, true, swaps, null, true, false, 20),
                new Expect("ablation/no_weight", "ablation_no_weight", D30, 1e-4, adamw, COS, 16, 100, 10,
                        Norm.BATCH, LOVT_WEIGHTS, null, att, att, true, swaps, null, true, true, 20),
                new Expect("ablation/no_weight_no_att", "ablation_no_weight_no_att", D30, 3e-5, adamw, COS, 16, 100,
                        10, Norm.BATCH, LOVT_WEIGHTS, null, avg, max, false, swaps, null, true, true, 20));
    }

    private PreTrainExperimentConfig load(String option) {
        return TestConfigs.shipped(tmp).load("train_representation", List.of("+experiment=" + option))
                .bind(PreTrainExperimentConfig.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void experimentHasTheSpecValues(Expect e) {
        PreTrainExperimentConfig c = load(e.option());
        BiModalModelConfig m = c.pretrainModel();

        assertEquals(e.name(), c.name());
        assertEquals(e.dataset(), c.pretrainDataset());
        assertEquals(e.lr(), m.learningRate(), 0.0);
        assertEquals(e.optimizer(), m.optimizer());
        assertEquals(e.scheduler(), m.lrScheduler());
        assertEquals(e.accumulate(), c.trainer().accumulateGradBatches());
        assertEquals(e.epochs(), m.maxEpochs());
        assertEquals(e.patience(), c.callback().earlyStopping().patience());
        assertEquals(e.projectionNorm(), m.projectionNorm());
        assertEquals(e.lossWeights(), m.lossWeights());
        assertEquals(e.lWeights(), m.lWeightsA());
        assertEquals(e.lWeights(), m.lWeightsB());
        assertEquals(e.lWeights() != null, m.lWeightsStopGrad());
        assertEquals(e.lWeights() != null, m.encoderA().localWeightsFromAggregator());
        assertEquals(e.lWeights() != null, m.encoderB().localWeightsFromAggregator());
        assertEquals(e.scanAggregator(), m.encoderA().globalAggregator());
        assertEquals(e.reportAggregator(), m.encoderB().globalAggregator());
        assertEquals(e.reportGlobalFromLocal(), m.encoderB().globalFromLocal());
        ReportAugmentationConfig aug = m.encoderB().dataAugmentation();
        assertTrue(aug.augment());
        assertEquals(e.shuffling(), aug.sentenceShuffling());
        assertEquals(e.sampling(), aug.sentenceSampling());
        assertFalse(aug.duplicateSentences());
        assertEquals(e.workers(), c.numDataloaderWorkers());
        assertEquals(new TreeSet<>(e.lossWeights().keySet()), new TreeSet<>(m.lossNames()));

        if (e.global()) {
            GlobalNceLossConfig g = m.gAlignment();
            assertNotNull(g);
            assertEquals(0.1, g.similarityTemperature(), 0.0);
            assertFalse(g.negativesFromSameModality(), "YAML overrides the dataclass default true");
            assertFalse(g.temperatureTrainable());
        } else {
            assertNull(m.gAlignment());
        }
        if (e.smoothScanPositives() != null) {
            LocalIntraSampleContrastiveLossConfig a = m.llAlignmentsA().get("0");
            LocalIntraSampleContrastiveLossConfig b = m.llAlignmentsB().get("0");
            assertEquals(Set.of("0"), m.llAlignmentsA().keySet());
            assertEquals(Set.of("0"), m.llAlignmentsB().keySet());
            assertEquals(0.3, a.similarityTemperature(), 0.0);
            assertEquals(0.5, a.distanceThreshold(), 0.0);
            assertEquals(ThresholdType.RELATIVE, a.thresholdType());
            assertEquals(e.smoothScanPositives(), a.smoothWeights());
            assertEquals(1.0, a.smoothLambda(), 0.0);
            assertFalse(a.normalizeByNumNegatives(), "YAML overrides the dataclass default true");
            assertEquals(0.3, b.similarityTemperature(), 0.0);
            assertEquals(0.0, b.distanceThreshold(), 0.0);
            assertEquals(ThresholdType.ABSOLUTE, b.thresholdType());
            assertFalse(b.smoothWeights());
            assertFalse(b.normalizeByNumNegatives());
        } else {
            assertTrue(m.llAlignmentsA().isEmpty());
            assertTrue(m.llAlignmentsB().isEmpty());
        }
        if (e.scheduler().equals(PLATEAU)) {
            assertEquals(12, m.lrReducePatience());
            assertEquals(0.5, m.lrReduceFactor(), 0.0);
        }

        // Common to all (spec §4.10, §0, §4.7).
        assertEquals(32, m.batchSize());
        assertEquals(1e-6, m.weightDecay(), 0.0);
        assertEquals(List.of("chexpert_bin_scan", "chexpert_bin_report"), List.copyOf(c.onlineEval().keySet()));
        assertEquals(OnlineEvaluatorConfig.SourceModality.A, c.onlineEval().get("chexpert_bin_scan").sourceModality());
        assertEquals(OnlineEvaluatorConfig.SourceModality.B,
                c.onlineEval().get("chexpert_bin_report").sourceModality());
        assertEquals(0.2, c.onlineEval().get("chexpert_bin_scan").dropoutProb(), 0.0);
        assertEquals(12345, c.seed());
        assertEquals(16, c.trainer().precision());
        assertEquals(List.of(0), c.gpus());
        assertEquals("val/total_loss", c.monitorMetric());
        assertEquals(MonitorMode.MIN, c.monitorMetricMode());
        assertEquals("val/total_loss", c.callback().earlyStopping().monitor());
        assertEquals(1e-5, c.callback().earlyStopping().minDelta(), 0.0);
        assertEquals("val/total_loss", c.callback().modelCheckpoint().monitor());
        assertEquals(1, c.callback().modelCheckpoint().saveTopK());
        assertTrue(c.callback().modelCheckpoint().saveLast());
        assertEquals(512, m.dZ());
        assertEquals(512, m.dZgOrDefault());
        assertEquals(2048, m.dHidden());

        ScanEncoderConfig scan = m.encoderA();
        assertEquals(List.of(224, 224), scan.inputSize());
        assertEquals("conv5", scan.regionFeatureLayer());
        assertEquals("local", scan.globalFeatureLayer());
        assertTrue(scan.backbonePretrained());
        assertEquals(List.of(0.6, 1.0), scan.dataAugmentation().cropScaleRange());
        ReportEncoderConfig report = m.encoderB();
        assertEquals("emilyalsentzer/Bio_ClinicalBERT", report.languageEncoder());
        assertEquals(512, report.maxLength());
        assertEquals(6, report.freezeEncoderLayers());
        assertTrue(report.freezeEmbeddings());
        assertEquals(ReportEncoderConfig.LocalFrom.SENTENCES, report.localFrom());
        assertEquals(Aggregator.MAX, report.sentenceAggregator());
    }

    @Test
    void everyExperimentFileIsCovered() throws IOException {
        Set<String> files;
        try (Stream<Path> s = Files.walk(TestConfigs.REPO_CONFIGS.resolve("experiment"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml"))
                    .map(p -> TestConfigs.REPO_CONFIGS.resolve("experiment").relativize(p).toString()
                            .replace('\\', '/').replaceAll("\\.yaml$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> tested = experiments().map(Expect::option).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(15, files.size());
        assertEquals(files, tested);
    }

    @Test
    void clip30AndGSingleSentAttDifferOnlyInName() {
        PreTrainExperimentConfig clip = load("CLIP_30");
        PreTrainExperimentConfig abl = load("ablation/g_single_sent_att");
        assertNotEquals(clip, abl);
        assertEquals(clip.pretrainModel(), abl.pretrainModel());
        assertEquals(ConfigYaml.toYaml(clip).replace("name: CLIP_30", "name: ablation_g_single_sent_att"),
                ConfigYaml.toYaml(abl));
    }

    @Test
    void convirtKeepsTheDefaultScanAugmentationAndUsesNoAccumulation() {
        PreTrainExperimentConfig c = load("ConVIRT_100");
        // ConVIRT re-states augment/random_horizontal_flip; everything else is the dataclass default (spec §5).
        assertEquals(RecordDefaultsTest.SPEC_SCAN_AUGMENTATION, c.pretrainModel().encoderA().dataAugmentation());
        assertEquals(1, c.trainer().accumulateGradBatches());
    }

    @Test
    void shippedFilesFromTheRepositoryFolderEqualThoseFromTheClasspath() {
        for (Expect e : experiments().toList()) {
            List<String> ov = List.of("+experiment=" + e.option());
            PreTrainExperimentConfig fromClasspath = TestConfigs.shipped(tmp).load("train_representation", ov)
                    .bind(PreTrainExperimentConfig.class);
            PreTrainExperimentConfig fromDir = Experiments.loader().configDir(TestConfigs.REPO_CONFIGS)
                    .classLoader(TestConfigs.emptyClassLoader()).userConfigFile(TestConfigs.noUserConfig(tmp))
                    .build().load("train_representation", ov).bind(PreTrainExperimentConfig.class);
            assertEquals(fromClasspath, fromDir, e.option());
        }
    }

    @Test
    void staticLoadUsesTheClasspathWhenNoDirIsGiven() {
        String prev = System.getProperty(UserConfig.PROPERTY);
        System.setProperty(UserConfig.PROPERTY, TestConfigs.noUserConfig(tmp).toString());
        try {
            ResolvedConfig rc = Experiments.load(Optional.empty(), "train_representation",
                    List.of("+experiment=LoVT_30"));
            assertEquals("LoVT_30", rc.bind(PreTrainExperimentConfig.class).name());
            assertTrue(rc.source("name").orElseThrow().origin().endsWith("configs/experiment/LoVT_30.yaml"));
        } finally {
            if (prev == null) {
                System.clearProperty(UserConfig.PROPERTY);
            } else {
                System.setProperty(UserConfig.PROPERTY, prev);
            }
        }
    }
}
