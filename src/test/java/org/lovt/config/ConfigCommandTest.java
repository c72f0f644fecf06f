package org.lovt.config;

import org.lovt.train.Experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.cli.ConfigCommand;
import org.lovt.train.PreTrainExperimentConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lovt config}: prints or writes the resolved config; a bad config is one stderr line and exit 2. */
class ConfigCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ConfigCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--user-config", tmp.resolve("no-user.yaml").toString()));
        all.addAll(List.of(args));
        return cl.execute(all.toArray(String[]::new));
    }

    private PreTrainExperimentConfig expected(String... overrides) {
        return Experiments.loader().userConfigFile(tmp.resolve("no-user.yaml")).build()
                .load("train_representation", List.of(overrides)).bind(PreTrainExperimentConfig.class);
    }

    @Test
    void printsTheResolvedYaml() {
        assertEquals(0, run("+experiment=LoVT_100", "pretrain_model.learning_rate=3e-5"));
        assertEquals(ConfigYaml.toYaml(expected("+experiment=LoVT_100", "pretrain_model.learning_rate=3e-5")),
                out.toString());
        assertTrue(out.toString().contains("  learning_rate: 3.0E-5\n"));
        assertEquals("", err.toString());
    }

    @Test
    void writesToAFile() throws IOException {
        Path f = tmp.resolve("run/config.yaml");
        assertEquals(0, run("--out", f.toString(), "+experiment=ConVIRT_30"));
        assertEquals("wrote " + f + System.lineSeparator(), out.toString());
        assertEquals(expected("+experiment=ConVIRT_30"),
                ConfigLoader.loadFile(f).bind(PreTrainExperimentConfig.class));
        assertTrue(Files.readString(f).contains("name: ConVIRT_30"));
    }

    @Test
    void badConfigIsOneLineOnStderrAndExitTwo() {
        assertEquals(2, run("+experiment=LoVT_100", "pretrain_model.lerning_rate=1"));
        assertEquals("", out.toString());
        assertEquals("error: command line: could not override 'pretrain_model.lerning_rate': key not found (did you "
                + "mean 'learning_rate'?); use '+pretrain_model.lerning_rate=...' to add a new key"
                + System.lineSeparator(), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("+experiment=LoVT_100", "pretrain_model.learning_rate=fast"));
        assertEquals("error: command line: pretrain_model.learning_rate: expected a number, got 'fast'"
                + System.lineSeparator(), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run());
        assertTrue(err.toString().startsWith("error: defaults of PreTrainExperimentConfig: pretrain_dataset: missing"),
                err.toString());
        assertEquals(1, err.toString().lines().count());
    }

    @Test
    void configDirOption() {
        Path dir = tmp.resolve("myconfigs");
        ConfigYaml.writeAtomically(dir.resolve("experiment/mine.yaml"),
                "# @package _global_\ndefaults:\n  - /experiment: CLIP_30\nname: mine\n");
        assertEquals(0, run("--config-dir", dir.toString(), "+experiment=mine"));
        assertTrue(out.toString().startsWith("name: mine\n"), out.toString());
    }

    @Test
    void sourcesOption() {
        assertEquals(0, run("--sources", "+experiment=LoVT_100", "pretrain_model.batch_size=16"));
        assertTrue(out.toString().contains("pretrain_model.batch_size: 16  # command line"));
        assertTrue(out.toString().contains("pretrain_model.d_hidden: 2048  # defaults of BiModalModelConfig"));
        assertTrue(out.toString().contains("name: 'LoVT_100'  # configs/experiment/LoVT_100.yaml:"));
    }

    @Test
    void commandMetadata() {
        CommandLine cl = new CommandLine(new ConfigCommand());
        assertEquals("config", cl.getCommandName());
        assertEquals("Show the fully resolved configuration of an experiment (+experiment=NAME) or of an image-only "
                + "baseline (+baseline=NAME)", cl.getCommandSpec().usageMessage().description()[0]);
    }
}
