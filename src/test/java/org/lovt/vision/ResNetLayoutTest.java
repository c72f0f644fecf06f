package org.lovt.vision;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.TestData;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResNetLayoutTest {

    @Test
    void fullSizeModelHasExactlyTorchvisionsKeysAndShapes() throws IOException {
        JsonNode layout = new ObjectMapper().readTree(
                TestData.require("fixtures/resnet50_torchvision_layout.json").toFile());
        Map<String, String> expected = new TreeMap<>();
        layout.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().toString().replace(",", ", ")));
        assertEquals(320, expected.size());
        try (Scope s = Scope.open()) {
            StateDict sd = StateDict.of(new ResNet(ResNetConfig.resnet50(1000)));
            Map<String, String> actual = new TreeMap<>();
            for (String n : sd.names()) {
                actual.put(n, java.util.Arrays.toString(Tensors.shape(sd.get(n))));
            }
            assertEquals(expected, actual);
        }
    }

    @Test
    void everyParameterReceivesAGradient() {
        try (Scope s = Scope.open()) {
            ResNet m = new ResNet(new ResNetConfig(new int[] {1, 2, 1, 1}, 4, 3));
            m.train(true);
            Tensor loss = m.forward(torch.randn(2, 3, 32, 32)).pow(new Scalar(2.0)).mean();
            loss.backward();
            var params = m.named_parameters(true);
            List<String> without = new ArrayList<>();
            for (long i = 0; i < params.size(); i++) {
                Tensor g = params.get(i).value().grad();
                if (!g.defined() || g.abs().sum().item_double() == 0) {
                    without.add(params.get(i).key().getString());
                }
            }
            assertTrue(without.isEmpty(), "no gradient for " + without);
        }
    }

    @Test
    void invalidConfigsAndFeatureNamesAreRejected() {
        assertThrows(LovtException.class, () -> new ResNetConfig(new int[] {3, 4, 6}, 64, 0));
        assertThrows(LovtException.class, () -> new ResNetConfig(new int[] {3, 4, 0, 3}, 64, 0));
        assertThrows(LovtException.class, () -> new ResNetConfig(new int[] {3, 4, 6, 3}, 0, 0));
        try (Scope s = Scope.open()) {
            ResNet backbone = new ResNet(new ResNetConfig(new int[] {1, 1, 1, 1}, 4, 0));
            var e = assertThrows(LovtException.class, () -> backbone.features(torch.randn(1, 3, 32, 32), "conv6"));
            assertTrue(e.getMessage().contains("conv6"), e.getMessage());
            assertThrows(LovtException.class, () -> backbone.forward(torch.randn(1, 3, 32, 32)));
        }
    }
}
