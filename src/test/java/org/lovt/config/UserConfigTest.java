package org.lovt.config;

import org.lovt.train.Experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.DatasetConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The user config: where it is found, strict loading, and dataset paths taken from it. */
class UserConfigTest {

    private static final String USER = """
            models:
              base_path: /models
              pretrained:
                resnet50_imagenet: /weights/resnet50-19c8e357.pth
                bio_clinicalbert: /weights/Bio_ClinicalBERT
            data:
              mimic_cxr:
                path: /data/mimic-cxr_ap-pa_dataset
            """;

    @TempDir
    Path tmp;

    @Test
    void locationPrecedence() {
        Path home = tmp.resolve("home");
        Map<String, String> env = Map.of(UserConfig.ENV_VAR, "/env/user.yaml");
        assertEquals(Path.of("/prop/user.yaml"),
                UserConfig.locate(k -> k.equals(UserConfig.PROPERTY) ? "/prop/user.yaml" : null, env, home));
        assertEquals(Path.of("/env/user.yaml"), UserConfig.locate(k -> null, env, home));
        assertEquals(home.resolve(".config/lovt/user.yaml"), UserConfig.locate(k -> null, Map.of(), home));
        assertEquals(home.resolve(".config/lovt/user.yaml"),
                UserConfig.locate(k -> " ", Map.of(UserConfig.ENV_VAR, ""), home), "blank values are ignored");
    }

    @Test
    void missingFileIsEmpty() {
        UserConfig u = UserConfig.load(tmp.resolve("absent.yaml"));
        assertEquals(UserConfig.empty(), u);
        assertNull(u.models().basePath());
        assertEquals("pretraining", u.models().pretrainedModelsFolder());
        assertNull(u.models().pretrained().resnet50Imagenet());
        assertEquals(Map.of(), u.data());
    }

    @Test
    void loadsAllFields() {
        UserConfig u = UserConfig.load(TestConfigs.write(tmp, "user.yaml", USER));
        assertEquals("/models", u.models().basePath());
        assertEquals("/weights/resnet50-19c8e357.pth", u.models().pretrained().resnet50Imagenet());
        assertEquals("/weights/Bio_ClinicalBERT", u.models().pretrained().bioClinicalbert());
        assertEquals("/data/mimic-cxr_ap-pa_dataset", u.data().get("mimic_cxr").path());
    }

    @Test
    void strictAndNamesTheUserFile() {
        Path f = TestConfigs.write(tmp, "user.yaml", "models:\n  pretrained:\n    resnet50: /w.pth\n");
        assertEquals(f + ":3: unknown key 'models.pretrained.resnet50' (did you mean 'resnet50_imagenet'?) in "
                + "Pretrained", TestConfigs.error(() -> UserConfig.load(f)));
        Path g = TestConfigs.write(tmp, "user2.yaml", "data:\n  mimic_cxr: /data\n");
        assertEquals(g + ":2: data.mimic_cxr: expected a map (DataLocation), got '/data'",
                TestConfigs.error(() -> UserConfig.load(g)));
        // A broken user config is reported even when loading an experiment.
        assertEquals(g + ":2: data.mimic_cxr: expected a map (DataLocation), got '/data'", TestConfigs.error(() ->
                Experiments.loader().userConfigFile(g).build().load("train_representation",
                        List.of("+experiment=LoVT_100"))));
    }

    @Test
    void datasetPathComesFromTheUserConfig() {
        Path user = TestConfigs.write(tmp, "user.yaml", USER);
        ConfigLoader loader = Experiments.loader().userConfigFile(user).build();
        DatasetConfig full = DatasetConfig.load(loader, "mimic-cxr_ap-pa_find-impr");
        assertEquals(new DatasetConfig("MIMIC-CXR_ap/pa_find/impr", "/data/mimic-cxr_ap-pa_dataset",
                "MimicCxrDataset", null, null, null, Map.of()), full);
        DatasetConfig sub = DatasetConfig.load(loader, "mimic-cxr_ap-pa_find-impr_03");
        assertEquals(0.3, sub.trainSubset(), 0.0);
        assertNull(sub.valSubset());
        assertEquals("MimicCxrImageDataset", DatasetConfig.load(loader, "mimic-cxr-img_ap-pa_find-impr_03").loader());
        assertEquals(loader.userConfig().models().basePath(), "/models");
    }

    @Test
    void datasetWithoutUserConfigSaysWhatToSet() {
        Path none = TestConfigs.noUserConfig(tmp);
        Path file = TestConfigs.REPO_CONFIGS.resolve("dataset/mimic-cxr_ap-pa_find-impr.yaml");
        assertEquals("configs/dataset/mimic-cxr_ap-pa_find-impr.yaml:" + TestConfigs.lineOf(file, "path:")
                        + ": path: cannot resolve ${data.mimic_cxr.path}: 'data.mimic_cxr.path' was found neither in the"
                        + " configuration nor in the user config " + none,
                TestConfigs.error(() -> DatasetConfig.load(Experiments.loader().userConfigFile(none).build(),
                        "mimic-cxr_ap-pa_find-impr")));
        assertEquals("could not find config 'dataset/mimic' in classpath configs/",
                TestConfigs.error(() -> DatasetConfig.load(Experiments.loader().userConfigFile(none).build(), "mimic")));
    }

    @Test
    void systemPropertySelectsTheUserConfig() {
        Path user = TestConfigs.write(tmp, "prop-user.yaml", USER);
        String prev = System.getProperty(UserConfig.PROPERTY);
        System.setProperty(UserConfig.PROPERTY, user.toString());
        try {
            ConfigLoader loader = Experiments.loader().build();
            assertEquals(user, loader.userConfigFile());
            assertEquals("/data/mimic-cxr_ap-pa_dataset", DatasetConfig.load(loader, "mimic-cxr_ap-pa_find-impr").path());
            assertEquals(user, UserConfig.defaultPath());
        } finally {
            if (prev == null) {
                System.clearProperty(UserConfig.PROPERTY);
            } else {
                System.setProperty(UserConfig.PROPERTY, prev);
            }
        }
    }

    @Test
    void experimentValuesCanReferToTheUserConfig() {
        Path user = TestConfigs.write(tmp, "user.yaml", USER);
        ResolvedConfig rc = Experiments.loader().userConfigFile(user).build().load("train_representation",
                List.of("+experiment=LoVT_100", "work_dir=${models.base_path}/lovt"));
        assertEquals("/models/lovt", rc.bind(org.lovt.train.PreTrainExperimentConfig.class).workDir());
    }
}
