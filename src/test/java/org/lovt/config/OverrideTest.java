package org.lovt.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.model.BiModalModelConfig;
import org.lovt.train.OnlineEvaluatorConfig;
import org.lovt.train.PreTrainExperimentConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command-line override form, and the errors of each. */
class OverrideTest {

    @TempDir
    Path tmp;

    private ResolvedConfig resolve(String experiment, String... overrides) {
        List<String> all = new ArrayList<>();
        all.add("+experiment=" + experiment);
        all.addAll(List.of(overrides));
        return TestConfigs.shipped(tmp).load("train_representation", all);
    }

    private PreTrainExperimentConfig bind(String experiment, String... overrides) {
        return resolve(experiment, overrides).bind(PreTrainExperimentConfig.class);
    }

    private String error(String experiment, String... overrides) {
        return TestConfigs.error(() -> bind(experiment, overrides));
    }

    @Test
    void setParsesYamlScalarsAndFlowLists() {
        PreTrainExperimentConfig c = bind("LoVT_100", "pretrain_model.learning_rate=3e-5", "gpus=[0, 1]",
                "pretrain_model.lr_scheduler=[reduce_on_plateau]", "pretrain_model.projection_norm=null",
                "name='123'", "trainer.accumulate_grad_batches=4", "pretrain_model.l_weights_stop_grad=false");
        assertEquals(3e-5, c.pretrainModel().learningRate(), 0.0);
        assertEquals(List.of(0, 1), c.gpus());
        assertEquals(List.of(BiModalModelConfig.LrScheduler.REDUCE_ON_PLATEAU), c.pretrainModel().lrScheduler());
        assertNull(c.pretrainModel().projectionNorm());
        assertEquals("123", c.name());
        assertEquals(4, c.trainer().accumulateGradBatches());
        assertFalse(c.pretrainModel().lWeightsStopGrad());
    }

    @Test
    void emptyValueIsTheEmptyString() {
        assertEquals("", bind("LoVT_100", "name=").name());
    }

    @Test
    void laterOverridesWin() {
        assertEquals(2e-4, bind("LoVT_100", "pretrain_model.learning_rate=1e-4",
                "pretrain_model.learning_rate=2e-4").pretrainModel().learningRate(), 0.0);
    }

    @Test
    void setReachesListIndicesAndNumericMapKeys() {
        PreTrainExperimentConfig c = bind("LoVT_100", "pretrain_model.lr_scheduler.0=reduce_on_plateau",
                "pretrain_model.ll_alignments_a.0.smooth_weights=false");
        assertEquals(List.of(BiModalModelConfig.LrScheduler.REDUCE_ON_PLATEAU), c.pretrainModel().lrScheduler());
        assertFalse(c.pretrainModel().llAlignmentsA().get("0").smoothWeights());
    }

    @Test
    void overridesAreAppliedBeforeInterpolation() {
        PreTrainExperimentConfig c = bind("LoVT_100", "monitor_metric=val/global_a2b_loss");
        assertEquals("val/global_a2b_loss", c.callback().earlyStopping().monitor());
        assertEquals("val/global_a2b_loss", c.callback().modelCheckpoint().monitor());
    }

    @Test
    void plusAddsANewKey() {
        PreTrainExperimentConfig c = bind("LoVT_100", "+online_eval.probe.source_modality=a&b");
        OnlineEvaluatorConfig probe = c.onlineEval().get("probe");
        assertEquals(OnlineEvaluatorConfig.SourceModality.A_AND_B, probe.sourceModality());
        assertEquals("chexpert_binary", probe.task(), "record defaults fill the rest");
    }

    @Test
    void plusOnAnExistingKeyFails() {
        String msg = error("LoVT_100", "+pretrain_model.learning_rate=1e-3");
        assertEquals("command line: could not add 'pretrain_model.learning_rate': the key already exists (value 1.0E-4"
                + " from configs/experiment/LoVT_100.yaml:" + TestConfigs.lineOf(
                TestConfigs.REPO_CONFIGS.resolve("experiment/LoVT_100.yaml"), "learning_rate: 1e-4")
                + "); use 'pretrain_model.learning_rate=...' to change it", msg);
    }

