package org.lovt.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.DatasetConfig;
import org.lovt.model.Aggregator;
import org.lovt.model.BiModalModelConfig;
import org.lovt.text.ReportAugmentationConfig;
import org.lovt.model.ReportEncoderConfig;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.train.CallbackConfig;
import org.lovt.train.EarlyStoppingConfig;
import org.lovt.train.ModelCheckpointConfig;
import org.lovt.train.MonitorMode;
import org.lovt.train.OnlineEvaluatorConfig;
import org.lovt.train.PreTrainExperimentConfig;
import org.lovt.train.TrainerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Record defaults equal the original dataclass defaults (spec §0.1, §2.6, §4.1, §4.2, §5, §4.9). */
class RecordDefaultsTest {

    /** Spec §5 table, written out independently of the annotations. */
    static final ScanAugmentationConfig SPEC_SCAN_AUGMENTATION = new ScanAugmentationConfig(true, true,
            List.of(0.6, 1.0), true, 0.5, true, List.of(-20.0, 20.0), 0.1, 0.1, List.of(0.95, 1.05), true, 1.0,
            List.of(0.6, 1.4), List.of(0.6, 1.4), true, List.of(0.1, 3.0),
            ScanAugmentationConfig.ValResizeMode.PAD);

    @TempDir
    Path tmp;

    @Test
    void scanAugmentationDefaults() {
        assertEquals(SPEC_SCAN_AUGMENTATION, ConfigDefaults.of(ScanAugmentationConfig.class));
    }

    @Test
    void reportAugmentationDefaults() {
        assertEquals(new ReportAugmentationConfig(true, null, 0.6,
                        ReportAugmentationConfig.SentenceSampling.RANDOM_SENTENCE, List.of(0.6, 1.0), false, 0.2),
                ConfigDefaults.of(ReportAugmentationConfig.class));
    }

    @Test
    void objectiveDefaultsKeepTheDataclassValuesThatTheYamlsOverride() {
        assertEquals(new GlobalNceLossConfig("global_nce", 0.1, false, true, List.of(1, 5)),
                ConfigDefaults.of(GlobalNceLossConfig.class));
        assertEquals(new LocalIntraSampleContrastiveLossConfig("local_intra_sample_contrastive", 0.3, 0.3, false,
                        LocalIntraSampleContrastiveLossConfig.ThresholdType.RELATIVE, false, true, false, 1.0, false,
                        List.of(1, 5)),
                ConfigDefaults.of(LocalIntraSampleContrastiveLossConfig.class));
    }

    @Test
    void trainDefaults() {
        assertEquals(new OnlineEvaluatorConfig("chexpert_binary", OnlineEvaluatorConfig.SourceModality.A, false, 512,
                0.2), ConfigDefaults.of(OnlineEvaluatorConfig.class));
        assertEquals(new TrainerConfig(32, null, 1, 0.0, false, TrainerConfig.AmpDtype.FLOAT16, false),
                ConfigDefaults.of(TrainerConfig.class));
        assertEquals(new CallbackConfig(null, null), ConfigDefaults.of(CallbackConfig.class));
        assertEquals(new ModelCheckpointConfig(null, 1, false, MonitorMode.MIN, false, null, null),
                ConfigDefaults.of(ModelCheckpointConfig.class));
    }

    @Test
    void mandatoryComponentsAreNamed() {
        String msg = TestConfigs.error(() -> ConfigDefaults.of(ScanEncoderConfig.class));
        assertTrue(msg.contains("backbone_architecture: missing mandatory value"), msg);
        msg = TestConfigs.error(() -> ConfigDefaults.of(EarlyStoppingConfig.class));
        assertTrue(msg.contains("monitor: missing mandatory value (expected a string"), msg);
        msg = TestConfigs.error(() -> ConfigDefaults.of(DatasetConfig.class));
        assertTrue(msg.contains("name: missing mandatory value"), msg);
    }

