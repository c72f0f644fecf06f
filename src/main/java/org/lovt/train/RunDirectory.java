package org.lovt.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Device;
import org.lovt.LovtException;
import org.lovt.config.ResolvedConfig;
import org.lovt.torch.Devices;
import org.lovt.torch.Natives;
import org.lovt.util.AtomicFiles;

/**
 * A run's folder: {@code config.yaml} (the fully resolved config), {@code run.json} (versions, seed, device,
 * command line, start time, notes), {@code vocab.txt} when the vocabulary was built, {@code checkpoints/},
 * {@code metrics.jsonl} and {@code metrics.csv}. Re-opening an existing run folder resumes it; its config must not
 * have changed.
 */
public final class RunDirectory {
    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    /** A new folder {@code <parent>/<name>-<UTC time>} (made unique). */
    public static RunDirectory create(Path parent, String name) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path dir = parent.resolve(safe + "-" + stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(safe + "-" + stamp + "-" + i);
        }
        return open(dir);
    }

    /** An existing or new folder. */
    public static RunDirectory open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LovtException("cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    /** Whether the folder already holds a run (its config). */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve("config.yaml"));
    }

    /**
     * Writes the resolved config and the provenance record; for an existing run, checks that the config is the same
     * (a resumed run with another config would not continue the same experiment).
     */
    public void record(ResolvedConfig config, long seed, Device device, List<String> commandLine,
                       List<String> notes) {
        record(config, seed, device, 1, commandLine, notes);
    }

    /** As above, for a data-parallel run of {@code worldSize} processes (recorded as {@code world_size}). */
    public void record(ResolvedConfig config, long seed, Device device, int worldSize, List<String> commandLine,
                       List<String> notes) {
        String yaml = config.toYaml();
        try {
            Path cfg = dir.resolve("config.yaml");
            if (Files.isRegularFile(cfg)) {
                if (!Files.readString(cfg).equals(yaml)) {
                    throw new LovtException(dir + ": resuming with a different configuration than the run's "
                            + "config.yaml; start a new run folder or use the same overrides");
                }
            } else {
                AtomicFiles.writeString(cfg, yaml);
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("started", Instant.now().toString());
            run.put("seed", seed);
            run.put("device", Devices.name(device));
            run.put("lovt_version", String.valueOf(RunDirectory.class.getPackage().getImplementationVersion()));
            run.put("java", System.getProperty("java.version") + " " + System.getProperty("java.vendor"));
            run.put("libtorch", Natives.torchVersion());
            run.put("threads", org.bytedeco.pytorch.global.torch.get_num_threads());
            run.put("world_size", worldSize);
            run.put("command_line", commandLine);
            run.put("notes", notes);
            Path runJson = dir.resolve(Files.exists(dir.resolve("run.json")) ? "run-resumed-"
                    + Instant.now().getEpochSecond() + ".json" : "run.json");
            AtomicFiles.writeString(runJson, new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(run));
        } catch (IOException e) {
            throw new LovtException("cannot write the run record in " + dir + ": " + e.getMessage(), e);
        }
    }
}
