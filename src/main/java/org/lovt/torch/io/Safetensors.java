package org.lovt.torch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lovt.LovtException;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.util.AtomicFiles;

/**
 * Reader and writer of the safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}, then the
 * raw little-endian tensor bytes.
 *
 * <p>Reading memory-maps the file; every tensor is a zero-copy slice of the mapping. The header is validated as
 * strictly as the reference implementation does: a header that does not fit the file, invalid or duplicate-keyed
 * JSON, an unknown dtype, negative or inconsistent shapes, offsets outside the data or overlapping, gaps or
 * trailing bytes, and a byte span that differs from shape × dtype size are all rejected with a
 * {@link SafetensorsException} naming the file and the entry.
 */
public final class Safetensors {
    /** Largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Safetensors() {}

    /** The content of a safetensors file: tensors in header order and the string metadata. */
    public record Contents(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        /** A tensor by name; a missing name raises an exception naming the file. */
        public HostTensor tensor(String name) {
            HostTensor t = tensors.get(name);
            if (t == null) {
                throw new SafetensorsException(file, "no tensor named '" + name + "' (" + tensors.size() + " tensors)");
            }
            return t;
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** Reads (memory-maps) a safetensors file and validates its header. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file, "file is " + size + " bytes, too short for a safetensors header");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > size - 8) {
                throw new SafetensorsException(file, "header length " + Long.toUnsignedString(headerLen)
                        + " exceeds the file (" + size + " bytes)");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "header length " + headerLen + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, headerBuf.array(), dataLen, metadata);
            checkLayout(file, entries, dataLen);

            LinkedHashMap<String, HostTensor> tensors = new LinkedHashMap<>();
            ByteBuffer whole = dataLen <= Integer.MAX_VALUE && dataLen > 0
                    ? ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen).order(ByteOrder.LITTLE_ENDIAN)
                    : null;
            for (Entry e : entries) {
                long n = e.end - e.begin;
                ByteBuffer slice;
                if (n == 0) {
                    slice = ByteBuffer.allocate(0);
                } else if (whole != null) {
                    slice = whole.slice((int) e.begin, (int) n);
                } else if (n <= Integer.MAX_VALUE) {
                    slice = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, n);
                } else {
                    throw new SafetensorsException(file, "tensor '" + e.name + "' has " + n
                            + " bytes, more than one Java buffer can address");
                }
                tensors.put(e.name, new HostTensor(e.dtype, e.shape, slice));
            }
            return new Contents(file, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, "no such file");
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new SafetensorsException(file, "unexpected end of file");
            }
        }
    }

    private static List<Entry> parseHeader(Path file, byte[] header, long dataLen, Map<String, String> metadata) {
        int first = 0;
        while (first < header.length && header[first] == ' ') {
            first++;
        }
        if (first == header.length || header[first] != '{') {
            throw new SafetensorsException(file, "header does not start with a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!v.isObject()) {
                    throw new SafetensorsException(file, "__metadata__ is not an object");
                }
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw new SafetensorsException(file, "__metadata__ value '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            entries.add(parseEntry(file, name, v, dataLen));
        }
        return entries;
    }

    private static Entry parseEntry(Path file, String name, JsonNode v, long dataLen) {
        String where = "tensor '" + name + "'";
        if (!v.isObject()) {
            throw new SafetensorsException(file, where + ": header entry is not an object");
        }
        Iterator<String> keys = v.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new SafetensorsException(file, where + ": unknown header field '" + k + "'");
            }
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new SafetensorsException(file, where + ": missing or non-string dtype");
        }
        DType dtype;
        try {
            dtype = DType.fromSafetensors(dt.asText());
        } catch (LovtException e) {
            throw new SafetensorsException(file, where + ": " + e.getMessage());
        }
        long[] shape = longArray(file, where, "shape", v.get("shape"), -1);
        long[] offsets = longArray(file, where, "data_offsets", v.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new SafetensorsException(file, where + ": data_offsets [" + begin + ", " + end + "] are reversed");
        }
        if (end > dataLen) {
            throw new SafetensorsException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] lie outside the " + dataLen + " data bytes");
        }
        long expected;
        try {
            expected = HostTensor.byteLength(dtype, shape);
        } catch (LovtException e) {
            throw new SafetensorsException(file, where + ": " + e.getMessage());
        }
        if (expected != end - begin) {
            throw new SafetensorsException(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expected + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long[] longArray(Path file, String where, String field, JsonNode node, int requiredLength) {
        if (node == null || !node.isArray()) {
            throw new SafetensorsException(file, where + ": missing or non-array " + field);
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafetensorsException(file, where + ": " + field + " must have " + requiredLength
                    + " entries, has " + node.size());
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.asLong() < 0) {
                throw new SafetensorsException(file, where + ": " + field + " entry " + x
                        + " is not a non-negative integer");
            }
            out[i] = x.asLong();
        }
        return out;
    }

    /** Tensors must tile the data section exactly: no overlap, no gap, nothing after the last one. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLen) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw new SafetensorsException(file, "tensors '" + prev.name + "' and '" + e.name + "' overlap");
            }
            if (e.begin > pos) {
                throw new SafetensorsException(file, "gap of " + (e.begin - pos) + " bytes before tensor '"
                        + e.name + "'");
            }
            pos = e.end;
            prev = e;
        }
        if (pos != dataLen) {
            throw new SafetensorsException(file, (dataLen - pos) + " trailing bytes after the last tensor");
        }
    }

    /** Writes tensors (in map order) and string metadata atomically; existing files are replaced only on success. */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new LovtException("a tensor cannot be named " + METADATA_KEY);
            }
            HostTensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (long s : t.shape()) {
                shape.add(s);
            }
            ArrayNode off = entry.putArray("data_offsets");
            off.add(offset);
            offset += t.byteSize();
            off.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new LovtException("cannot encode safetensors header for " + file + ": " + e.getMessage(), e);
        }
        // Pad with spaces so that the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        try {
            AtomicFiles.write(file, out -> {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
                out.write(len.array());
                out.write(head);
                byte[] chunk = new byte[1 << 16];
                for (HostTensor t : tensors.values()) {
                    ByteBuffer b = t.bytes();
                    while (b.hasRemaining()) {
                        int n = Math.min(chunk.length, b.remaining());
                        b.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                }
            });
        } catch (IOException e) {
            throw new LovtException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