    @Test
    void biModalModelDefaultsMatchSpecTable() {
        Path f = TestConfigs.write(tmp, "m.yaml", """
                encoder_a: {backbone_architecture: resnet, input_size: [224, 224], region_feature_layer: conv5,
                            global_feature_layer: local}
                encoder_b: {language_encoder: x, max_length: 512}
                g_alignment: {}
                loss_weights: {global_a2b: 1, global_b2a: 1}
                """);
        BiModalModelConfig m = ConfigLoader.loadFile(f).bind(BiModalModelConfig.class);
        assertNull(m.loadCheckpointPath());
        assertEquals(List.of("model_a", "model_b"), m.componentLoadedFromCheckpoint());
        assertEquals(512, m.dZ());
        assertNull(m.dZg());
        assertEquals(512, m.dZgOrDefault());
        assertEquals(2048, m.dHidden());
        assertEquals(BiModalModelConfig.Norm.BATCH, m.projectionNorm());
        assertEquals(0.0, m.projectionDropoutProb());
        assertEquals(BiModalModelConfig.AttentionSimilarity.SCALED_DOT_PRODUCT, m.attentionSim());
        assertEquals(0.0, m.attentionProbDropoutProb());
        assertEquals(0.0, m.attendedDropoutProb());
        assertEquals(BiModalModelConfig.Norm.BATCH, m.attentionNorm());
        assertTrue(m.symmetricAttention() && m.projectAttentionKeys() && m.projectAttentionValues()
                && m.projectAttentionOutputs());
        assertEquals(1.0, m.attentionTemperature());
        assertFalse(m.attentionTemperatureTrainable());
        assertNull(m.lWeightsA());
        assertNull(m.lWeightsB());
        assertFalse(m.lWeightsStopGrad());
        assertTrue(m.llAlignmentsA().isEmpty() && m.llAlignmentsB().isEmpty());
        assertEquals(32, m.batchSize());
        assertEquals(1e-4, m.learningRate());
        assertEquals(1e-6, m.weightDecay());
        assertEquals(BiModalModelConfig.Optimizer.ADAM, m.optimizer());
        assertEquals(List.of(BiModalModelConfig.LrScheduler.COSINE_ANNEALING_PER_EPOCH), m.lrScheduler());
        assertNull(m.maxLr());
        assertEquals(10, m.warmupSteps());
        assertEquals(12, m.lrReducePatience());
        assertEquals(0.5, m.lrReduceFactor());
        assertEquals(1000, m.maxEpochs());
        assertFalse(m.augmentOnValidation());
        assertTrue(m.computeRetrievalMetrics() && m.computeEmbeddingStats() && m.computeAttentionStats());
        assertFalse(m.computeMetricsForTrain());
        // Nested defaults: the encoders' own defaults apply even without base_scan_encoder.
        assertEquals(Aggregator.AVG, m.encoderA().globalAggregator());
        assertEquals(SPEC_SCAN_AUGMENTATION, m.encoderA().dataAugmentation());
        assertEquals(ReportEncoderConfig.LocalFrom.TOKENS, m.encoderB().localFrom());
        assertEquals(0, m.encoderB().freezeEncoderLayers());
        assertEquals(ConfigDefaults.of(GlobalNceLossConfig.class), m.gAlignment());
    }

    @Test
    void experimentDefaults() {
        Path f = TestConfigs.write(tmp, "e.yaml", """
                pretrain_dataset: d
                pretrain_model:
                  encoder_a: {backbone_architecture: resnet, input_size: [224, 224], region_feature_layer: conv5,
                              global_feature_layer: local}
                  encoder_b: {language_encoder: x, max_length: 512}
                  g_alignment: {}
                  loss_weights: {global_a2b: 1, global_b2a: 1}
                """);
        PreTrainExperimentConfig c = ConfigLoader.loadFile(f).bind(PreTrainExperimentConfig.class);
        assertEquals("<unnamed>", c.name());
        assertEquals(1234, c.seed());
        assertEquals("val/total_loss", c.monitorMetric());
        assertEquals(MonitorMode.MIN, c.monitorMetricMode());
        assertNull(c.gpus());
        assertEquals(4, c.numDataloaderWorkers());
        assertTrue(c.printConfig());
        assertFalse(c.debug());
        assertFalse(c.autoLrFind());
        assertEquals(Map.of(), c.onlineEval());
        assertEquals(ConfigDefaults.of(TrainerConfig.class), c.trainer());
    }

    /** Jackson's property names (snake_case naming strategy) and the binder's names must agree for every record. */
    @Test
    void jacksonNamesAgreeWithTheBinder() throws Exception {
        List<Class<? extends Record>> records = List.of(ScanAugmentationConfig.class,
                ReportAugmentationConfig.class, GlobalNceLossConfig.class,
                LocalIntraSampleContrastiveLossConfig.class, OnlineEvaluatorConfig.class, TrainerConfig.class,
                ModelCheckpointConfig.class, CallbackConfig.class, UserConfig.class);
        for (Class<? extends Record> c : records) {
            Object value = ConfigDefaults.of(c);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = ConfigYaml.mapper().convertValue(value, Map.class);
            List<String> names = new ArrayList<>();
            Schema.fields(c).forEach(fl -> names.add(fl.name()));
            assertEquals(names, List.copyOf(json.keySet()), c.getSimpleName());
        }
        List<String> model = Schema.fields(BiModalModelConfig.class).stream().map(Schema.Field::name).toList();
        assertTrue(model.containsAll(List.of("d_z", "d_zg", "d_hidden", "l_weights_a", "ll_alignments_b",
                "g_alignment", "encoder_a", "lr_scheduler")), model.toString());
        assertEquals("_encoder_cls_", Schema.fields(ScanEncoderConfig.class).get(0).name());
    }

    @Test
    void structuredConfigContributesDefaultsWithMissingMandatoryValues() {
        Node.MapNode tree = Schema.defaultsTree(BiModalModelConfig.class);
        assertTrue(((Node.ValueNode) tree.get("encoder_a")).isMissing());
        assertEquals(2048L, ((Node.ValueNode) tree.get("d_hidden")).value());
        assertEquals("defaults of BiModalModelConfig", tree.get("d_hidden").source().toString());
        Node.MapNode scan = Schema.defaultsTree(ScanEncoderConfig.class);
        assertEquals(0.5, ((Node.ValueNode) ((Node.MapNode) scan.get("data_augmentation"))
                .get("horizontal_flip_prob")).value());
    }
}
