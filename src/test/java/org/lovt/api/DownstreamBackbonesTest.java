package org.lovt.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.config.UserConfig;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Natives;
import org.lovt.torch.StateDict;
import org.lovt.torch.io.Safetensors;
import org.lovt.vision.ResNet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backbone sources of the downstream evaluation: any state dict holding a bottleneck ResNet, and the refusals. */
class DownstreamBackbonesTest {
    @TempDir
    Path tmp;

    private static Map<String, HostTensor> fixture() {
        return Safetensors.read(TestData.require("fixtures/resnet50-w8/weights.safetensors")).tensors();
    }

    private static void assertSameWeights(Map<String, HostTensor> expected, ResNet r) {
        Map<String, HostTensor> got = StateDict.of(r).toHost();
        int compared = 0;
        for (var e : expected.entrySet()) {
            if (e.getKey().startsWith("fc.")) {
                continue;
            }
            assertTrue(e.getValue().contentEquals(got.get(e.getKey())), e.getKey());
            compared++;
        }
        assertEquals(compared, got.size(), "no fc, nothing else");
    }

    @Test
    void aTorchvisionPthLoadsWithItsArchitectureReadFromTheWeights() {
        Natives.load();
        ResNet r = DownstreamBackbones.fromFile(TestData.require("fixtures/resnet50-w8/weights.pth"), null);
        assertArrayEquals(new int[] {3, 4, 6, 3}, r.config().layers());
        assertEquals(8, r.config().stemWidth());
        assertEquals(0, r.config().numClasses(), "fc is dropped");
        assertSameWeights(fixture(), r);
    }

    @Test
    void aCheckpointWithTheOriginalsPrefixLoadsItsScanBackboneOnly() {
        Natives.load();
        Map<String, HostTensor> ckpt = new LinkedHashMap<>();
        HostTensor extra = fixture().get("fc.bias");
        ckpt.put("model_b.encoder.pooler.dense.bias", extra);
        fixture().forEach((k, v) -> ckpt.put("model_a.encoder.feature_extractor.backbone_layers." + k, v));
        ckpt.put("ll_attention.norm.bias", extra);
        Path f = tmp.resolve("model.safetensors");
        Safetensors.write(f, ckpt, Map.of());
        assertSameWeights(fixture(), DownstreamBackbones.fromFile(f, null));
        // and as a checkpoint folder
        DownstreamBackbones.Loaded l = DownstreamBackbones.resolve(tmp.toString(), UserConfig.empty(),
                tmp.resolve("user.yaml"));
        assertSameWeights(fixture(), l.resnet());
    }

    @Test
    void otherArchitecturesAndBrokenFilesAreRefusedNamingTheFile() {
        Natives.load();
        Map<String, HostTensor> basic = new LinkedHashMap<>(fixture());
        basic.keySet().removeIf(k -> k.contains(".conv3.") || k.contains(".bn3."));
        Path f = tmp.resolve("resnet18ish.safetensors");
        Safetensors.write(f, basic, Map.of());
        LovtException e = assertThrows(LovtException.class, () -> DownstreamBackbones.fromFile(f, null));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("bottleneck"), e.getMessage());

        Map<String, HostTensor> gap = new LinkedHashMap<>(fixture());
        gap.keySet().removeIf(k -> k.startsWith("layer2.1."));
        Path g = tmp.resolve("gap.safetensors");
        Safetensors.write(g, gap, Map.of());
        e = assertThrows(LovtException.class, () -> DownstreamBackbones.fromFile(g, null));
        assertTrue(e.getMessage().startsWith(g.toString()) && e.getMessage().contains("layer2"), e.getMessage());

        Map<String, HostTensor> wrongShape = new LinkedHashMap<>(fixture());
        wrongShape.put("layer1.0.conv2.weight", fixture().get("layer1.1.conv1.weight"));
        Path w = tmp.resolve("shape.safetensors");
        Safetensors.write(w, wrongShape, Map.of());
        e = assertThrows(LovtException.class, () -> DownstreamBackbones.fromFile(w, null));
        assertTrue(e.getMessage().startsWith(w.toString()) && e.getMessage().contains("layer1.0.conv2.weight"),
                e.getMessage());

