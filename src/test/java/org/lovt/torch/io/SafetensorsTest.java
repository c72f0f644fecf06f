package org.lovt.torch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheResnetFixtureWithTorchvisionNames() {
        Safetensors.Contents c = Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"));
        assertEquals(320, c.tensors().size(), "torchvision ResNet-50 state_dict has 320 entries");
        HostTensor conv1 = c.tensor("conv1.weight");
        assertEquals(DType.F32, conv1.dtype());
        assertArrayEquals(new long[] {8, 3, 7, 7}, conv1.shape());
        assertArrayEquals(new long[] {10, 256}, c.tensor("fc.weight").shape());
        assertEquals(DType.I64, c.tensor("layer3.5.bn2.num_batches_tracked").dtype());
        assertTrue(conv1.data().isDirect(), "tensors are slices of the memory mapping, not copies");
        float sum = 0;
        var fb = conv1.bytes().asFloatBuffer();
        while (fb.hasRemaining()) {
            sum += Math.abs(fb.get());
        }
        assertTrue(sum > 0, "weights are non-trivial");
    }

    @Test
    void missingTensorNameIsReportedWithTheFile() {
        Path f = TestData.require("fixtures/bert-tiny/model.safetensors");
        LovtException e = assertThrows(LovtException.class, () -> Safetensors.read(f).tensor("nope"));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("'nope'"), e.getMessage());
    }

    static HostTensor random(DType dtype, Random rnd, long... shape) {
        byte[] b = new byte[(int) HostTensor.byteLength(dtype, shape)];
        rnd.nextBytes(b);
        if (dtype == DType.BOOL) {
            for (int i = 0; i < b.length; i++) {
                b[i] &= 1;
            }
        }
        return new HostTensor(dtype, shape, ByteBuffer.wrap(b));
    }

    @Test
    void writeThenReadRoundTripsEveryDtypeAndMetadata() throws IOException {
        Random rnd = new Random(7);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        long[][] shapes = {{3, 5}, {7}, {}, {2, 0, 4}, {1, 1, 3}};
        int i = 0;
        for (DType d : DType.values()) {
            in.put("t." + d.name().toLowerCase(), random(d, rnd, shapes[i++ % shapes.length]));
        }
        Path f = tmp.resolve("all.safetensors");
        Safetensors.write(f, in, Map.of("format", "pt", "note", "ünïcode"));
        Safetensors.Contents out = Safetensors.read(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()), "order is kept");
        for (String k : in.keySet()) {
            assertTrue(in.get(k).contentEquals(out.tensor(k)), k);
        }
        assertEquals("ünïcode", out.metadata().get("note"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data section is 8-byte aligned");
        assertTrue(Files.list(tmp).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
    }

    @Test
    void rewritingTheFixtureGivesIdenticalTensors() {
        Safetensors.Contents c = Safetensors.read(TestData.require("fixtures/bert-tiny/model.safetensors"));
        Path f = tmp.resolve("copy.safetensors");
        Safetensors.write(f, c.tensors(), c.metadata());
        Safetensors.Contents d = Safetensors.read(f);
        assertEquals(c.tensors().keySet(), d.tensors().keySet());
        c.tensors().forEach((k, v) -> assertTrue(v.contentEquals(d.tensor(k)), k));
    }

    /** A file with the given JSON header (padded as given) followed by {@code dataLen} zero bytes. */
    private Path file(String name, String header, int dataLen) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    static Stream<Arguments> malformedHeaders() {
        return Stream.of(
                Arguments.of("bad json", "{\"a\": {\"dtype\": \"F32\", ", 0, "not valid JSON"),
                Arguments.of("not an object", "[1, 2, 3]", 0, "JSON object"),
                Arguments.of("duplicate key", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                        + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "not valid JSON"),
                Arguments.of("unknown dtype", "{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                        "unknown safetensors dtype 'F33'"),
                Arguments.of("negative shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4,
                        "not a non-negative integer"),
                Arguments.of("fractional shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                        4, "not a non-negative integer"),
                Arguments.of("shape times dtype", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}",
                        8, "needs 16 bytes but data_offsets span 8"),
                Arguments.of("offsets beyond data", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                        8, "outside the 8 data bytes"),
                Arguments.of("reversed offsets", "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4,
                        "reversed"),
                Arguments.of("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap"),
                Arguments.of("gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap of 4"),
                Arguments.of("trailing bytes", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12,
                        "8 trailing bytes"),
                Arguments.of("missing offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "data_offsets"),
                Arguments.of("three offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4,
                        "must have 2 entries"),
                Arguments.of("unknown field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],"
                        + "\"x\":1}}", 4, "unknown header field 'x'"),
                Arguments.of("metadata not strings", "{\"__metadata__\":{\"k\":1}}", 0, "is not a string"),
                Arguments.of("overflowing shape", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,8]}}", 8, "too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void malformedHeadersAreRejectedNamingFileAndProblem(String what, String header, int dataLen, String expected)
            throws IOException {
        Path f = file(what.replace(' ', '_') + ".safetensors", header, dataLen);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        Path f = tmp.resolve("long.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes());
        Files.write(f, b.array());
        var e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("header length 1000 exceeds the file (16 bytes)"), e.getMessage());
        ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).put("{}      ".getBytes());
        Files.write(f, c.array());
        e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("header length 18446744073709551615 exceeds"), e.getMessage());
    }

    @Test
    void tooShortAndMissingFilesAreRejected() throws IOException {
        Path f = tmp.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertTrue(assertThrows(SafetensorsException.class, () -> Safetensors.read(f)).getMessage()
                .contains("too short"));
        Path missing = tmp.resolve("absent.safetensors");
        assertTrue(assertThrows(SafetensorsException.class, () -> Safetensors.read(missing)).getMessage()
                .contains("no such file"));
    }

    @Test
    void emptyFileOfNoTensorsIsValid() throws IOException {
        Path f = file("empty.safetensors", "{}      ", 0);
        assertEquals(0, Safetensors.read(f).tensors().size());
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws IOException {
        byte[] good = Files.readAllBytes(TestData.require("fixtures/lovt-heads/params.safetensors"));
        Random rnd = new Random(1234);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = good.clone();
            int mode = trial % 3;
            if (mode == 0) {
                bad = java.util.Arrays.copyOf(good, rnd.nextInt(good.length));
            } else {
                int headerEnd = 8 + (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int pos = mode == 1 ? rnd.nextInt(headerEnd) : rnd.nextInt(8);
                    bad[pos] = (byte) rnd.nextInt(256);
                }
            }
            Path f = tmp.resolve("fuzz.safetensors");
            Files.write(f, bad);
            try {
                Safetensors.Contents c = Safetensors.read(f);
                // Whatever survived validation must be self-consistent.
                c.tensors().values().forEach(t -> assertEquals(HostTensor.byteLength(t.dtype(), t.shape()),
                        t.byteSize()));
            } catch (SafetensorsException expected) {
                rejected++;
            } catch (RuntimeException other) {
                fail("trial " + trial + " escaped as " + other, other);
            }
        }
        assertTrue(rejected > 300, "most corruptions are detected, got " + rejected);
    }
}
