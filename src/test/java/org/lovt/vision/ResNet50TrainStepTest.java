package org.lovt.vision;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full-size ResNet-50 training step at 224x224 from library code. Uncapped oneDNN on AVX-512 EPYC machines kills
 * the JVM with SIGFPE in this step's backward pass (the 1x1 stride-2 convolutions of layer3.0 and layer4.0 at any
 * batch size); the kernel check's cap must prevent that, and every gradient must come out finite.
 */
class ResNet50TrainStepTest {
    private static void step(int batch) {
        try (Scope s = Scope.open()) {
            torch.manual_seed(3);
            ResNet m = new ResNet(ResNetConfig.resnet50(1000));
            m.train(true);
            SGD sgd = new SGD(m.parameters(), new SGDOptions(0.01));
            Tensor before = StateDict.of(m).get("layer4.0.downsample.0.weight").clone();
            Tensor x = torch.randn(batch, 3, 224, 224);                                    // (B, 3, 224, 224)
            Tensor y = torch.randint(1000, new long[] {batch});                            // (B)
            Tensor loss = torch.cross_entropy(m.forward(x), y);                            // ()
            loss.backward();
            assertTrue(Double.isFinite(loss.item_double()), "loss " + loss.item_double());
            StateDict sd = StateDict.of(m);
            int withGradient = 0;
            for (String name : sd.names()) {
                Tensor g = sd.get(name).grad();
                if (g.defined()) {
                    assertTrue(g.isfinite().all().item_bool(), "non-finite gradient of " + name);
                    withGradient++;
                }
            }
            assertEquals(161, withGradient, "every conv, BatchNorm and fc parameter of ResNet-50 gets a gradient");
            sgd.step();
            assertTrue(sd.get("layer4.0.downsample.0.weight").sub(before).abs().max().item_double() > 0,
                    "the SGD step changed the layer4.0 downsample weights");
        }
    }

    @Test
    void oneStepAtBatchTwo() {
        step(2);
    }

    @Test
    @Tag("heavy")
    void oneStepAtBatchEight() {
        step(8);
    }
}
