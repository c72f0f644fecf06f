package org.lovt.config;

import org.lovt.train.Experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.model.Aggregator;
import org.lovt.train.PreTrainExperimentConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults lists, packages, merge order and precedence (Hydra 1.1 semantics). */
class CompositionTest {

    @TempDir
    Path dir;

    private ResolvedConfig compose(String root, String... overrides) {
        return TestConfigs.isolated(dir, ConfigStore.empty()).load(root, List.of(overrides));
    }

    private void file(String rel, String text) {
        TestConfigs.write(dir, rel, text);
    }

    @Test
    void selfPositionDecidesWhoWins() {
        file("a.yaml", "x: from_a\ny: from_a\n");
        file("self_last.yaml", "defaults: [a, _self_]\nx: from_self\n");
        file("self_first.yaml", "defaults: [_self_, a]\nx: from_self\n");
        file("self_implicit.yaml", "defaults: [a]\nx: from_self\n");

        assertEquals("from_self", compose("self_last").value("x").orElseThrow());
        assertEquals("from_a", compose("self_last").value("y").orElseThrow());
        assertEquals("from_a", compose("self_first").value("x").orElseThrow());
        assertEquals("from_self", compose("self_implicit").value("x").orElseThrow(),
                "Hydra 1.1 puts an implicit _self_ last");
    }

    @Test
    void defaultsAreMergedDepthFirstInListOrder() {
        file("b.yaml", "x: from_b\nz: from_b\nw: from_b\n");
        file("a.yaml", "defaults: [b]\nx: from_a\n");
        file("c.yaml", "z: from_c\n");
        file("root.yaml", "defaults: [a, c]\n");
        ResolvedConfig rc = compose("root");
        assertEquals("from_a", rc.value("x").orElseThrow());
        assertEquals("from_c", rc.value("z").orElseThrow());
        assertEquals("from_b", rc.value("w").orElseThrow());
    }

    @Test
    void mapsMergeListsReplaceNullReplaces() {
        file("a.yaml", "m: {x: 1, y: 1, n: {p: 1}}\nl: [1, 2, 3]\nv: 1\n");
        file("root.yaml", "defaults: [a]\nm: {y: 2, n: {q: 2}}\nl: [9]\nv: null\n");
        ResolvedConfig rc = compose("root");
        assertEquals(Map.of("x", 1L, "y", 2L, "n", Map.of("p", 1L, "q", 2L)), rc.value("m").orElseThrow());
        assertEquals(List.of(9L), rc.value("l").orElseThrow());
        assertTrue(rc.contains("v"));
        assertTrue(rc.value("v").isEmpty());
    }

    @Test
    void missingMarkerNeverOverridesAValue() {
        file("a.yaml", "x: 1\n");
        file("root.yaml", "defaults: [a, _self_]\nx: ???\ny: ???\n");
        ResolvedConfig rc = compose("root");
        assertEquals(1L, rc.value("x").orElseThrow());
        assertEquals("???", rc.value("y").orElseThrow());
    }

    @Test
    void groupOptionsArePlacedAtTheirPackage() {
        file("g/opt.yaml", "k: 1\n");
        file("g/glob.yaml", "# @package _global_\ntop: 1\n");
        file("g/named.yaml", "# @package _group_._name_\nk: 2\n");
        file("root.yaml", """
                defaults:
                  - g: opt
                  - g@p.q: opt
                  - /g@r: named
                  - g: glob
                """);
        ResolvedConfig rc = compose("root");
        assertEquals(1L, rc.value("g.k").orElseThrow());
        assertEquals(1L, rc.value("p.q.k").orElseThrow());
        assertEquals(2L, rc.value("r.k").orElseThrow(), "@pkg in the entry wins over the header");
        assertEquals(1L, rc.value("top").orElseThrow());
        file("root2.yaml", "defaults:\n  - g: named\n");
        assertEquals(2L, compose("root2").value("g.named.k").orElseThrow());
    }

    @Test
    void packagesAreRelativeToTheIncludingConfig() {
        file("enc/base.yaml", "kind: base\nsize: 1\n");
        file("enc/big.yaml", "defaults: [base]\nsize: 9\n");
        file("sub/leaf.yaml", "v: 1\n");
        file("enc/with_sub.yaml", "defaults:\n  - /sub: leaf\n  - sub2@x: leaf2\n");
        file("enc/sub2/leaf2.yaml", "w: 2\n");
        file("root.yaml", "defaults:\n  - enc@model.encoder: big\n  - enc@model.other: with_sub\n");
        ResolvedConfig rc = compose("root");
        assertEquals("base", rc.value("model.encoder.kind").orElseThrow(), "config default keeps the parent package");
        assertEquals(9L, rc.value("model.encoder.size").orElseThrow());
        assertEquals(1L, rc.value("model.other.sub.v").orElseThrow());
        assertEquals(2L, rc.value("model.other.x.w").orElseThrow(), "relative group enc/sub2");
    }

    @Test
    void listOfOptionsMergesInOrderAndNullSelectsNothing() {
        file("g/o1.yaml", "a: 1\nb: 1\n");
        file("g/o2.yaml", "b: 2\n");
        file("root.yaml", "defaults:\n  - g: [o1, o2]\n  - h: null\n");
        ResolvedConfig rc = compose("root");
        assertEquals(Map.of("a", 1L, "b", 2L), rc.value("g").orElseThrow());
        assertFalse(rc.contains("h"));
    }

    @Test
    void optionalMissingOptionIsSkipped() {
        file("g/o1.yaml", "a: 1\n");
        file("root.yaml", "defaults:\n  - optional g: nope\n  - g: o1\n");
        assertEquals(1L, compose("root").value("g.a").orElseThrow());
    }

