package org.lovt.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Machine-specific settings kept outside the repository (local paths to weights and datasets): the file named by
 * the system property {@code lovt.user.config} or the environment variable {@code LOVT_USER_CONFIG}, else
 * {@code ~/.config/lovt/user.yaml}. A missing file is an empty user config. Config files refer to its values by
 * interpolation, e.g. a dataset's {@code path: ${data.mimic_cxr.path}}.
 *
 * <pre>
 * models:
 *   base_path: /data/lovt/models
 *   pretrained:
 *     resnet50_imagenet: /data/weights/resnet50-19c8e357.pth
 *     bio_clinicalbert: /data/weights/Bio_ClinicalBERT
 * data:
 *   mimic_cxr:
 *     path: /data/MIMIC-CXR/mimic-cxr_ap-pa_dataset
 * </pre>
 *
 * @param models where models are stored and where pre-trained weights are found
 * @param data   dataset locations by dataset key ({@code mimic_cxr}, {@code rsna}, ...)
 */
public record UserConfig(
        @ConfigDefault("{}") Models models,
        @ConfigDefault("{}") Map<String, DataLocation> data) {

    /** Environment variable naming the user config file. */
    public static final String ENV_VAR = "LOVT_USER_CONFIG";
    /** System property naming the user config file (takes precedence over the environment variable). */
    public static final String PROPERTY = "lovt.user.config";

    public UserConfig {
        Check.notNull("models", models);
        data = Check.map("data", data);
    }

    /**
     * Model folders (original {@code user_config.yml}: {@code models.base_path},
     * {@code models.pretrained_models_folder}) and local copies of the pre-trained weights, since the JVM port
     * downloads nothing.
     *
     * @param basePath               folder holding trained models; null if not configured
     * @param pretrainedModelsFolder sub-folder of {@code base_path} for pre-training runs
     * @param pretrained             local weight files
     */
    public record Models(
            @Nullable @ConfigDefault("null") String basePath,
            @ConfigDefault("pretraining") String pretrainedModelsFolder,
            @ConfigDefault("{}") Pretrained pretrained) {
        public Models {
            Check.notNull("pretrained_models_folder", pretrainedModelsFolder);
            Check.notNull("pretrained", pretrained);
        }
    }

    /**
     * Local paths of the pre-trained weights the original fetched from the internet; null if not configured.
     *
     * @param resnet50Imagenet torchvision ImageNet ResNet-50 ({@code resnet50-19c8e357.pth})
     * @param bioClinicalbert  folder of {@code emilyalsentzer/Bio_ClinicalBERT} (weights, vocab, config)
     */
    public record Pretrained(
            @Nullable @ConfigDefault("null") String resnet50Imagenet,
            @Nullable @ConfigDefault("null") String bioClinicalbert) {
    }

    /**
     * Where a prepared dataset lives.
     *
     * @param path dataset root folder
     */
    public record DataLocation(String path) {
        public DataLocation {
            Check.notNull("path", path);
        }
    }

    /** All defaults: nothing configured. */
    public static UserConfig empty() {
        return Binder.bind(new Node.MapNode(Source.of("empty user config")), "", UserConfig.class);
    }

    /** The user config file of this process (system property, environment, home folder). */
    public static Path defaultPath() {
        return locate(System::getProperty, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The user config file: {@code properties(PROPERTY)}, else {@code env[ENV_VAR]}, else
     * {@code home/.config/lovt/user.yaml}. Injectable so that tests never touch the real home folder.
     */
    public static Path locate(UnaryOperator<String> properties, Map<String, String> env, Path home) {
        String p = properties.apply(PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String e = env.get(ENV_VAR);
        if (e != null && !e.isBlank()) {
            return Path.of(e);
        }
        return home.resolve(".config").resolve("lovt").resolve("user.yaml");
    }

    /** Loads and strictly binds a user config file; a missing file gives {@link #empty()}. */
    public static UserConfig load(Path file) {
        return Binder.bind(readTree(file), "", UserConfig.class);
    }

    static Node.MapNode readTree(Path file) {
        if (!Files.exists(file)) {
            return new Node.MapNode(Source.of(file.toString()));
        }
        try {
            return YamlReader.readMap(Files.readString(file), file.toString());
        } catch (java.io.IOException e) {
            throw new ConfigException(file + ": cannot read user config: " + e.getMessage(), e);
        }
    }
}
