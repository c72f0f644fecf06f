package org.lovt.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.train.PreTrainExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolved config is written atomically and re-loads to an equal record. */
class WriteOutTest {

    @TempDir
    Path tmp;

    private PreTrainExperimentConfig bound(String experiment, String... more) {
        List<String> ov = new java.util.ArrayList<>(List.of("+experiment=" + experiment));
        ov.addAll(List.of(more));
        return TestConfigs.shipped(tmp).load("train_representation", ov).bind(PreTrainExperimentConfig.class);
    }

    @Test
    void everyExperimentRoundTrips() {
        ShippedExperimentsTest.experiments().forEach(e -> {
            PreTrainExperimentConfig c = bound(e.option());
            Path f = tmp.resolve("runs").resolve(e.option().replace('/', '_')).resolve("config.yaml");
            ConfigYaml.write(c, f);
            assertEquals(c, ConfigLoader.loadFile(f).bind(PreTrainExperimentConfig.class), e.option());
        });
    }

    @Test
    void trickyStringsSurviveTheRoundTrip() {
        PreTrainExperimentConfig c = bound("LoVT_100", "name='1e-4'", "work_dir='yes'",
                "pretrain_dataset='null'", "callback.model_checkpoint.filename='a: {b}'",
                "callback.model_checkpoint.dirpath=''", "pretrain_model.encoder_b.language_encoder='.5'");
        Path f = tmp.resolve("c.yaml");
        ConfigYaml.write(c, f);
        PreTrainExperimentConfig back = ConfigLoader.loadFile(f).bind(PreTrainExperimentConfig.class);
        assertEquals(c, back);
        assertEquals("1e-4", back.name());
        assertEquals("yes", back.workDir());
        assertEquals("", back.callback().modelCheckpoint().dirpath());
        assertEquals(".5", back.pretrainModel().encoderB().languageEncoder());
        assertEquals("null", back.pretrainDataset());
    }

    @Test
    void resolvedTreeRoundTripsToo() {
        ResolvedConfig rc = TestConfigs.shipped(tmp).load("train_representation", List.of("+experiment=ConVIRT_30"));
        Path f = tmp.resolve("tree.yaml");
        rc.writeYaml(f);
        assertEquals(rc.bind(PreTrainExperimentConfig.class),
                ConfigLoader.loadFile(f).bind(PreTrainExperimentConfig.class));
        assertEquals(rc.toYaml(), Files.exists(f) ? read(f) : "");
    }

    @Test
    void writeIsAtomicAndReplaces() throws IOException {
        Path f = tmp.resolve("out").resolve("config.yaml");
        ConfigYaml.write(bound("LoVT_100"), f);
        String first = read(f);
        ConfigYaml.write(bound("LoVT_30"), f);
        String second = read(f);
        assertNotEquals(first, second);
        assertTrue(second.contains("name: LoVT_30"));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void writtenYamlUsesTheOriginalNames() {
        String yaml = ConfigYaml.toYaml(bound("LoVT_100"));
        for (String key : List.of("pretrain_model:", "l_weights_a: from_aggregation", "ll_alignments_a:",
                "d_zg: null", "_encoder_cls_: ScanEncoderModel", "optimizer: AdamW", "accumulate_grad_batches: 16",
                "sentence_shuffling: random_swaps", "source_modality: a", "projection_norm: batch")) {
            assertTrue(yaml.contains(key), key);
        }
        assertFalse(yaml.contains("dZ"));
    }

    @Test
    void loadFileRejectsDefaultsLists() {
        Path f = TestConfigs.write(tmp, "x.yaml", "defaults: [a]\nx: 1\n");
        assertEquals(f + ":1: defaults: a file with a defaults list must be loaded with ConfigLoader.load (from its "
                + "config directory)", TestConfigs.error(() -> ConfigLoader.loadFile(f)));
        assertEquals(tmp.resolve("none.yaml") + ": no such config file",
                TestConfigs.error(() -> ConfigLoader.loadFile(tmp.resolve("none.yaml"))));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
