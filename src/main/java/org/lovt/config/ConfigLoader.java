package org.lovt.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads configurations the way the original Hydra entry points did:
 *
 * <pre>{@code
 * ConfigLoader loader = ConfigLoader.builder().store(myStore).build();
 * ResolvedConfig rc = loader.load("train_representation",
 *         List.of("+experiment=LoVT_100", "pretrain_model.learning_rate=3e-5"));
 * MyRecord cfg = rc.bind(MyRecord.class);
 * }</pre>
 *
 * <p>Files come from the given config directory first, then from {@code configs/} on the classpath (shipped in the
 * jar). Structured configs ({@link ConfigStore}) stand in for the original dataclass entries. {@code ${key}}
 * references are resolved against the composed config, then against the {@link UserConfig}.
 */
public final class ConfigLoader {

    private final ConfigRepository repo;
    private final ConfigStore store;
    private final Path userConfigFile;
    private Node.MapNode userTree;

    private ConfigLoader(Builder b) {
        this.repo = new ConfigRepository(Optional.ofNullable(b.configDir), b.classLoader);
        this.store = b.store;
        this.userConfigFile = b.userConfigFile != null ? b.userConfigFile : UserConfig.defaultPath();
    }

    /** A builder with the defaults: classpath configs only, no structured configs, default user config location. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Composes {@code root} (e.g. {@code train_representation}) with command-line style overrides, reading files
     * from {@code configDir} (if given) before the classpath, and the user config from its default location.
     */
    public static ResolvedConfig load(Optional<Path> configDir, String root, List<String> overrides) {
        return builder().configDir(configDir.orElse(null)).build().load(root, overrides);
    }

    /**
     * Loads a single YAML file without defaults list, e.g. a resolved config written by
     * {@link ConfigYaml#write(Object, Path)} or {@link ResolvedConfig#writeYaml(Path)}.
     */
    public static ResolvedConfig loadFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file");
        }
        ConfigFile cfg;
        try {
            cfg = ConfigFile.parse(Files.readString(file), file.toString());
        } catch (java.io.IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!cfg.defaults().isEmpty()) {
            throw ConfigException.at(cfg.defaults().get(0).source(), "defaults",
                    "a file with a defaults list must be loaded with ConfigLoader.load (from its config directory)");
        }
        Node.MapNode tree = cfg.content();
        new Interpolator(tree, new Node.MapNode(Source.of("no user config")), "(none: single-file load)")
                .resolveAll();
        return new ResolvedConfig(tree);
    }

    /** Composes the primary config {@code root} (a path such as {@code train_representation}) with overrides. */
    public ResolvedConfig load(String root, List<String> overrides) {
        Objects.requireNonNull(root, "root");
        List<CliOverride> parsed = CliOverride.parseAll(overrides);
        List<CliOverride> groupOverrides = new ArrayList<>();
        List<CliOverride> valueOverrides = new ArrayList<>();
        for (CliOverride o : parsed) {
            (Composer.isGroupKey(o, repo, store) ? groupOverrides : valueOverrides).add(o);
        }
        Node.MapNode tree = new Composer(repo, store, groupOverrides).compose(root);
        for (CliOverride o : valueOverrides) {
            ValueOverrides.apply(tree, o);
        }
        new Interpolator(tree, userTree(), userConfigFile.toString()).resolveAll();
        return new ResolvedConfig(tree);
    }

    /** The user config this loader resolves references against. */
    public UserConfig userConfig() {
        return Binder.bind(userTree(), "", UserConfig.class);
    }

    /** The user config file this loader reads (it may not exist). */
    public Path userConfigFile() {
        return userConfigFile;
    }

    private synchronized Node.MapNode userTree() {
        if (userTree == null) {
            Source src = Source.of(userConfigFile.toString());
            UserConfig bound = UserConfig.load(userConfigFile);
            Object plain = ConfigYaml.mapper().convertValue(bound, Object.class);
            userTree = (Node.MapNode) Node.fromPlain(plain, src);
        }
        return userTree;
    }

    /** Options of {@link ConfigLoader}. */
    public static final class Builder {
        private Path configDir;
        private Path userConfigFile;
        private ConfigStore store = ConfigStore.empty();
        private ClassLoader classLoader = ConfigLoader.class.getClassLoader();

        private Builder() {}

        /** A folder laid out like {@code configs/}; its files take precedence over the shipped ones. */
        public Builder configDir(Path dir) {
            this.configDir = dir;
            return this;
        }

        /** The user config file (default: {@link UserConfig#defaultPath()}); a missing file is empty. */
        public Builder userConfigFile(Path file) {
            this.userConfigFile = file;
            return this;
        }

        /** Structured configs available to defaults lists (default: none). */
        public Builder store(ConfigStore s) {
            this.store = Objects.requireNonNull(s);
            return this;
        }

        /** Class loader whose {@code configs/} resources are used (default: this library's). */
        public Builder classLoader(ClassLoader cl) {
            this.classLoader = Objects.requireNonNull(cl);
            return this;
        }

        /** A loader with these options; fails if the config directory does not exist. */
        public ConfigLoader build() {
            return new ConfigLoader(this);
        }
    }
}
