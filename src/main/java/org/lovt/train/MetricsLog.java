package org.lovt.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;

/**
 * Metrics of a run as JSON lines ({@code metrics.jsonl}, one object per event) and as a long-format CSV
 * ({@code metrics.csv}: epoch, step, name, value), both appended and flushed per event so that a killed run keeps
 * everything it logged. Values are plain Java numbers.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter jsonl;
    private final BufferedWriter csv;

    public MetricsLog(Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path csvFile = runDir.resolve("metrics.csv");
            // A process killed in the middle of a line leaves it unfinished: cut it, so that the resumed run's lines
            // stay whole (what it held is logged again when the resumed run repeats that step).
            cutPartialLine(runDir.resolve("metrics.jsonl"));
            cutPartialLine(csvFile);
            boolean fresh = !Files.exists(csvFile) || Files.size(csvFile) == 0;
            jsonl = Files.newBufferedWriter(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                csv.write("epoch,step,name,value\n");
            }
        } catch (IOException e) {
            throw new LovtException("cannot open the metrics log in " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** Truncates a file after its last newline (nothing if it ends with one or does not exist). */
    static void cutPartialLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            long end = size;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                ch.truncate(end);
            }
        }
    }

    /** Logs one event: named values at an epoch and optimizer step. */
    public synchronized void log(int epoch, long step, Map<String, Double> values) {
        ObjectNode n = JSON.createObjectNode();
        n.put("epoch", epoch).put("step", step).put("time", System.currentTimeMillis() / 1000.0);
        try {
            for (Map.Entry<String, Double> e : values.entrySet()) {
                double v = e.getValue();
                if (Double.isFinite(v)) {
                    n.put(e.getKey(), v);
                } else {
                    n.put(e.getKey(), Double.toString(v));
                }
                csv.write(epoch + "," + step + "," + e.getKey() + "," + v + "\n");
            }
            jsonl.write(JSON.writeValueAsString(n));
            jsonl.write('\n');
            jsonl.flush();
            csv.flush();
        } catch (IOException e) {
            throw new LovtException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            jsonl.close();
            csv.close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }
}
