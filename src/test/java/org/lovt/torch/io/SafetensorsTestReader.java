package org.lovt.torch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/**
 * TEST HELPER ONLY: a minimal safetensors parser (8-byte little-endian header length, JSON header, raw data) used
 * to compare {@link TorchCheckpoint} against the fixtures' safetensors twins. The library's real safetensors reader
 * is written separately; this one exists so that the checkpoint tests do not depend on it, and it does none of the
 * validation a production reader needs.
 */
final class SafetensorsTestReader {
    private SafetensorsTestReader() {}

    static LinkedHashMap<String, HostTensor> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, headerLen, "UTF-8"));
        int dataStart = 8 + headerLen;
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            DType dtype = DType.fromSafetensors(t.get("dtype").asText());
            JsonNode shapeNode = t.get("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            int begin = t.get("data_offsets").get(0).asInt();
            int end = t.get("data_offsets").get(1).asInt();
            ByteBuffer data = ByteBuffer.wrap(all, dataStart + begin, end - begin).slice();
            out.put(e.getKey(), new HostTensor(dtype, shape, data));
        }
        return out;
    }
}
