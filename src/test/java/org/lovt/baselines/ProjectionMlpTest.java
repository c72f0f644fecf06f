package org.lovt.baselines;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.nn.Modules;
import org.lovt.torch.Natives;
import org.lovt.torch.Scope;
import org.lovt.torch.Tensors;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The baselines' heads: the original modules' parameter names and counts, and their arithmetic. */
class ProjectionMlpTest {
    static {
        Natives.load();
    }

    private static List<String> names(org.bytedeco.pytorch.Module m) {
        List<String> out = new ArrayList<>();
        var p = m.named_parameters(true);
        for (long i = 0; i < p.size(); i++) {
            out.add(p.get(i).key().getString());
        }
        return out;
    }

    @Test
    void namesAndCountsAsTheOriginalModules() {
        ProjectionMlp projector = ProjectionMlp.byol(2048, 4096, 128);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), names(projector));
        assertEquals(2048L * 4096 + 4096 + 2 * 4096 + 4096L * 128 + 128, Modules.parameterCount(projector, false));
        assertEquals(8_925_312L, Modules.parameterCount(projector, false));
        assertEquals(1_060_992L, Modules.parameterCount(ProjectionMlp.byol(128, 4096, 128), false), "BYOL predictor");
        ProjectionMlp simclr = ProjectionMlp.simclr(2048, 128);
        assertEquals(List.of("0.weight", "2.weight"), names(simclr));
        assertEquals(4_456_448L, Modules.parameterCount(simclr, false));
        // Full models as the original builds them (README, Models): torchvision's ResNet-50 keeps its fc in BYOL
        // (the representation is hooked at avgpool); SimCLR replaces fc by Identity; CheXpert's fc has 5 outputs.
        long resnet = Modules.parameterCount(new ResNet(ResNetConfig.resnet50(1000)), false);
        assertEquals(25_557_032L, resnet);
        assertEquals(35_543_336L, resnet + 8_925_312L + 1_060_992L, "BYOL online network (trained)");
        assertEquals(27_964_480L, Modules.parameterCount(new ResNet(ResNetConfig.resnet50(0)), false) + 4_456_448L,
                "SimCLR");
        assertEquals(23_518_277L, Modules.parameterCount(new ResNet(ResNetConfig.resnet50(5)), false), "CheXpert");
    }

    @Test
    void byolMlpInEvalModeIsLinearReluLinearThroughAFreshBatchNorm() {
        try (Scope s = Scope.open()) {
            torch.manual_seed(2);
            ProjectionMlp mlp = ProjectionMlp.byol(5, 7, 3);
            mlp.eval();                                    // fresh running statistics: mean 0, var 1
            Tensor x = torch.randn(4, 5);
            double[] got = Tensors.toDoubles(mlp.forward(x));
            var p = mlp.named_parameters(true);
            double[] w1 = Tensors.toDoubles(p.get("0.weight"));
            double[] b1 = Tensors.toDoubles(p.get("0.bias"));
            double[] w3 = Tensors.toDoubles(p.get("3.weight"));
            double[] b3 = Tensors.toDoubles(p.get("3.bias"));
            double[] xs = Tensors.toDoubles(x);
            for (int r = 0; r < 4; r++) {
                double[] h = new double[7];
                for (int j = 0; j < 7; j++) {
                    double v = b1[j];
                    for (int k = 0; k < 5; k++) {
                        v += w1[j * 5 + k] * xs[r * 5 + k];
                    }
                    h[j] = Math.max(0, v / Math.sqrt(1 + 1e-5));
                }
                for (int o = 0; o < 3; o++) {
                    double v = b3[o];
                    for (int j = 0; j < 7; j++) {
                        v += w3[o * 7 + j] * h[j];
                    }
                    assertEquals(v, got[r * 3 + o], 1e-5, "row " + r + " out " + o);
                }
            }
            ProjectionMlp simclr = ProjectionMlp.simclr(5, 3);
            Tensor y = simclr.forward(x);
            var q = simclr.named_parameters(true);
            Tensor expected = x.matmul(q.get("0.weight").t()).relu().matmul(q.get("2.weight").t());
            assertEquals(0, y.sub(expected).abs().max().item_double(), 1e-6);
        }
    }
}
