package org.lovt.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds config files by path ({@code experiment/LoVT_100}, without extension) in an optional user directory
 * first, then under {@code configs/} on the classpath (the files shipped in the jar). A user directory therefore
 * shadows shipped files of the same name and can add new ones, while still reusing the shipped groups.
 */
final class ConfigRepository {

    static final String CLASSPATH_ROOT = "configs";
    private static final String[] EXTENSIONS = {".yaml", ".yml"};

    private final Path dir;
    private final ClassLoader classLoader;

    ConfigRepository(Optional<Path> dir, ClassLoader classLoader) {
        this.dir = dir.orElse(null);
        this.classLoader = classLoader;
        if (this.dir != null && !Files.isDirectory(this.dir)) {
            throw new ConfigException("config directory does not exist: " + this.dir);
        }
    }

    /** Human description of where configs are looked up, for "not found" messages. */
    String describe() {
        String cp = "classpath " + CLASSPATH_ROOT + "/";
        return dir == null ? cp : dir + " and " + cp;
    }

    /** Loads {@code path}(.yaml|.yml), or empty if no such file exists. */
    Optional<ConfigFile> load(String path) {
        checkPath(path);
        for (String ext : EXTENSIONS) {
            if (dir != null) {
                Path f = dir.resolve(path + ext);
                if (Files.isRegularFile(f)) {
                    try {
                        return Optional.of(ConfigFile.parse(Files.readString(f, StandardCharsets.UTF_8),
                                f.toString()));
                    } catch (IOException e) {
                        throw new ConfigException(f + ": cannot read: " + e.getMessage(), e);
                    }
                }
            }
        }
        for (String ext : EXTENSIONS) {
            String res = CLASSPATH_ROOT + "/" + path + ext;
            try (InputStream in = classLoader.getResourceAsStream(res)) {
                if (in != null) {
                    return Optional.of(ConfigFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), res));
                }
            } catch (IOException e) {
                throw new ConfigException(res + ": cannot read: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code group} is a directory of configs (in the user directory or on the classpath). */
    boolean isGroup(String group) {
        if (!isSafe(group)) {
            return false;
        }
        if (dir != null && Files.isDirectory(dir.resolve(group))) {
            return true;
        }
        return !options(group).isEmpty();
    }

    /** Names of the options (files without extension) directly in {@code group}, sorted. */
    TreeSet<String> options(String group) {
        TreeSet<String> out = new TreeSet<>();
        if (!isSafe(group)) {
            return out;
        }
        if (dir != null) {
            addFileNames(dir.resolve(group), out);
        }
        try {
            Enumeration<URL> urls = classLoader.getResources(CLASSPATH_ROOT + "/" + group);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                if ("file".equals(url.getProtocol())) {
                    addFileNames(Path.of(url.toURI()), out);
                } else if ("jar".equals(url.getProtocol())) {
                    addJarNames(url, CLASSPATH_ROOT + "/" + group + "/", out);
                }
            }
        } catch (IOException | URISyntaxException e) {
            // Listing only feeds "did you mean" hints; a failure must not hide the real error.
        }
        return out;
    }

    private static void addFileNames(Path groupDir, TreeSet<String> out) {
        if (!Files.isDirectory(groupDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(groupDir)) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).forEach(n -> addName(n, out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addJarNames(URL url, String prefix, TreeSet<String> out) throws IOException {
        // jar:file:/path/lovt.jar!/configs/group: the jar is opened as a file (no URL connection, see README
        // "Reliability": nothing in the code opens a connection).
        String spec = url.getPath();
        int bang = spec.indexOf("!/");
        if (bang < 0) {
            throw new IOException("not a jar URL: " + url);
        }
        java.io.File file;
        try {
            file = new java.io.File(new java.net.URI(spec.substring(0, bang)));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot locate the jar of " + url + ": " + e.getMessage(), e);
        }
        try (JarFile jar = new JarFile(file)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                    addName(name.substring(prefix.length()), out);
                }
            }
        }
    }

    private static void addName(String fileName, TreeSet<String> out) {
        for (String ext : EXTENSIONS) {
            if (fileName.endsWith(ext)) {
                out.add(fileName.substring(0, fileName.length() - ext.length()));
            }
        }
    }

    private static boolean isSafe(String path) {
        return path.matches("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
    }

    private static void checkPath(String path) {
        if (!isSafe(path)) {
            throw new ConfigException("invalid config path '" + path + "'");
        }
    }
}
