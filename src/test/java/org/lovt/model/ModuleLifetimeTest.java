package org.lovt.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.text.BertConfig;
import org.lovt.text.BertModel;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every sub-module must stay alive while its model is referenced, however the garbage collector runs: a module held
 * only by libtorch without an owning reference is freed with its Java wrapper (a downsample SequentialImpl crashed
 * the JVM this way).
 */
class ModuleLifetimeTest {

    static void collectGarbage() throws InterruptedException {
        List<Tensor> churn = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 200; i++) {
                churn.add(torch.randn(256));              // reuse freed native memory
            }
        }
    }

    @Test
    void modelsSurviveGarbageCollection() throws InterruptedException {
        try (Scope s = Scope.open()) {
            ResNet resnet = new ResNet(new ResNetConfig(new int[] {2, 2, 2, 2}, 4, 3));
            BertModel bert = new BertModel(new BertConfig(50, 16, 2, 2, 32, "gelu", 0.1, 0.1, 16, 2, 0.02, 1e-12, 0));
            long resnetEntries = StateDict.of(resnet).size();
            long bertEntries = StateDict.of(bert).size();
            collectGarbage();
            resnet.eval();
            assertEquals(3, resnet.forward(torch.randn(2, 3, 32, 32)).size(1));
            bert.eval();
            assertEquals(16, bert.forward(torch.ones(1, 4).to(torch.ScalarType.Long),
                    torch.ones(1, 4).to(torch.ScalarType.Long)).lastHiddenState().size(2));
            assertEquals(resnetEntries, StateDict.of(resnet).size());
            assertEquals(bertEntries, StateDict.of(bert).size());
        }
    }
}
