package org.lovt.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers: loaders that never read the real home folder, files written into temp config dirs. */
final class TestConfigs {
    private TestConfigs() {}

    /** The repository's configs/ folder (tests run with the module root as working directory). */
    static final Path REPO_CONFIGS = Path.of("configs");

    /** A user config path that does not exist, so tests never see the developer's own user config. */
    static Path noUserConfig(Path tmp) {
        return tmp.resolve("no-such-user.yaml");
    }

    /** Shipped configs from the classpath, no user config. */
    static ConfigLoader shipped(Path tmp) {
        return org.lovt.train.Experiments.loader().userConfigFile(noUserConfig(tmp)).build();
    }

    /** Only the files of {@code dir} (no classpath configs), with the given store and no user config. */
    static ConfigLoader isolated(Path dir, ConfigStore store) {
        return ConfigLoader.builder().configDir(dir).store(store).classLoader(emptyClassLoader())
                .userConfigFile(noUserConfig(dir)).build();
    }

    static ClassLoader emptyClassLoader() {
        return new URLClassLoader(new URL[0], null);
    }

    /** Writes {@code text} to {@code dir/relative}, creating folders. */
    static Path write(Path dir, String relative, String text) {
        try {
            Path f = dir.resolve(relative);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 1-based line of the first line of {@code file} containing {@code needle}; fails if absent. */
    static int lineOf(Path file, String needle) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(needle)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fail("'" + needle + "' not in " + file);
        return -1;
    }

    /** Runs {@code r}, expecting a ConfigException, and returns its message. */
    static String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }
}
