package org.lovt.config;

import org.lovt.baselines.BaselineConfigs;
import org.lovt.baselines.BaselineExperimentConfig;
import org.lovt.train.Experiments;
import org.lovt.data.DatasetConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.model.ReportEncoderConfig;
import org.lovt.model.ScanEncoderConfig;
import org.lovt.model.objectives.CrossSampleLocalLossConfig;
import org.lovt.model.objectives.GlobalNceLossConfig;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLossConfig;
import org.lovt.train.CallbackConfig;
import org.lovt.train.MonitorMode;
import org.lovt.train.OnlineEvaluatorConfig;
import org.lovt.train.PreTrainExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Every file under configs/ is loaded and bound to its record type (DESIGN.md principle 2). */
class EveryShippedFileTest {

    @TempDir
    Path tmp;

    @Test
    void everyFileBinds() throws IOException {
        Path user = TestConfigs.write(tmp, "user.yaml", "data: {mimic_cxr: {path: /data/mimic}}\n");
        ConfigLoader loader = Experiments.loader().userConfigFile(user).build();
        ConfigLoader baselines = BaselineConfigs.loader().userConfigFile(user).build();
        List<String> files;
        try (Stream<Path> s = Files.walk(TestConfigs.REPO_CONFIGS)) {
            files = s.filter(Files::isRegularFile)
                    .map(p -> TestConfigs.REPO_CONFIGS.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        int checked = 0;
        for (String f : files) {
            if (!f.endsWith(".yaml")) {
                fail("unexpected file in configs/: " + f);
            }
            String path = f.substring(0, f.length() - ".yaml".length());
            String group = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
            String name = path.substring(path.lastIndexOf('/') + 1);
            switch (group) {
                case "experiment" -> assertNotNull(loader.load("train_representation",
                        List.of("+experiment=" + path.substring("experiment/".length())))
                        .bind(PreTrainExperimentConfig.class));
                case "" -> {
                    if (name.equals("baseline")) {
                        assertEquals(12345, baselines.load("baseline", List.of("+baseline=byol_100"))
                                .bind(BaselineExperimentConfig.class).seed(), f);
                    } else {
                        assertEquals("LoVT_100", loader.load("train_representation", List.of(
                                "+experiment=LoVT_100")).bind(PreTrainExperimentConfig.class).name(), f);
                    }
                }
                case "baseline" -> {
                    // resnet50 is a fragment of every baseline file; the others bind as a whole, data set included.
                    String baseline = name.equals("resnet50") ? "chexpert_100" : name;
                    BaselineExperimentConfig b = baselines.load("baseline", List.of("+baseline=" + baseline))
                            .bind(BaselineExperimentConfig.class);
                    assertEquals(List.of(224, 224), b.modelConfig().inputSize(), f);
                    assertEquals("/data/mimic", DatasetConfig.load(baselines, b.modelConfig().dataset()).path(), f);
                }
                case "scan_encoder" -> assertNotNull(loader.load(path, List.of()).bind(ScanEncoderConfig.class));
                case "report_encoder" -> assertNotNull(loader.load(path, List.of()).bind(ReportEncoderConfig.class));
                case "objective" -> {
                    Class<? extends Record> type = name.startsWith("global") ? GlobalNceLossConfig.class
                            : name.contains("cross_sample") ? CrossSampleLocalLossConfig.class
                            : LocalIntraSampleContrastiveLossConfig.class;
                    assertNotNull(loader.load(path, List.of()).bind(type));
                }
                case "online_eval" -> assertNotNull(loader.load(path, List.of()).bind(name,
                        OnlineEvaluatorConfig.class));
                case "dataset" -> assertEquals("/data/mimic", DatasetConfig.load(loader, name).path());
                case "callback" -> checkCallback(name);
                default -> fail("no test loads configs/" + f);
            }
            checked++;
        }
        assertEquals(44, checked, "number of shipped config files");
    }

    private void checkCallback(String name) {
        Path dir = tmp.resolve("cb-" + name);
        TestConfigs.write(dir, "root.yaml", "defaults:\n  - /callback: " + name
                + "\nmonitor_metric: val/x\nmonitor_metric_mode: max\n");
        CallbackConfig cb = Experiments.loader().configDir(dir).userConfigFile(TestConfigs.noUserConfig(dir))
                .build().load("root", List.of()).bind("callback", CallbackConfig.class);
        if (name.equals("checkpoint")) {
            assertEquals("val/x", cb.modelCheckpoint().monitor());
            assertEquals(MonitorMode.MAX, cb.modelCheckpoint().mode());
            assertEquals("pretrain-{epoch:04d}", cb.modelCheckpoint().filename());
        } else {
            assertEquals("val/x", cb.earlyStopping().monitor());
            assertEquals(MonitorMode.MAX, cb.earlyStopping().mode());
        }
    }

    @Test
    void subtreeBinding() {
        ResolvedConfig rc = TestConfigs.shipped(tmp).load("train_representation", List.of("+experiment=LoVT_100"));
        assertEquals(rc.bind(PreTrainExperimentConfig.class).pretrainModel(),
                rc.bind("pretrain_model", org.lovt.model.BiModalModelConfig.class));
        assertEquals("pretrain_modl: no such key (did you mean 'pretrain_model'?)",
                TestConfigs.error(() -> rc.bind("pretrain_modl", org.lovt.model.BiModalModelConfig.class)));
    }
}
