package org.lovt.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;
import org.lovt.LovtException;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.util.AtomicFiles;
import org.lovt.util.FileTrees;

/**
 * Checkpoints of a run: each one a folder ({@code model.safetensors}, {@code optimizer.pt}, {@code state.json})
 * written under a temporary name and renamed when complete, and small pointer files {@code last} and {@code best}
 * naming the current ones (replaced atomically). A kill at any moment leaves the previous checkpoints intact and
 * the pointers on complete folders. Folders no pointer names are removed after a save.
 */
public final class Checkpoints {
    public static final String LAST = "last";
    public static final String BEST = "best";
    /** The checkpoint {@code last} named before the current one: where a damaged {@code last} falls back to. */
    public static final String PREVIOUS = "previous";
    /** SHA-256 of every file of a checkpoint, written last; loading verifies it. */
    public static final String CHECKSUMS = "checksums.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A module trained beside the model with its own optimizer (an online probe), saved as {@code <name>.*}. */
    public record Extra(String name, Module module, Optimizer optimizer) {}

    /** Writes a checkpoint folder {@code name} and points the given pointers at it. */
    public Path save(String name, Module model, Optimizer optimizer, TrainState state, String... pointers) {
        return save(name, model, optimizer, state, java.util.List.of(), pointers);
    }

