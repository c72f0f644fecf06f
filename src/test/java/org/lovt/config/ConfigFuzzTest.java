package org.lovt.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of the configuration layer (contract: {@link FuzzContract}): YAML documents, a whole config
 * file loaded on its own (as a run folder's {@code config.yaml} is on resume, interpolation included), and
 * command-line overrides applied to the shipped {@code train_representation} config (one override per line).
 */
class ConfigFuzzTest {
    private static ConfigLoader shipped;

    @FuzzTest(maxDuration = "10m")
    void yaml(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        FuzzContract.check("YAML", data.length, 4096, () -> YamlReader.read(text, "fuzz.yaml"));
    }

    @FuzzTest(maxDuration = "10m")
    void configFile(byte[] data) {
        Path f = FuzzContract.scratch("config.yaml", data);
        FuzzContract.check("config file", data.length, 4096, () -> ConfigLoader.loadFile(f));
    }

    @FuzzTest(maxDuration = "10m")
    void overrides(byte[] data) {
        List<String> lines = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1));
        // Composing the shipped tree (every defaults file read and merged) allocates about 130 MB whatever the input.
        FuzzContract.check("overrides", data.length, 384L << 20, 4096,
                () -> loader().load("train_representation", lines));
    }

    private static synchronized ConfigLoader loader() {
        if (shipped == null) {
            shipped = TestConfigs.shipped(Path.of(System.getProperty("java.io.tmpdir")));
        }
        return shipped;
    }
}
