package org.lovt.cli;

import org.lovt.baselines.BaselineConfigs;
import org.lovt.baselines.BaselineExperimentConfig;
import org.lovt.train.Experiments;

import org.lovt.config.ConfigException;
import org.lovt.config.ConfigLoader;
import org.lovt.config.ConfigYaml;
import org.lovt.config.ResolvedConfig;
import org.lovt.train.PreTrainExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lovt config +experiment=LoVT_100 pretrain_model.learning_rate=3e-5}: composes
 * {@code train_representation} with the overrides, binds it strictly and prints the resolved YAML (every default
 * filled in), or writes it with {@code --out}. A bad configuration prints one line to stderr and exits with 2.
 */
@Command(name = "config", description = "Show the fully resolved configuration of an experiment "
        + "(+experiment=NAME) or of an image-only baseline (+baseline=NAME)",
        mixinStandardHelpOptions = true)
public final class ConfigCommand implements Callable<Integer> {

    /** Exit status for an invalid configuration or override. */
    public static final int EXIT_BAD_CONFIG = 2;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Folder laid out like configs/; its files take precedence over the shipped ones.")
    Path configDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the resolved YAML here (atomically) "
            + "instead of printing it.")
    Path out;

    @Option(names = "--user-config", paramLabel = "FILE", description = "User config file (default: "
            + "$LOVT_USER_CONFIG, else ~/.config/lovt/user.yaml).")
    Path userConfig;

    @Option(names = "--sources", description = "Print every value with the file and line it came from, "
            + "before binding.")
    boolean sources;

    @Parameters(paramLabel = "OVERRIDE", arity = "0..*", description = "Hydra-style overrides, e.g. "
            + "+experiment=LoVT_100 pretrain_model.learning_rate=3e-5 +key=value ~key")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            boolean baseline = BaselineConfigs.selectsBaseline(overrides);
            ResolvedConfig resolved = (baseline ? BaselineConfigs.loader() : Experiments.loader())
                    .configDir(configDir)
                    .userConfigFile(userConfig)
                    .build()
                    .load(baseline ? BaselineConfigs.BASELINE : Experiments.TRAIN_REPRESENTATION, overrides);
            if (sources) {
                resolved.describeSources().forEach(stdout::println);
                stdout.flush();
                return 0;
            }
            Record config = baseline ? resolved.bind(BaselineExperimentConfig.class)
                    : resolved.bind(PreTrainExperimentConfig.class);
            if (out != null) {
                ConfigYaml.write(config, out);
                stdout.println("wrote " + out);
            } else {
                stdout.print(ConfigYaml.toYaml(config));
            }
            stdout.flush();
            return 0;
        } catch (ConfigException e) {
            stderr.println("error: " + e.getMessage());
            stderr.flush();
            return EXIT_BAD_CONFIG;
        } catch (UncheckedIOException e) {
            stderr.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
            stderr.flush();
            return 1;
        }
    }
}