    @Test
    void appendedExperimentComesAfterThePrimarySelf() {
        file("root.yaml", "defaults: [_self_]\nx: primary\ny: primary\n");
        file("exp/e.yaml", "# @package _global_\nx: experiment\n");
        ResolvedConfig rc = compose("root", "+exp=e");
        assertEquals("experiment", rc.value("x").orElseThrow());
        assertEquals("primary", rc.value("y").orElseThrow());
    }

    @Test
    void commandLineGroupOverrideReplacesANestedSelection() {
        file("enc/a.yaml", "name: a\n");
        file("enc/b.yaml", "name: b\n");
        file("exp/e.yaml", "# @package _global_\ndefaults:\n  - /enc@model.enc: a\n");
        file("root.yaml", "x: 1\n");
        assertEquals("a", compose("root", "+exp=e").value("model.enc.name").orElseThrow());
        assertEquals("b", compose("root", "+exp=e", "enc@model.enc=b").value("model.enc.name").orElseThrow());
        assertFalse(compose("root", "+exp=e", "~enc@model.enc").contains("model.enc"));
    }

    @Test
    void shippedGroupOverrides() {
        ConfigLoader loader = TestConfigs.shipped(dir);
        PreTrainExperimentConfig c = loader.load("train_representation",
                List.of("+experiment=CLIP_100", "scan_encoder@pretrain_model.encoder_a=resnet50_imagenet",
                        "online_eval=[chexpert_bin_joint]")).bind(PreTrainExperimentConfig.class);
        assertEquals(Aggregator.AVG, c.pretrainModel().encoderA().globalAggregator());
        assertEquals(List.of("chexpert_bin_joint"), List.copyOf(c.onlineEval().keySet()));

        c = loader.load("train_representation", List.of("+experiment=CLIP_100", "~online_eval"))
                .bind(PreTrainExperimentConfig.class);
        assertTrue(c.onlineEval().isEmpty());

        c = loader.load("train_representation", List.of("+experiment=LoVT_100", "~callback.early_stopping",
                "~callback.model_checkpoint")).bind(PreTrainExperimentConfig.class);
        assertEquals(null, c.callback().earlyStopping());
        assertEquals(null, c.callback().modelCheckpoint());
    }

    @Test
    void configDirShadowsShippedFilesAndReusesShippedGroups() {
        file("experiment/LoVT_100.yaml", "# @package _global_\ndefaults:\n  - /experiment: LoVT_30\n"
                + "name: my_lovt\n");
        // Shadowing LoVT_100 but reusing the shipped LoVT_30 (and through it every shipped group).
        ConfigLoader loader = Experiments.loader().configDir(dir).userConfigFile(TestConfigs.noUserConfig(dir))
                .build();
        ResolvedConfig rc = loader.load("train_representation", List.of("+experiment=LoVT_100"));
        PreTrainExperimentConfig c = rc.bind(PreTrainExperimentConfig.class);
        assertEquals("my_lovt", c.name());
        assertEquals("mimic-cxr_ap-pa_find-impr_03", c.pretrainDataset());
        Path mine = dir.resolve("experiment/LoVT_100.yaml");
        assertEquals(mine + ":" + TestConfigs.lineOf(mine, "name: my_lovt"),
                rc.source("name").orElseThrow().toString());
    }

    @Test
    void provenanceOfEveryKindOfValue() {
        ResolvedConfig rc = TestConfigs.shipped(dir).load("train_representation",
                List.of("+experiment=LoVT_100", "pretrain_model.batch_size=16"));
        Path exp = TestConfigs.REPO_CONFIGS.resolve("experiment/LoVT_100.yaml");
        assertEquals("configs/experiment/LoVT_100.yaml:" + TestConfigs.lineOf(exp, "learning_rate: 1e-4"),
                rc.source("pretrain_model.learning_rate").orElseThrow().toString());
        Path scan = TestConfigs.REPO_CONFIGS.resolve("scan_encoder/resnet50attention_imagenet.yaml");
        assertEquals("configs/scan_encoder/resnet50attention_imagenet.yaml:"
                        + TestConfigs.lineOf(scan, "global_aggregator: avgpool_attention"),
                rc.source("pretrain_model.encoder_a.global_aggregator").orElseThrow().toString());
        assertEquals("defaults of BiModalModelConfig", rc.source("pretrain_model.d_hidden").orElseThrow().toString());
        assertEquals("defaults of ScanAugmentationConfig",
                rc.source("pretrain_model.encoder_a.data_augmentation.random_crop").orElseThrow().toString());
        assertEquals(Source.COMMAND_LINE, rc.source("pretrain_model.batch_size").orElseThrow());
        assertTrue(rc.describeSources().contains("pretrain_model.batch_size: 16  # command line"));
    }

    @Test
    void defaultsCycleIsReported() {
        file("a.yaml", "defaults: [b]\n");
        file("b.yaml", "defaults: [a]\n");
        String msg = TestConfigs.error(() -> compose("a"));
        assertTrue(msg.contains("defaults cycle"), msg);
        assertTrue(msg.contains("a.yaml"), msg);
    }

    @Test
    void structuredConfigsStandInForDataclasses() {
        file("root.yaml", "defaults:\n  - base: rec\n");
        ConfigStore store = ConfigStore.empty().with("base/rec", org.lovt.train.TrainerConfig.class);
        ResolvedConfig rc = TestConfigs.isolated(dir, store).load("root", List.of("base.precision=16"));
        assertEquals(16L, rc.value("base.precision").orElseThrow());
        assertEquals(1L, rc.value("base.accumulate_grad_batches").orElseThrow());
        assertEquals("defaults of TrainerConfig", rc.source("base.accumulate_grad_batches").orElseThrow().origin());
    }
}
