package org.lovt.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.TestData;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyCommandTest {
    @TempDir
    Path tmp;

    static final String RESNET = "fixtures/resnet50-w8/";
    static final String BERT = "fixtures/bert-tiny/";

    @Test
    void resnetFixturePassesEveryReference() {
        CliTest.Run r = CliTest.run("verify", "resnet", "--weights", TestData.require(RESNET + "weights.safetensors")
                .toString(), "--io", TestData.require(RESNET + "io.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("177 passed, 0 failed"), r.out());
        assertTrue(r.out().contains("PASS  grad.layer3.2.conv2.weight"), r.out());
    }

    @Test
    void bertFixturePasses() {
        CliTest.Run r = CliTest.run("verify", "bert", "--model-dir", TestData.require(BERT).toString(), "--io",
                TestData.require(BERT + "io.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("7 passed, 0 failed"), r.out());
    }

    @Test
    void torchSaveCheckpointsVerifyToo() throws Exception {
        CliTest.Run r = CliTest.run("verify", "resnet", "--weights", TestData.require(RESNET + "weights.pth")
                .toString(), "--io", TestData.require(RESNET + "io.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("177 passed, 0 failed"), r.out());
        // A Bio_ClinicalBERT-style folder: only pytorch_model.bin (bert. prefix, gamma/beta, pre-training heads).
        Path dir = Files.createDirectories(tmp.resolve("bert-bin"));
        for (String f : new String[] {"config.json", "pytorch_model.bin"}) {
            Files.copy(TestData.require(BERT + f), dir.resolve(f));
        }
        r = CliTest.run("verify", "bert", "--model-dir", dir.toString(), "--io",
                TestData.require(BERT + "io.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("7 passed, 0 failed"), r.out());
    }

    /** A copy of the weights with one value of one tensor changed by {@code delta}. */
    private Path perturbed(String key, float delta) {
        Map<String, HostTensor> w = new LinkedHashMap<>(
                Safetensors.read(TestData.require(RESNET + "weights.safetensors")).tensors());
        HostTensor t = w.get(key);
        ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN).put(t.bytes());
        b.putFloat(0, b.getFloat(0) + delta);
        b.flip();
        w.put(key, new HostTensor(t.dtype(), t.shape(), b));
        Path p = tmp.resolve("perturbed.safetensors");
        Safetensors.write(p, w, Map.of());
        return p;
    }

    @Test
    void aWrongWeightFailsWithExitOne() {
        Path bad = perturbed("layer4.2.conv3.weight", 0.05f);
        CliTest.Run r = CliTest.run("verify", "resnet", "--weights", bad.toString(), "--io",
                TestData.require(RESNET + "io.safetensors").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("FAIL  eval.logits"), r.out());
        assertTrue(r.out().contains("PASS  eval.layer3"), "earlier layers are unaffected:\n" + r.out());
    }

    @Test
    void unreadableInputsExitTwo() throws Exception {
        Path noInput = tmp.resolve("io.safetensors");
        Safetensors.write(noInput, Map.of(), Map.of());
        CliTest.Run r = CliTest.run("verify", "resnet", "--weights",
                TestData.require(RESNET + "weights.safetensors").toString(), "--io", noInput.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no 'input' tensor"), r.err());
        Path notWeights = tmp.resolve("w.safetensors");
        Files.write(notWeights, new byte[] {1, 2});
        r = CliTest.run("verify", "resnet", "--weights", notWeights.toString(), "--io", noInput.toString());
        assertEquals(2, r.code(), r.err());
    }
}