        Path junk = tmp.resolve("junk.pth");
        try {
            Files.writeString(junk, "not a checkpoint");
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        e = assertThrows(LovtException.class, () -> DownstreamBackbones.fromFile(junk, null));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
    }

    @Test
    void theWordsAndMissingSources() {
        Natives.load();
        ResNet random = DownstreamBackbones.resolve("random", UserConfig.empty(), tmp.resolve("u.yaml")).resnet();
        assertEquals(25_557_032L - 2048 * 1000 - 1000, random.parameterCount(), "torchvision's ResNet-50 without fc");
        LovtException e = assertThrows(LovtException.class,
                () -> DownstreamBackbones.resolve("imagenet", UserConfig.empty(), tmp.resolve("u.yaml")));
        assertTrue(e.getMessage().contains("models.pretrained.resnet50_imagenet") && e.getMessage().contains("u.yaml"),
                e.getMessage());
        e = assertThrows(LovtException.class, () -> DownstreamBackbones.resolve(tmp.resolve("nope").toString(),
                UserConfig.empty(), tmp.resolve("u.yaml")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        Path emptyDir = tmp.resolve("empty");
        try {
            Files.createDirectories(emptyDir);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        e = assertThrows(LovtException.class, () -> DownstreamBackbones.resolve(emptyDir.toString(),
                UserConfig.empty(), tmp.resolve("u.yaml")));
        assertTrue(e.getMessage().contains("config.yaml"), e.getMessage());
    }

    @Test
    void randomLikeASourceIsItsArchitectureFreshlyInitialisedUnderTheSeed() {
        Natives.load();
        String source = "random:" + TestData.require("fixtures/resnet50-w8/weights.pth");
        org.lovt.torch.Seeds.manualSeed(5);
        DownstreamBackbones.Loaded a = DownstreamBackbones.resolve(source, UserConfig.empty(), tmp.resolve("u.yaml"));
        assertArrayEquals(new int[] {3, 4, 6, 3}, a.resnet().config().layers());
        assertEquals(8, a.resnet().config().stemWidth());
        assertEquals("conv5", a.regionLayer());
        assertTrue(a.description().startsWith("random"), a.description());
        Map<String, HostTensor> w = StateDict.of(a.resnet()).toHost();
        assertFalse(w.get("layer1.0.conv1.weight").contentEquals(fixture().get("layer1.0.conv1.weight")),
                "not the source's weights");
        org.lovt.torch.Seeds.manualSeed(5);
        Map<String, HostTensor> again = StateDict.of(DownstreamBackbones.resolve(source, UserConfig.empty(),
                tmp.resolve("u.yaml")).resnet()).toHost();
        org.lovt.torch.Seeds.manualSeed(6);
        Map<String, HostTensor> other = StateDict.of(DownstreamBackbones.resolve(source, UserConfig.empty(),
                tmp.resolve("u.yaml")).resnet()).toHost();
        assertTrue(w.get("layer4.0.conv2.weight").contentEquals(again.get("layer4.0.conv2.weight")), "same seed");
        assertFalse(w.get("layer4.0.conv2.weight").contentEquals(other.get("layer4.0.conv2.weight")), "other seed");
        for (String bad : List.of("random:", "random:random", "random:" + tmp.resolve("nope"))) {
            LovtException e = assertThrows(LovtException.class,
                    () -> DownstreamBackbones.resolve(bad, UserConfig.empty(), tmp.resolve("u.yaml")));
            assertTrue(e.getMessage().contains(bad.equals("random:") || bad.equals("random:random") ? "random:"
                    : "nope"), e.getMessage());
        }
        assertEquals("random_weights", DownstreamSuite.defaultName(source));
    }
}
