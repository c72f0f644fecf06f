package org.lovt.torch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lovt.torch.io.CheckpointTestSupport.bytes;
import static org.lovt.torch.io.CheckpointTestSupport.call;
import static org.lovt.torch.io.CheckpointTestSupport.dict;
import static org.lovt.torch.io.CheckpointTestSupport.dims;
import static org.lovt.torch.io.CheckpointTestSupport.expected;
import static org.lovt.torch.io.CheckpointTestSupport.stateDict;
import static org.lovt.torch.io.CheckpointTestSupport.storage;
import static org.lovt.torch.io.CheckpointTestSupport.tensor;
import static org.lovt.torch.io.CheckpointTestSupport.write;
import static org.lovt.torch.io.CheckpointTestSupport.zip;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.PickleWriter.Global;
import org.lovt.torch.io.PickleWriter.NewObj;
import org.lovt.torch.io.PickleWriter.OrderedDict;
import org.lovt.torch.io.PickleWriter.Reduce;
import org.lovt.torch.io.PickleWriter.Storage;
import org.lovt.torch.io.PickleWriter.StorageView;
import org.lovt.torch.io.PickleWriter.Tensor;
import org.lovt.torch.io.PickleWriter.Tup;
import org.lovt.torch.io.TorchSaveWriter.ZipOptions;

/**
 * Tensor layouts, container formats, object trees and state-dict discovery, on checkpoints built by the test-only
 * writers (which reproduce PyTorch's bytes; see {@link TorchCheckpointFixtureTest}).
 */
class TorchCheckpointTest {

    @TempDir
    Path dir;

    private static void assertView(HostTensor t, Storage s, DType dtype, long offset, long[] size, long[] stride) {
        assertEquals(dtype, t.dtype());
        assertArrayEquals(size, t.shape());
        assertArrayEquals(expected(s.data(), dtype.byteSize(), offset, size, stride, false), bytes(t));
    }