    /** Writes a checkpoint folder {@code name} with extra modules and points the given pointers at it. */
    public Path save(String name, Module model, Optimizer optimizer, TrainState state, java.util.List<Extra> extras,
                     String... pointers) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            Files.createDirectories(dir);
            FileTrees.deleteTree(tmp);
            Files.createDirectories(tmp);
            Safetensors.write(tmp.resolve("model.safetensors"), StateDict.of(model).toHost(),
                    Map.of("format", "pt", "producer", "lovt-jvm"));
            OutputArchive archive = new OutputArchive();
            optimizer.save(archive);
            archive.save_to(tmp.resolve("optimizer.pt").toString());
            for (Extra e : extras) {
                Safetensors.write(tmp.resolve(e.name() + ".safetensors"), StateDict.of(e.module()).toHost(), Map.of());
                OutputArchive ea = new OutputArchive();
                e.optimizer().save(ea);
                ea.save_to(tmp.resolve(e.name() + ".optimizer.pt").toString());
            }
            AtomicFiles.writeString(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toJson(state)));
            ObjectNode sums = JSON.createObjectNode();
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.sorted().toList()) {
                    sums.put(f.getFileName().toString(), FileTrees.sha256(f));
                }
            }
            AtomicFiles.writeString(tmp.resolve(CHECKSUMS), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(sums));
            FileTrees.deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            for (String p : pointers) {
                if (p.equals(LAST)) {
                    Path old = dir.resolve(LAST);
                    String previous = Files.isRegularFile(old) ? Files.readString(old).strip() : "";
                    if (!previous.isEmpty() && !previous.equals(name)
                            && Files.isDirectory(dir.resolve(previous))) {
                        AtomicFiles.writeString(dir.resolve(PREVIOUS), previous + "\n");
                    }
                }
                AtomicFiles.writeString(dir.resolve(p), name + "\n");
            }
            prune();
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.deleteTree(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new LovtException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint folder a pointer names, if any. */
    public Optional<Path> resolve(String pointer) {
        Path p = dir.resolve(pointer);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            Path ckpt = dir.resolve(Files.readString(p).strip());
            if (!Files.isRegularFile(ckpt.resolve("state.json"))) {
                throw new LovtException(p + " names " + ckpt + ", which is not a complete checkpoint");
            }
            return Optional.of(ckpt);
        } catch (IOException e) {
            throw new LovtException("cannot read checkpoint pointer " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint a pointer names if it is intact ({@link #verify}), else the {@link #PREVIOUS} one if that is intact,
     * with a warning on {@code warn} naming what is damaged; empty when the pointer names none.
     *
     * @throws LovtException when neither is intact
     */
    public Optional<Path> resolveIntact(String pointer, java.io.PrintStream warn) {
        Optional<Path> first;
        String problem;
        try {
            first = resolve(pointer);
            if (first.isEmpty()) {
                return first;
            }
            problem = verify(first.get());
        } catch (LovtException e) {
            first = Optional.empty();
            problem = e.getMessage();
        }
        if (problem == null) {
            return first;
        }
        Optional<Path> previous;
        String previousProblem;
        try {
            previous = resolve(PREVIOUS);
            previousProblem = previous.isEmpty() ? "there is no previous checkpoint" : verify(previous.get());
        } catch (LovtException e) {
            previous = Optional.empty();
            previousProblem = e.getMessage();
        }
        if (previousProblem != null) {
            throw new LovtException("the '" + pointer + "' checkpoint is damaged (" + problem + ") and " + previousProblem
                    + "; start a new run folder or restore the checkpoint files");
        }
        warn.println("lovt: warning: the '" + pointer + "' checkpoint is damaged (" + problem + "); continuing from the "
                + "previous one, " + previous.get());
        warn.flush();
        return previous;
    }

    /**
     * Checks a checkpoint folder against its {@link #CHECKSUMS}: null when intact (or written before checksums
     * existed), else what is wrong.
     */
    public static String verify(Path ckpt) {
        Path file = ckpt.resolve(CHECKSUMS);
        if (!Files.isRegularFile(file)) {
            return Files.isRegularFile(ckpt.resolve("state.json")) ? null : ckpt + " has no state.json";
        }
        try {
            JsonNode sums = JSON.readTree(file.toFile());
            for (var it = sums.fields(); it.hasNext(); ) {
                var e = it.next();
                Path f = ckpt.resolve(e.getKey());
                if (!f.normalize().startsWith(ckpt.normalize()) || !Files.isRegularFile(f)) {
                    return f + " is missing";
                }
                if (!FileTrees.sha256(f).equals(e.getValue().asText())) {
                    return f + " does not match its checksum";
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return file + " is unreadable (" + e.getMessage() + ")";
        }
    }

    /** Loads a checkpoint into a model and optimizer of the same configuration; returns its training state. */
    public static TrainState load(Path ckpt, Module model, Optimizer optimizer) {
        return load(ckpt, model, optimizer, java.util.List.of());
    }

    /** As {@link #load(Path, Module, Optimizer)}, also restoring extra modules saved with the checkpoint. */
    public static TrainState load(Path ckpt, Module model, Optimizer optimizer, java.util.List<Extra> extras) {
        for (Extra e : extras) {
            Path f = ckpt.resolve(e.name() + ".safetensors");
            if (java.nio.file.Files.isRegularFile(f)) {
                StateDict.fromHost(Safetensors.read(f).tensors()).loadInto(e.module(), true);
                InputArchive ea = new InputArchive();
                ea.load_from(ckpt.resolve(e.name() + ".optimizer.pt").toString());
                e.optimizer().load(ea);
            }
        }
        StateDict.LoadReport r = StateDict.fromHost(Safetensors.read(ckpt.resolve("model.safetensors")).tensors())
                .loadInto(model, true);
        if (optimizer != null) {
            InputArchive archive = new InputArchive();
            archive.load_from(ckpt.resolve("optimizer.pt").toString());
            optimizer.load(archive);
        }
        try {
            return fromJson(JSON.readTree(ckpt.resolve("state.json").toFile()));
        } catch (IOException e) {
            throw new LovtException(ckpt.resolve("state.json") + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(TrainState s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("epoch", s.epoch()).put("batch", s.batch()).put("micro_steps", s.microSteps())
                .put("optimizer_steps", s.optimizerSteps()).put("best_epoch", s.bestEpoch())
                .put("bad_epochs", s.badEpochs());
        putDouble(n, "best", s.best());
        putDouble(n, "stop_best", s.stopBest());
        ObjectNode sched = n.putObject("schedule");
        s.schedule().forEach((k, v) -> putDouble(sched, k, v));
        return n;
    }

    static TrainState fromJson(JsonNode n) {
        Map<String, Double> sched = new LinkedHashMap<>();
        n.path("schedule").fields().forEachRemaining(e -> sched.put(e.getKey(), getDouble(e.getValue())));
        return new TrainState(n.get("epoch").asInt(), n.get("batch").asLong(), n.get("micro_steps").asLong(),
                n.get("optimizer_steps").asLong(), getDouble(n.get("best")), n.get("best_epoch").asInt(),
                getDouble(n.get("stop_best")), n.get("bad_epochs").asInt(), sched);
    }

    /** JSON has no infinities: they are written as strings. */
    private static void putDouble(ObjectNode n, String k, double v) {
        if (Double.isFinite(v)) {
            n.put(k, v);
        } else {
            n.put(k, Double.toString(v));
        }
    }

    private static double getDouble(JsonNode v) {
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
    }

    /**
     * Deletes what a killed process left: checkpoint folders still being written ({@code .tmp-*}) and folders being
     * deleted ({@code .deleting-*}). Called when a run opens its folder to resume, under the folder's lock.
     */
    public void discardUnfinished() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && (name.startsWith(".tmp-") || name.startsWith(".deleting-"))) {
                    FileTrees.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new LovtException(dir + ": cannot remove unfinished checkpoint folders: " + e.getMessage(), e);
        }
    }

    private void prune() throws IOException {
        Set<Path> keep = new HashSet<>();
        resolve(LAST).ifPresent(keep::add);
        resolve(BEST).ifPresent(keep::add);
        try {
            resolve(PREVIOUS).ifPresent(keep::add);
        } catch (LovtException ignored) {
            // a previous checkpoint that is not complete is not kept
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && !keep.contains(p) && !name.startsWith(".")) {
                    // Renamed out of sight first: a process killed while deleting leaves a hidden folder, never a
                    // half-deleted one that looks like a checkpoint.
                    Path doomed = dir.resolve(".deleting-" + name);
                    FileTrees.deleteTree(doomed);
                    Files.move(p, doomed, StandardCopyOption.ATOMIC_MOVE);
                    FileTrees.deleteTree(doomed);
                } else if (Files.isDirectory(p) && name.startsWith(".deleting-")) {
                    FileTrees.deleteTree(p);                      // left by a killed process
                }
            }
        }
    }

}
