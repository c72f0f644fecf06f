package org.lovt.torch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.lovt.TestData;
import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/** The reader against real {@code torch.save} files from {@code testdata/fixtures} and their safetensors twins. */
class TorchCheckpointFixtureTest {

    @Test
    void resnetPthEqualsItsSafetensorsTwin() throws Exception {
        Path pth = TestData.require("fixtures/resnet50-w8/weights.pth");
        TorchCheckpoint ckpt = TorchCheckpoint.read(pth);
        assertEquals(TorchCheckpoint.Format.ZIP, ckpt.format());
        assertEquals("weights", ckpt.archiveName());
        LinkedHashMap<String, HostTensor> sd = ckpt.stateDict();
        LinkedHashMap<String, HostTensor> twin =
                SafetensorsTestReader.read(TestData.require("fixtures/resnet50-w8/weights.safetensors"));
        assertEquals(twin.keySet(), sd.keySet());
        for (Map.Entry<String, HostTensor> e : twin.entrySet()) {
            HostTensor t = sd.get(e.getKey());
            assertTrue(t.contentEquals(e.getValue()), e.getKey() + ": " + t + " vs " + e.getValue());
        }
        // state_dict order is the module registration order, which a loader relies on for readable diffs.
        List<String> names = new ArrayList<>(sd.keySet());
        assertEquals("conv1.weight", names.get(0));
        assertEquals("fc.bias", names.get(names.size() - 1));
        assertEquals(DType.I64, sd.get("bn1.num_batches_tracked").dtype());
        assertArrayEquals(new long[0], sd.get("bn1.num_batches_tracked").shape());
        assertTrue(sd.get("conv1.weight").data().isDirect(), "zero-copy slice of the file mapping");
    }

    @Test
    void bertBinEqualsItsSafetensorsTwinAfterRenaming() throws Exception {
        Path bin = TestData.require("fixtures/bert-tiny/pytorch_model.bin");
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(bin);
        assertTrue(sd.containsKey("bert.embeddings.LayerNorm.gamma"), "names come back as stored");
        assertTrue(sd.containsKey("cls.predictions.bias"));
        LinkedHashMap<String, HostTensor> twin =
                SafetensorsTestReader.read(TestData.require("fixtures/bert-tiny/model.safetensors"));
        // The old TF-converted naming, undone here only to compare (the library's mapping lives elsewhere).
        Map<String, HostTensor> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : sd.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("bert.")) {
                continue;
            }
            k = k.substring(5);
            if (k.endsWith(".gamma")) {
                k = k.substring(0, k.length() - 6) + ".weight";
            } else if (k.endsWith(".beta")) {
                k = k.substring(0, k.length() - 5) + ".bias";
            }
            renamed.put(k, e.getValue());
        }
        assertEquals(twin.keySet(), renamed.keySet());
        for (Map.Entry<String, HostTensor> e : twin.entrySet()) {
            assertTrue(renamed.get(e.getKey()).contentEquals(e.getValue()), e.getKey());
        }
    }

    /** Files above 2 GiB cannot be mapped whole; the per-record mapping they use gives the same tensors. */
    @Test
    void perRecordMappingAsForFilesAbove2GiB() throws Exception {
        Path pth = TestData.require("fixtures/resnet50-w8/weights.pth");
        LinkedHashMap<String, HostTensor> whole = TorchCheckpoint.loadStateDict(pth);
        LinkedHashMap<String, HostTensor> regions;
        try (FileSource src = new FileSource(pth, false)) {
            regions = TorchCheckpoint.read(src, TorchCheckpoint.Options.defaults()).stateDict();
        }
        assertEquals(whole.keySet(), regions.keySet());
        for (Map.Entry<String, HostTensor> e : whole.entrySet()) {
            assertTrue(regions.get(e.getKey()).contentEquals(e.getValue()), e.getKey());
        }
    }

    /**
     * The test-only pickle writer reproduces PyTorch's own data.pkl byte for byte, which is what makes the
     * synthetic checkpoints of the other tests trustworthy stand-ins for real ones.
     */
    @Test
    void testWriterReproducesTorchSaveBytes() throws Exception {
        Path bin = TestData.require("fixtures/bert-tiny/pytorch_model.bin");
        LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(bin);
        Map<Object, Object> items = new LinkedHashMap<>();
        int key = 0;
        for (Map.Entry<String, HostTensor> e : sd.entrySet()) {
            HostTensor t = e.getValue();
            byte[] bytes = new byte[(int) t.byteSize()];
            t.bytes().get(bytes);
            PickleWriter.Storage s = PickleWriter.Storage.of(String.valueOf(key++), t.dtype(), bytes);
            items.put(e.getKey(), PickleWriter.Tensor.contiguous(s, 0, t.shape()));
        }
        byte[] ours = PickleWriter.pickle(new PickleWriter.OrderedDict(items));
        byte[] theirs;
        try (ZipFile z = new ZipFile(bin.toFile())) {
            theirs = z.getInputStream(z.getEntry("pytorch_model/data.pkl")).readAllBytes();
        }
        assertArrayEquals(theirs, ours);
    }
}
