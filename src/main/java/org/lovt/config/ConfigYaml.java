package org.lovt.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one Jackson mapper for config records (snake_case names, strict: unknown properties and nulls for primitives
 * fail, no string-to-number coercion) and YAML output of bound configs.
 *
 * <p>Written YAML re-loads to an equal record: {@code ConfigLoader.loadFile(path).bind(type)}.
 */
public final class ConfigYaml {

    private static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .stringQuotingChecker(new RoundTripQuoting())
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private ConfigYaml() {}

    /**
     * Quotes every string that would not read back as the same string: Jackson's own check misses YAML 1.1 forms
     * such as {@code 1e-4}, {@code yes} or Hydra's {@code ???}, so the reader used for loading decides.
     */
    private static final class RoundTripQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !readsBackAsString(value);
        }

        private static boolean readsBackAsString(String value) {
            try {
                Node n = YamlReader.read(value, "quoting check");
                return n instanceof Node.ValueNode v && !v.isMissing() && value.equals(v.value());
            } catch (ConfigException e) {
                return false;
            }
        }
    }

    /** The shared mapper (thread-safe once configured). */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** YAML text of a config record, every field written (defaults and nulls included). */
    public static String toYaml(Object config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot write " + config.getClass().getSimpleName() + " as YAML: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes a config record as YAML, atomically (see {@link #writeAtomically(Path, String)}). */
    public static void write(Object config, Path file) {
        writeAtomically(file, toYaml(config));
    }

    /**
     * Writes text to a temporary file in the target's folder, then renames it over the target, so that a reader
     * (or a crash) never sees a half-written config. Creates missing parent folders.
     */
    public static void writeAtomically(Path file, String text) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
