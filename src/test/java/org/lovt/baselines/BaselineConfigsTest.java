package org.lovt.baselines;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.config.ResolvedConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped baseline configs compose to the original's values (spec lovt-data-eval §4.2-4.4). */
class BaselineConfigsTest {
    static BaselineExperimentConfig load(String... overrides) {
        ResolvedConfig r = BaselineConfigs.loader().build().load(BaselineConfigs.BASELINE, List.of(overrides));
        return r.bind(BaselineExperimentConfig.class);
    }

    @Test
    void byolAndSimclrAndChexpertHaveTheOriginalsValues() {
        BaselineModelConfig byol = load("+baseline=byol_100").modelConfig();
        assertEquals(BaselineModelConfig.Method.BYOL, byol.method());
        assertEquals(64, byol.batchSize());
        assertEquals(1e-4, byol.learningRate());
        assertEquals(1e-4, byol.weightDecay());
        assertEquals(1, byol.warmupEpochs());
        assertEquals(100, byol.maxEpochs());
        assertEquals(128, byol.projectionSize());
        assertEquals(List.of(224, 224), byol.inputSize());
        assertTrue(byol.backbonePretrained());
        assertEquals("mimic-cxr-img_ap-pa_find-impr", byol.dataset());
        assertEquals(512, byol.maxSize());
        assertFalse(byol.normalizeWithDatasetStats());
        assertEquals(3e-5, load("+baseline=byol_30").modelConfig().learningRate());
        assertEquals("mimic-cxr-img_ap-pa_find-impr_03", load("+baseline=byol_30").modelConfig().dataset());

        BaselineModelConfig simclr = load("+baseline=simclr_100").modelConfig();
        assertEquals(BaselineModelConfig.Method.SIMCLR, simclr.method());
        assertEquals(0.1, simclr.temperature());
        assertEquals(128, simclr.batchSize());
        assertEquals(3e-4, load("+baseline=simclr_30").modelConfig().learningRate());

        BaselineModelConfig pixelpro = load("+baseline=pixelpro_100").modelConfig();
        assertEquals(BaselineModelConfig.Method.PIXELPRO, pixelpro.method());
        assertEquals(512, pixelpro.projectionSize());
        assertEquals(1e-3, pixelpro.learningRate());
        assertEquals(1e-5, pixelpro.weightDecay());
        assertEquals(0, pixelpro.warmupEpochs(), "none given: the lr-0 quirk");
        assertEquals("avgpool", pixelpro.hiddenLayerPixel());
        assertFalse(pixelpro.lrScheduleClosedForm());
        assertEquals("mimic-cxr-img_ap-pa_find-impr_03", load("+baseline=pixelpro_30").modelConfig().dataset());

        BaselineExperimentConfig chexpert = load("+baseline@model_config=chexpert_100");
        BaselineModelConfig c = chexpert.modelConfig();
        assertEquals(BaselineModelConfig.Method.CHEXPERT, c.method());
        assertEquals(3e-4, c.learningRate());
        assertEquals(1e-6, c.weightDecay());
        assertEquals(3, c.lrReducePatience());
        assertEquals(0.5, c.lrReduceFactor());
        assertEquals(10, c.earlyStopPatience());
        assertEquals(List.of(0.6, 1.0), c.dataAugmentation().cropScaleRange());
        assertEquals(1e-4, load("+baseline=chexpert_30").modelConfig().learningRate());
        assertEquals(12345, chexpert.seed());                    // base_config
    }

    @Test
    void overridesAndMistakesAreChecked() {
        assertEquals(96, load("+baseline=byol_100", "model_config.max_size=96").modelConfig().maxSize());
        LovtException both = assertThrows(LovtException.class,
                () -> load("+baseline=byol_100", "model_config.temperature=0.2"));
        assertTrue(both.getMessage().contains("exactly one of ssl_method"), both.getMessage());
        LovtException ssl = assertThrows(LovtException.class,
                () -> load("+baseline=byol_100", "model_config.ssl_method=SimSiam"));
        assertTrue(ssl.getMessage().contains("PixelPro"), ssl.getMessage());
        assertThrows(LovtException.class, () -> load("+baseline=pixelpro_100", "model_config.hidden_layer_pixel=fc"));
        assertThrows(LovtException.class, () -> load("+baseline=byol_100", "model_config.input_size=[224,200]"));
    }

    @Test
    void detectsBaselineOverrides() {
        assertTrue(BaselineConfigs.selectsBaseline(List.of("+baseline=byol_100")));
        assertTrue(BaselineConfigs.selectsBaseline(List.of("x=1", "+baseline@model_config=simclr_30")));
        assertFalse(BaselineConfigs.selectsBaseline(List.of("+experiment=LoVT_100")));
        assertEquals("simclr_30", BaselineConfigs.selectedName(List.of("x=1", "+baseline@model_config=simclr_30")));
        assertEquals(null, BaselineConfigs.selectedName(List.of("+experiment=LoVT_100")));
    }
}
