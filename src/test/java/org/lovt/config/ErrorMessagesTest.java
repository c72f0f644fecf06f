package org.lovt.config;

import org.lovt.train.Experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.train.PreTrainExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of configuration error names the file (and line) or the command line, the full key path and what
 * was expected.
 */
class ErrorMessagesTest {

    @TempDir
    Path dir;

    /** Writes experiment/{name}.yaml = the shipped LoVT_100 with one text replacement, and returns the file. */
    private Path variant(String name, String from, String to) throws IOException {
        String text = Files.readString(TestConfigs.REPO_CONFIGS.resolve("experiment/LoVT_100.yaml"));
        assertTrue(text.contains(from), from);
        return TestConfigs.write(dir, "experiment/" + name + ".yaml", text.replace(from, to));
    }

    private String bindError(String experiment, String... overrides) {
        List<String> all = new java.util.ArrayList<>(List.of("+experiment=" + experiment));
        all.addAll(List.of(overrides));
        ConfigLoader loader = Experiments.loader().configDir(dir).userConfigFile(TestConfigs.noUserConfig(dir))
                .build();
        return TestConfigs.error(() -> loader.load("train_representation", all).bind(PreTrainExperimentConfig.class));
    }

    @Test
    void unknownKeyInAFileNamesFileLineKeyAndSuggestion() throws IOException {
        Path f = variant("typo", "learning_rate: 1e-4", "lerning_rate: 1e-4");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "lerning_rate") + ": unknown key 'pretrain_model.lerning_rate'"
                + " (did you mean 'learning_rate'?) in BiModalModelConfig", bindError("typo"));
    }

    @Test
    void wrongTypesInAFile() throws IOException {
        Path f = variant("t1", "learning_rate: 1e-4", "learning_rate: fast");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "learning_rate: fast")
                + ": pretrain_model.learning_rate: expected a number, got 'fast'", bindError("t1"));

        f = variant("t2", "max_epochs: 100", "max_epochs: 1.5");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "max_epochs")
                + ": pretrain_model.max_epochs: expected an integer, got 1.5", bindError("t2"));

        f = variant("t3", "l_weights_stop_grad: true", "l_weights_stop_grad: 'true'");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "l_weights_stop_grad")
                + ": pretrain_model.l_weights_stop_grad: expected a boolean, got 'true'", bindError("t3"));

        f = variant("t4", "optimizer: AdamW", "optimizer: adamw");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "optimizer: adamw") + ": pretrain_model.optimizer: expected "
                + "one of [Adam, AdamW], got 'adamw' (did you mean 'AdamW'?)", bindError("t4"));

        f = variant("t5", "    - cosine_annealing_per_epoch", "    - cosine");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "- cosine") + ": pretrain_model.lr_scheduler.0: expected one of"
                + " [linear_warmup_cosine_annealing, reduce_on_plateau, cosine_annealing_per_epoch,"
                + " cosine_annealing_warm_restarts], got 'cosine'", bindError("t5"));

        f = variant("t6", "  encoder_a:\n    local_weights_from_aggregator: true", "  encoder_a: resnet50");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "  encoder_a: resnet50")
                + ": pretrain_model.encoder_a: expected a map (ScanEncoderConfig), got 'resnet50'", bindError("t6"));

        f = variant("t7", "  lr_scheduler:\n    - cosine_annealing_per_epoch",
                "  lr_scheduler: cosine_annealing_per_epoch");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "lr_scheduler:")
                + ": pretrain_model.lr_scheduler: expected a list, got 'cosine_annealing_per_epoch'", bindError("t7"));
    }

    @Test
    void rangeChecksInRecordConstructorsNameFileAndKey() throws IOException {
        Path obj = TestConfigs.write(dir, "objective/hot.yaml", "defaults:\n  - global_contrastive\n"
                + "similarity_temperature: -0.1\n");
        String msg = bindError("LoVT_100", "objective@pretrain_model.g_alignment=hot");
        assertEquals(obj + ":3: pretrain_model.g_alignment.similarity_temperature: must be a finite number > 0, got "
                + "-0.1", msg);

        assertEquals("command line: trainer.accumulate_grad_batches: must be > 0, got 0",
                bindError("LoVT_100", "trainer.accumulate_grad_batches=0"));
        assertEquals("command line: pretrain_model.encoder_a.input_size: must be [height, width] with positive sizes,"
                + " got [224]", bindError("LoVT_100", "pretrain_model.encoder_a.input_size=[224]"));
        assertEquals("command line: pretrain_model.encoder_a.data_augmentation.crop_scale_range: must be a [low, high]"
                        + " pair with low <= high, got [1.0, 0.6]",
                bindError("LoVT_100", "pretrain_model.encoder_a.data_augmentation.crop_scale_range=[1.0, 0.6]"));
    }

    @Test
    void crossFieldChecks() {
        Path lovt = TestConfigs.REPO_CONFIGS.resolve("experiment/LoVT_100.yaml");
        assertEquals("configs/experiment/LoVT_100.yaml:" + TestConfigs.lineOf(lovt, "l_weights_a:")
                        + ": pretrain_model.l_weights_a: from_aggregation needs encoder_a.local_weights_from_aggregator:"
                        + " true",
                bindError("LoVT_100", "pretrain_model.encoder_a.local_weights_from_aggregator=false"));
        assertEquals("command line: pretrain_model.encoder_a.local_weights_from_aggregator: needs global_aggregator: "
                        + "avgpool_attention",
                bindError("LoVT_100", "scan_encoder@pretrain_model.encoder_a=resnet50_imagenet",
                        "pretrain_model.encoder_a.local_weights_from_aggregator=true"));
        String msg = bindError("LoVT_100", "~pretrain_model.loss_weights.global_b2a");
        assertTrue(msg.endsWith("pretrain_model.loss_weights: missing weight for loss 'global_b2a' (computed "
                + "losses: [local_a_l2att, local_a_att2l, local_b_l2att, local_b_att2l, global_a2b, global_b2a])"), msg);
        msg = bindError("ablation/no_g", "~pretrain_model.ll_alignments_a", "~pretrain_model.ll_alignments_b");
        assertTrue(msg.endsWith("pretrain_model.g_alignment: no objective: set g_alignment, ll_alignments_a, "
                + "ll_alignments_b or ll_cross_sample"), msg);
    }

    @Test
    void missingMandatoryValues() {
        String msg = TestConfigs.error(() -> TestConfigs.shipped(dir).load("train_representation", List.of())
                .bind(PreTrainExperimentConfig.class));
        assertEquals("defaults of PreTrainExperimentConfig: pretrain_dataset: missing mandatory value (expected a "
                + "string; set it in a config file or on the command line)", msg);
        // Deleting one of the two callback groups leaves the experiment's patience without a monitor.
        msg = bindError("LoVT_100", "callback=[checkpoint]");
        Path lovt = TestConfigs.REPO_CONFIGS.resolve("experiment/LoVT_100.yaml");
        assertEquals("configs/experiment/LoVT_100.yaml:" + TestConfigs.lineOf(lovt, "  early_stopping:")
                + ": callback.early_stopping.monitor: missing mandatory value (expected a string; set it in a config "
                + "file or on the command line)", msg);
    }

    @Test
    void malformedYamlNamesFileAndLine() {
        Path f = TestConfigs.write(dir, "experiment/broken.yaml", "# @package _global_\nname: x\npretrain_model:\n"
                + "  learning_rate: [1e-4\n  batch_size: 32\n");
        String msg = bindError("broken");
        assertTrue(msg.startsWith(f + ":"), msg);
        assertTrue(msg.contains("malformed YAML"), msg);

        f = TestConfigs.write(dir, "experiment/dup.yaml", "name: a\nname: b\n");
        msg = bindError("dup");
        assertTrue(msg.startsWith(f + ":2: malformed YAML: Duplicate field 'name'"), msg);

        f = TestConfigs.write(dir, "experiment/list.yaml", "- a\n- b\n");
        assertEquals(f + ":1: expected a map at the top level of the file, got a list", bindError("list"));
    }

    @Test
    void missingGroupOptionFile() throws IOException {
        assertEquals("command line: could not find option 'LoVT_1000' of config group 'experiment' (options: "
                        + "CLIP_100, CLIP_30, ConVIRT_100, ConVIRT_30, LoVT_100, LoVT_30) (did you mean 'LoVT_100'?)",
                TestConfigs.error(() -> TestConfigs.shipped(dir).load("train_representation",
                        List.of("+experiment=LoVT_1000"))));
        Path f = variant("badgroup", "resnet50attention_imagenet", "resnet50attention");
        assertEquals(f + ":" + TestConfigs.lineOf(f, "resnet50attention\n".strip()) + ": could not find option "
                + "'resnet50attention' of config group 'scan_encoder' (options: base_scan_encoder, resnet50_imagenet, "
                + "resnet50attention_imagenet) (did you mean 'resnet50attention_imagenet'?)", bindError("badgroup"));
        assertEquals("could not find config 'nope' in " + dir + " and classpath configs/",
                TestConfigs.error(() -> Experiments.loader().configDir(dir).build().load("nope", List.of())));
        assertEquals("config directory does not exist: " + dir.resolve("missing"),
                TestConfigs.error(() -> Experiments.loader().configDir(dir.resolve("missing")).build()));
    }

    @Test
    void invalidDefaultsEntries() {
        Path f = TestConfigs.write(dir, "root.yaml", "defaults:\n  - {a: x, b: y}\n");
        assertEquals(f + ":2: defaults: invalid entry a map (expected a name, _self_, or 'group: option')",
                TestConfigs.error(() -> TestConfigs.isolated(dir, ConfigStore.empty()).load("root", List.of())));
        f = TestConfigs.write(dir, "root2.yaml", "defaults:\n  - override g: x\n");
        assertTrue(TestConfigs.error(() -> TestConfigs.isolated(dir, ConfigStore.empty()).load("root2", List.of()))
                .startsWith(f + ":2: defaults: 'override' entries are not supported"));
    }

    @Test
    void unresolvedInterpolation() {
        assertEquals("command line: name: cannot resolve ${nope.x}: 'nope.x' was found neither in the configuration "
                        + "nor in the user config " + TestConfigs.noUserConfig(dir),
                bindError("LoVT_100", "name=${nope.x}"));
        assertEquals("command line: name: interpolation ${now:%Y} uses a resolver, which is not supported; use a plain"
                + " ${key.path}", bindError("LoVT_100", "name=${now:%Y}"));
        assertEquals("command line: name: relative interpolation ${..seed} is not supported; use the absolute key "
                + "path", bindError("LoVT_100", "name=${..seed}"));
        String msg = bindError("LoVT_100", "++a=${b}", "++b=${a}");
        assertTrue(msg.startsWith("command line: ") && msg.contains("interpolation cycle"), msg);
    }
}