    @Test
    void contiguousTensorsAndOffsetsAreZeroCopySlices() throws Exception {
        Storage s = storage("0", DType.F32, 24, 1);
        Path f = zip(dir, "c.pth", stateDict(
                "a", Tensor.contiguous(s, 0, 2, 3, 4),
                "b", Tensor.contiguous(s, 5, 3),
                "c", Tensor.contiguous(s, 23)));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(sd.keySet()));
        assertView(sd.get("a"), s, DType.F32, 0, dims(2, 3, 4), dims(12, 4, 1));
        assertView(sd.get("b"), s, DType.F32, 5, dims(3), dims(1));
        assertView(sd.get("c"), s, DType.F32, 23, dims(), dims());
        assertTrue(sd.get("a").data().isReadOnly(), "a slice of the read-only file mapping");
    }

    @Test
    void stridedViewsAreGatheredInCOrder() throws Exception {
        Storage s = storage("0", DType.F32, 48, 2);
        long[][][] views = {
            {{6, 4}, {1, 6}, {0}},          // transpose of a (4, 6) matrix
            {{12}, {2}, {1}},               // every other element, from offset 1
            {{3, 4}, {0, 1}, {2}},          // expanded along dim 0 (zero stride)
            {{2, 3, 4}, {1, 8, 2}, {0}},    // permuted
            {{1, 4}, {99, 1}, {3}},         // size-1 dim with any stride is still contiguous
            {{4, 1, 3}, {1, 7, 4}, {5}},    // transposed with a size-1 dim in between
            {{2, 2}, {0, 0}, {47}},         // fully expanded scalar
        };
        Object[] kv = new Object[views.length * 2];
        for (int i = 0; i < views.length; i++) {
            kv[2 * i] = "v" + i;
            kv[2 * i + 1] = tensor(s, views[i][2][0], views[i][0], views[i][1]);
        }
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(zip(dir, "v.pth", stateDict(kv)));
        for (int i = 0; i < views.length; i++) {
            assertView(sd.get("v" + i), s, DType.F32, views[i][2][0], views[i][0], views[i][1]);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"})
    void everyTorchDtypeContiguousTransposedAndScalar(DType dtype) throws Exception {
        Storage s = storage("7", dtype, 30, dtype.ordinal());
        Path f = zip(dir, "d.pth", stateDict(
                "m", Tensor.contiguous(s, 0, 5, 6),
                "t", tensor(s, 0, dims(6, 5), dims(1, 6)),
                "s", tensor(s, 29, dims(), dims())));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f);
        assertView(sd.get("m"), s, dtype, 0, dims(5, 6), dims(6, 1));
        assertView(sd.get("t"), s, dtype, 0, dims(6, 5), dims(1, 6));
        assertView(sd.get("s"), s, dtype, 29, dims(), dims());
        assertEquals(0, sd.get("s").shape().length);
        assertEquals(1, sd.get("s").numel());
    }

    @Test
    void sharedStoragesAndTiedTensors() throws Exception {
        Storage s = storage("0", DType.F32, 12, 3);
        Tensor tied = Tensor.contiguous(s, 0, 3, 4);
        Path f = zip(dir, "s.pth", stateDict(
                "embeddings.weight", tied,
                "decoder.weight", tied,
                "row1", Tensor.contiguous(s, 4, 4),
                "transposed", tensor(s, 0, dims(4, 3), dims(1, 4))));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f);
        assertSame(sd.get("embeddings.weight"), sd.get("decoder.weight"), "one pickled tensor, one Java object");
        assertView(sd.get("row1"), s, DType.F32, 4, dims(4), dims(1));
        assertView(sd.get("transposed"), s, DType.F32, 0, dims(4, 3), dims(1, 4));
    }

    @Test
    void emptyTensors() throws Exception {
        Storage s = storage("0", DType.F32, 0, 4);
        Storage t = storage("1", DType.I64, 3, 5);
        Path f = zip(dir, "e.pth", stateDict(
                "empty", Tensor.contiguous(s, 0, 0, 3),
                "emptyView", tensor(t, 3, dims(2, 0), dims(0, 1))));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f);
        assertArrayEquals(dims(0, 3), sd.get("empty").shape());
        assertEquals(0, sd.get("empty").byteSize());
        assertEquals(DType.I64, sd.get("emptyView").dtype());
        assertEquals(0, sd.get("emptyView").byteSize());
    }

    @Test
    void bigEndianArchivesAreByteSwapped() throws Exception {
        Storage f32 = storage("0", DType.F32, 12, 6);
        Storage bf16 = storage("1", DType.BF16, 6, 7);
        Storage u8 = storage("2", DType.U8, 5, 8);
        Object root = stateDict(
                "w", Tensor.contiguous(f32, 0, 3, 4),
                "wt", tensor(f32, 0, dims(4, 3), dims(1, 4)),
                "h", Tensor.contiguous(bf16, 0, 6),
                "b", Tensor.contiguous(u8, 1, 4));
        Path f = write(dir, "be.pth", TorchSaveWriter.zip(root, ZipOptions.torch("archive").byteorder("big")));
        TorchCheckpoint ckpt = TorchCheckpoint.read(f);
        assertTrue(ckpt.bigEndian());
        LinkedHashMap<String, HostTensor> sd = ckpt.stateDict();
        assertArrayEquals(expected(f32.data(), 4, 0, dims(3, 4), dims(4, 1), true), bytes(sd.get("w")));
        assertArrayEquals(expected(f32.data(), 4, 0, dims(4, 3), dims(1, 4), true), bytes(sd.get("wt")));
        assertArrayEquals(expected(bf16.data(), 2, 0, dims(6), dims(1), true), bytes(sd.get("h")));
        assertArrayEquals(expected(u8.data(), 1, 1, dims(4), dims(1), false), bytes(sd.get("b")));

        Path little = write(dir, "le.pth", TorchSaveWriter.zip(root, ZipOptions.torch("archive")
                .byteorder("little")));
        assertFalse(TorchCheckpoint.read(little).bigEndian());
        assertView(TorchCheckpoint.loadStateDict(little).get("w"), f32, DType.F32, 0, dims(3, 4), dims(4, 1));
    }

    @Test
    void archiveFolderNameIsWhateverTheWriterChose() throws Exception {
        Storage s = storage("0", DType.F32, 4, 9);
        for (String name : List.of("archive", "weights", "my-run_3.v2", "pytorch_model")) {
            Path f = write(dir, name + ".pt", TorchSaveWriter.zip(stateDict("x", Tensor.contiguous(s, 0, 4)),
                    ZipOptions.torch(name)));
            TorchCheckpoint ckpt = TorchCheckpoint.read(f);
            assertEquals(name, ckpt.archiveName());
            assertView(ckpt.stateDict().get("x"), s, DType.F32, 0, dims(4), dims(1));
        }
    }

    @Test
    void deflatedAndZip64ArchivesAlsoRead() throws Exception {
        Storage s = storage("0", DType.F32, 64, 10);
        Object root = stateDict("x", Tensor.contiguous(s, 0, 8, 8), "xt", tensor(s, 0, dims(8, 8), dims(1, 8)));
        for (ZipOptions opt : List.of(ZipOptions.torch("a").withDeflate(), ZipOptions.torch("a").withZip64(),
                ZipOptions.torch("a").withDeflate().withZip64())) {
            Path f = write(dir, "z.pth", TorchSaveWriter.zip(root, opt));
            LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(f);
            assertView(sd.get("x"), s, DType.F32, 0, dims(8, 8), dims(8, 1));
            assertView(sd.get("xt"), s, DType.F32, 0, dims(8, 8), dims(1, 8));
        }
    }

    @Test
    void copyTensorsDetachesFromTheMapping() throws Exception {
        Storage s = storage("0", DType.F32, 6, 11);
        Path f = zip(dir, "c.pth", stateDict("x", Tensor.contiguous(s, 0, 2, 3)));
        HostTensor t = TorchCheckpoint.loadStateDict(f, TorchCheckpoint.Options.defaults().copyTensors(true))
                .get("x");
        assertView(t, s, DType.F32, 0, dims(2, 3), dims(3, 1));
        assertTrue(t.data().isDirect(), "direct, so that libtorch can wrap it");
        assertFalse(t.data().isReadOnly(), "an own copy, not the read-only file mapping");
    }

    @Test
    void legacyFormatWithStorageViews() throws Exception {
        Storage s = storage("140234", DType.F32, 20, 12);
        // Saved from a GPU: legacy files name the CUDA storage class; the bytes load to the host all the same.
        Storage l = new Storage("140777", new Global("torch.cuda", "LongStorage"), 2,
                CheckpointTestSupport.randomBytes(DType.I64, 2, 13));
        Object root = stateDict(
                "w", Tensor.contiguous(s, 0, 4, 5),
                "wt", tensor(s, 0, dims(5, 4), dims(1, 5)),
                "view", Tensor.contiguous(new StorageView(s, "140300", 10, 6), 1, 5),
                "steps", Tensor.contiguous(l, 1));
        Path f = write(dir, "old.bin", TorchSaveWriter.legacy(root));
        TorchCheckpoint ckpt = TorchCheckpoint.read(f);
        assertEquals(TorchCheckpoint.Format.LEGACY, ckpt.format());
        assertNull(ckpt.archiveName());
        LinkedHashMap<String, HostTensor> sd = ckpt.stateDict();
        assertView(sd.get("w"), s, DType.F32, 0, dims(4, 5), dims(5, 1));
        assertView(sd.get("wt"), s, DType.F32, 0, dims(5, 4), dims(1, 5));
        assertView(sd.get("view"), s, DType.F32, 11, dims(5), dims(1));
        assertView(sd.get("steps"), l, DType.I64, 1, dims(), dims());
    }

    @Test
    void parametersV3UntypedStoragesAndTensorTypes() throws Exception {
        Storage s = storage("0", DType.F32, 6, 14);
        // uint16 has no legacy storage class: torch >= 2.3 saves an UntypedStorage (numel in bytes) and names the
        // dtype in _rebuild_tensor_v3.
        byte[] raw = CheckpointTestSupport.randomBytes(DType.U8, 16, 15);
        Storage untyped = new Storage("1", new Global("torch", "UntypedStorage"), 16, raw);
        Reduce v3 = call("torch._utils", "_rebuild_tensor_v3", untyped, 1L, Tup.of(2L, 3L), Tup.of(1L, 2L), false,
                new OrderedDict(new LinkedHashMap<>()), new Global("torch", "uint16"));
        Reduce param = call("torch._utils", "_rebuild_parameter", Tensor.contiguous(s, 0, 2, 3), true,
                new OrderedDict(new LinkedHashMap<>()));
        Reduce paramState = call("torch._utils", "_rebuild_parameter_with_state", Tensor.contiguous(s, 3, 3), true,
                new OrderedDict(new LinkedHashMap<>()), dict("_is_hf_initialized", true));
        Reduce fromType = call("torch._tensor", "_rebuild_from_type_v2",
                new Global("torch._utils", "_rebuild_tensor_v2"), new Global("torch", "Tensor"),
                Tup.of(s, 0L, Tup.of(6L), Tup.of(1L), false, new OrderedDict(new LinkedHashMap<>())),
                dict("tag", "x"));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(zip(dir, "p.pth",
                stateDict("u16", v3, "param", param, "paramState", paramState, "fromType", fromType)));
        assertEquals(DType.U16, sd.get("u16").dtype());
        assertArrayEquals(expected(raw, 2, 1, dims(2, 3), dims(1, 2), false), bytes(sd.get("u16")));
        assertView(sd.get("param"), s, DType.F32, 0, dims(2, 3), dims(3, 1));
        assertView(sd.get("paramState"), s, DType.F32, 3, dims(3), dims(1));
        assertView(sd.get("fromType"), s, DType.F32, 0, dims(6), dims(1));
    }

    @Test
    void plainPythonValuesMapToJavaTypes() throws Exception {
        Map<Object, Object> inner = dict("k", 1L);
        List<Object> list = new ArrayList<>(List.of(1L, "two", 3.5));
        Map<Object, Object> root = dict(
                "int", 7L, "neg", -70000L, "big", 1L << 40, "huge", new BigInteger("123456789012345678901234567890"),
                "float", 0.25, "str", "héllo", "bytes", new byte[] {0, (byte) 0xff, 65}, "none", null,
                "true", true, "false", false, "list", list, "tuple", Tup.of(1L, "a"), "inner", inner,
                "again", inner, "device", call("torch", "device", "cuda", 1L), "cpu", call("torch", "device", "cpu"),
                "size", call("torch", "Size", Tup.of(2L, 3L)), "dtype", new Global("torch", "bfloat16"),
                "set", call("__builtin__", "set", new ArrayList<>(List.of(3L, 1L, 2L))),
                "emptyBytes", call("__builtin__", "bytes"),
                "counter", call("collections", "Counter", dict("a", 2L)),
                "intKeys", dict(0L, "zero", 1L, "one"));
        TorchCheckpoint ckpt = TorchCheckpoint.read(zip(dir, "v.pth", root));
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, ckpt.root());
        assertEquals(new ArrayList<>(root.keySet()), new ArrayList<>(m.keySet()), "dict order is kept");
        assertEquals(7L, m.get("int"));
        assertEquals(-70000L, m.get("neg"));
        assertEquals(1L << 40, m.get("big"));
        assertEquals(new BigInteger("123456789012345678901234567890"), m.get("huge"));
        assertEquals(0.25, m.get("float"));
        assertEquals("héllo", m.get("str"));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 65}, (byte[]) m.get("bytes"));
        assertNull(m.get("none"));
        assertTrue(m.containsKey("none"));
        assertEquals(true, m.get("true"));
        assertEquals(false, m.get("false"));
        assertEquals(list, m.get("list"));
        assertInstanceOf(ArrayList.class, m.get("list"));
        assertEquals(List.of(1L, "a"), m.get("tuple"));
        @SuppressWarnings("unchecked")
        List<Object> tuple = (List<Object>) m.get("tuple");
        assertThrows(UnsupportedOperationException.class, () -> tuple.add(1L), "tuples are immutable");
        assertSame(m.get("inner"), m.get("again"), "shared Python objects stay shared");
        assertEquals(new TorchCheckpoint.Device("cuda", 1L), m.get("device"));
        assertEquals("cuda:1", m.get("device").toString());
        assertEquals("cpu", m.get("cpu").toString());
        assertEquals(List.of(2L, 3L), m.get("size"));
        assertEquals(DType.BF16, m.get("dtype"));
        assertEquals(new ArrayList<>(List.of(3L, 1L, 2L)), new ArrayList<>((LinkedHashSet<?>) m.get("set")));
        assertArrayEquals(new byte[0], (byte[]) m.get("emptyBytes"));
        assertEquals(Map.of("a", 2L), m.get("counter"));
        assertEquals(Map.of(0L, "zero", 1L, "one"), m.get("intKeys"));
        assertTrue(ckpt.placeholders().isEmpty());
    }

    /** What a PyTorch Lightning ModelCheckpoint writes (the keys of Trainer.save_checkpoint). */
    private static Map<Object, Object> lightningCheckpoint(Object hyperParameters, Storage w, Storage m) {
        Map<Object, Object> adamState = dict(0L, dict("step", call("torch._utils", "_rebuild_tensor_v2", m, 0L,
                Tup.of(), Tup.of(), false, new OrderedDict(new LinkedHashMap<>())),
                "exp_avg", Tensor.contiguous(m, 1, 2, 3), "exp_avg_sq", Tensor.contiguous(m, 7, 2, 3)));
        Map<Object, Object> optimizer = dict("state", adamState, "param_groups",
                new ArrayList<>(List.of(dict("lr", 1e-4, "betas", Tup.of(0.9, 0.999), "weight_decay", 1e-6,
                        "params", new ArrayList<>(List.of(0L, 1L))))));
        return dict(
                "epoch", 12L,
                "global_step", 4800L,
                "pytorch-lightning_version", "1.5.10",
                "state_dict", stateDict(
                        "model_a.backbone.conv1.weight", Tensor.contiguous(w, 0, 2, 3),
                        "model_a.project_local.norm.running_var", Tensor.contiguous(w, 6, 2),
                        "ll_attention.key_projection.weight", tensor(w, 0, dims(3, 2), dims(1, 3))),
                "loops", dict("fit_loop", dict("state_dict", dict())),
                "callbacks", dict("ModelCheckpoint", dict("best_model_score", null, "monitor", "val/loss")),
                "optimizer_states", new ArrayList<>(List.of(optimizer)),
                "lr_schedulers", new ArrayList<>(),
                "hparams_name", "config",
                "hyper_parameters", hyperParameters);
    }

    @Test
    void lightningCheckpointYieldsItsStateDict() throws Exception {
        Storage w = storage("0", DType.F32, 8, 16);
        Storage m = storage("1", DType.F32, 13, 17);
        Path f = zip(dir, "epoch=12.ckpt", lightningCheckpoint(dict("lr", 1e-4, "batch_size", 32L,
                "scan_encoder", dict("backbone", "resnet50", "pretrained", true)), w, m));
        TorchCheckpoint ckpt = TorchCheckpoint.read(f);
        Map<?, ?> root = (Map<?, ?>) ckpt.root();
        assertEquals(12L, root.get("epoch"));
        assertEquals(4800L, root.get("global_step"));
        LinkedHashMap<String, HostTensor> sd = ckpt.stateDict();
        assertEquals(List.of("model_a.backbone.conv1.weight", "model_a.project_local.norm.running_var",
                "ll_attention.key_projection.weight"), new ArrayList<>(sd.keySet()));
        assertView(sd.get("ll_attention.key_projection.weight"), w, DType.F32, 0, dims(3, 2), dims(1, 3));
        Map<?, ?> adam = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) root.get("optimizer_states")).get(0))
                .get("state")).get(0L);
        assertView((HostTensor) adam.get("exp_avg"), m, DType.F32, 1, dims(2, 3), dims(3, 1));
    }

    @Test
    void lightningHyperParametersWithForeignObjectsNeedLenientMode() throws Exception {
        Storage w = storage("0", DType.F32, 8, 18);
        Storage m = storage("1", DType.F32, 13, 19);
        // omegaconf pickles a DictConfig through copyreg: NEWOBJ then BUILD with its __dict__.
        Object cfg = new NewObj(new Global("omegaconf.dictconfig", "DictConfig"), Tup.of(),
                dict("_content", dict("lr", 1e-4), "_metadata", new NewObj(new Global("omegaconf.base",
                        "ContainerMetadata"), Tup.of(), dict("ref_type", new Global("typing", "Any")))));
        Map<Object, Object> hp = dict("config", cfg, "out_dir", call("pathlib", "PosixPath", "runs", "x"));
        Path f = zip(dir, "last.ckpt", lightningCheckpoint(hp, w, m));

        UnsafeCheckpointException strict = assertThrows(UnsafeCheckpointException.class,
                () -> TorchCheckpoint.read(f));
        assertEquals("omegaconf.dictconfig.DictConfig", strict.globalName());
        assertTrue(strict.getMessage().contains("last.ckpt"), strict.getMessage());
        assertTrue(strict.getMessage().contains("lenient"), "the message says how to proceed");

        TorchCheckpoint ckpt = TorchCheckpoint.read(f, TorchCheckpoint.Options.defaults().lenient(true));
        assertEquals(3, ckpt.stateDict().size());
        Map<?, ?> hpRead = (Map<?, ?>) ((Map<?, ?>) ckpt.root()).get("hyper_parameters");
        PickledObject dc = assertInstanceOf(PickledObject.class, hpRead.get("config"));
        assertEquals("omegaconf.dictconfig.DictConfig", dc.globalName());
        assertFalse(dc.isReference());
        assertEquals(Map.of("lr", 1e-4), ((Map<?, ?>) dc.state()).get("_content"));
        PickledObject path = (PickledObject) hpRead.get("out_dir");
        assertEquals(List.of("runs", "x"), path.args());
        assertTrue(ckpt.placeholders().stream().anyMatch(p -> p.globalName().equals("typing.Any")
                && p.isReference()));
    }

    @Test
    void stateDictIsFoundUnderCommonKeysAndNestedDictsAreFlattened() throws Exception {
        Storage s = storage("0", DType.F32, 4, 20);
        Tensor t = Tensor.contiguous(s, 0, 4);
        for (String key : List.of("model", "module", "model_state_dict", "state_dict")) {
            Path f = zip(dir, key + ".pth", dict("epoch", 1L, key, stateDict("a.weight", t)));
            assertEquals(List.of("a.weight"), new ArrayList<>(TorchCheckpoint.loadStateDict(f).keySet()), key);
        }
        Path nested = zip(dir, "nested.pth", dict("model", dict("encoder", stateDict("w", t, "b", t),
                "head", dict("fc", dict("weight", t)))));
        assertEquals(List.of("encoder.w", "encoder.b", "head.fc.weight"),
                new ArrayList<>(TorchCheckpoint.loadStateDict(nested).keySet()));
        Path deeper = zip(dir, "deeper.pth", dict("step", 3L, "model", dict("step", 3L, "module",
                stateDict("x", t))));
        assertEquals(List.of("x"), new ArrayList<>(TorchCheckpoint.loadStateDict(deeper).keySet()));

        Path none = zip(dir, "none.pth", dict("epoch", 1L, "weights", new ArrayList<>(List.of(t))));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpoint.loadStateDict(none));
        assertTrue(e.getMessage().contains("none.pth") && e.getMessage().contains("[epoch, weights]"),
                e.getMessage());
        Path single = zip(dir, "single.pth", t);
        assertInstanceOf(HostTensor.class, TorchCheckpoint.read(single).root());
        assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.loadStateDict(single));
    }
}