    @Test
    void doublePlusAddsOrChanges() {
        assertEquals(1e-3, bind("LoVT_100", "++pretrain_model.max_lr=1e-3").pretrainModel().maxLr(), 0.0);
        assertTrue(resolve("LoVT_100", "++extra.key=1").contains("extra.key"));
    }

    @Test
    void tildeDeletesSoTheRecordDefaultApplies() {
        // ConVIRT_30 sets lr 1e-5; without it the dataclass default 1e-4 applies.
        assertEquals(1e-4, bind("ConVIRT_30", "~pretrain_model.learning_rate").pretrainModel().learningRate(), 0.0);
        assertEquals(1e-4, bind("ConVIRT_30", "~pretrain_model.learning_rate=1e-5").pretrainModel().learningRate(),
                0.0);
        assertNull(bind("LoVT_100", "~callback.early_stopping").callback().earlyStopping());
    }

    @Test
    void tildeWithAValueChecksIt() {
        assertEquals("command line: could not delete 'pretrain_model.learning_rate': its value is 1.0E-5, not 0.001",
                error("ConVIRT_30", "~pretrain_model.learning_rate=1e-3"));
    }

    @Test
    void overridingAnUnknownKeyWithoutPlusNamesTheKey() {
        assertEquals("command line: could not override 'pretrain_model.lerning_rate': key not found (did you mean "
                        + "'learning_rate'?); use '+pretrain_model.lerning_rate=...' to add a new key",
                error("LoVT_100", "pretrain_model.lerning_rate=1e-4"));
        assertEquals("command line: could not override 'pretrain_modell.learning_rate': 'pretrain_modell' not found"
                        + " (did you mean 'pretrain_model'?); use '+pretrain_modell.learning_rate=...' to add a new key",
                error("LoVT_100", "pretrain_modell.learning_rate=1e-4"));
        assertEquals("command line: could not delete 'pretrain_model.nope': key not found",
                error("LoVT_100", "~pretrain_model.nope"));
    }

    @Test
    void addedUnknownKeyFailsAtBinding() {
        String msg = error("LoVT_100", "+pretrain_model.lerning_rate=1e-4");
        assertEquals("command line: unknown key 'pretrain_model.lerning_rate' (did you mean 'learning_rate'?) in "
                + "BiModalModelConfig", msg);
    }

    @Test
    void badSyntax() {
        assertEquals("command line: bad override 'pretrain_model.learning_rate': expected key=value",
                error("LoVT_100", "pretrain_model.learning_rate"));
        assertEquals("command line: bad override '=3': missing key before '='", error("LoVT_100", "=3"));
        assertTrue(error("LoVT_100", "a b=1").startsWith("command line: bad override 'a b=1': invalid key 'a b'"));
        assertTrue(error("LoVT_100", "pretrain_model..x=1").contains("invalid key"));
        String msg = error("LoVT_100", "gpus=[0, 1");
        assertTrue(msg.startsWith("command line: bad override 'gpus=[0, 1': malformed value '[0, 1'"), msg);
        assertEquals("command line: bad override '~': missing key before '='", error("LoVT_100", "~"));
        assertEquals("command line: bad override '': empty override", error("LoVT_100", ""));
    }

    @Test
    void groupOverrideErrors() {
        assertEquals("command line: could not override 'experiment': no match in the defaults list; to add it use "
                + "'+experiment=LoVT_30'", TestConfigs.error(() -> TestConfigs.shipped(tmp)
                .load("train_representation", List.of("experiment=LoVT_30"))));
        // Once added, the selection can be changed like any other.
        assertEquals("LoVT_30", bind("LoVT_100", "experiment=LoVT_30").name());
        String msg = error("LoVT_100", "scan_encoder@pretrain_model.encoder_b=resnet50_imagenet");
        assertTrue(msg.contains("could not override 'scan_encoder@pretrain_model.encoder_b': no match"), msg);
        assertTrue(error("LoVT_100", "online_eval=[1]").contains("expected option names, got 1"));
    }

    @Test
    void valueFromTheCommandLineIsReportedAsSuch() {
        assertEquals("command line: name: expected a string, got 123", error("LoVT_100", "name=123"));
        assertEquals("command line: pretrain_model.batch_size: expected an integer, got null",
                error("LoVT_100", "pretrain_model.batch_size=null"));
    }
}
