package org.lovt.model;

import org.lovt.train.Experiments;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.lovt.model.objectives.GlobalNceLoss;
import org.lovt.model.objectives.LocalIntraSampleContrastiveLoss;
import org.lovt.torch.Scope;
import org.lovt.torch.StateDict;
import org.lovt.torch.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss invariants of spec lovt-model §6.2. */
class LossInvariantsTest {
    static final LocalIntraSampleContrastiveLoss SCAN = new LocalIntraSampleContrastiveLoss(0.3, 0.5, true, true, 1.0);
    static final LocalIntraSampleContrastiveLoss REPORT = new LocalIntraSampleContrastiveLoss(0.3, 0, false, false, 1);

    @Test
    void uniformSimilaritiesGiveLogOfTheCandidateCounts() {
        try (Scope s = Scope.open()) {
            Tensor same = torch.ones(32, 16);
            GlobalNceLoss.Result g = new GlobalNceLoss(0.1).compute(same, same);
            assertEquals(Math.log(32), g.a2b().item_double(), 1e-5);
            assertEquals(Math.log(32), g.b2a().item_double(), 1e-5);
            Tensor zl = torch.ones(3, 49, 8);
            Tensor w = torch.rand(3, 49);
            LocalIntraSampleContrastiveLoss.Result a = SCAN.compute(zl, zl, null, w, 7, 7);
            assertEquals(Math.log(49), a.l2att().item_double(), 1e-5, "regardless of the weights");
            assertEquals(Math.log(49), a.att2l().item_double(), 1e-5);
            // Reports with 3, 1 and 2 valid sentences of N_b = 3: weighted mean of log n_b.
            Tensor mask = Tensors.bools(new boolean[] {true, true, true, true, false, false, true, true, false}, 3, 3);
            Tensor zb = torch.ones(3, 3, 8);
            LocalIntraSampleContrastiveLoss.Result b = REPORT.compute(zb, zb, mask, null, 3);
            double expected = (Math.log(3) + Math.log(1) + Math.log(2)) / 3;
            assertEquals(expected, b.l2att().item_double(), 1e-5);
            assertEquals(expected, b.att2l().item_double(), 1e-5);
        }
    }

    @Test
    void perfectGlobalAlignmentReachesItsClosedForm() {
        try (Scope s = Scope.open()) {
            Tensor eye = torch.eye(32);                                    // orthonormal u_i = v_i
            GlobalNceLoss.Result g = new GlobalNceLoss(0.1).compute(eye, eye);
            double expected = Math.log(1 + 31 * Math.exp(-10));             // 1.4064e-3
            assertEquals(expected, g.a2b().item_double(), 1e-7);
            assertEquals(1.0, g.a2bTop1().item_double(), 0.0);
            assertEquals(1.0, g.b2aTop5().item_double(), 0.0);
        }
    }

    @Test
    void globalLossIsPermutationEquivariantAndScaleInvariant() {
        try (Scope s = Scope.open()) {
            torch.manual_seed(3);
            Tensor a = torch.randn(8, 16);
            Tensor b = torch.randn(8, 16);
            GlobalNceLoss loss = new GlobalNceLoss(0.1);
            double base = loss.compute(a, b).a2b().item_double();
            Tensor perm = Tensors.longs(new long[] {3, 1, 7, 0, 2, 6, 5, 4}, 8);
            assertEquals(base, loss.compute(a.index_select(0, perm), b.index_select(0, perm)).a2b().item_double(),
                    1e-5, "permuting both modalities together");
            assertTrue(Math.abs(base - loss.compute(a.index_select(0, perm), b).a2b().item_double()) > 1e-3,
                    "permuting one modality changes the loss");
            Tensor scale = torch.rand(8, 1).add(new org.bytedeco.pytorch.Scalar(0.5));
            assertEquals(base, loss.compute(a.mul(scale), b).a2b().item_double(), 1e-5, "L2 normalisation");
            GlobalNceLoss.Result sym = loss.compute(a, a);
            assertEquals(sym.a2b().item_double(), sym.b2a().item_double(), 1e-6);
        }
    }

    @Test
    void scanPositiveWeightsHaveTheDocumentedNeighbourhood() {
        float[] w = SCAN.positiveWeights(7, 7);
        int pairs = 0;
        for (int i = 0; i < 49; i++) {
            for (int j = 0; j < 49; j++) {
                if (w[i * 49 + j] > 0) {
                    pairs++;
                }
                assertEquals(w[i * 49 + j], w[j * 49 + i], 0f, "symmetric");
            }
            assertEquals(1f, w[i * 49 + i], 0f, "self weight 1");
        }
        assertEquals(1717, pairs, "positive pairs out of 2401");
        int corner = 0;
        int centre = 0;
        for (int j = 0; j < 49; j++) {
            corner += w[j] > 0 ? 1 : 0;
            centre += w[24 * 49 + j] > 0 ? 1 : 0;
        }
        assertEquals(22, corner);
        assertEquals(49, centre);
        float[] id = REPORT.positiveWeights(5);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(i == j ? 1f : 0f, id[i * 5 + j], 0f, "report positives are the identity");
            }
        }
    }

    @Test
    void localWeightsAreScaleFreeAndPaddingContributesNothing() {
        try (Scope s = Scope.open()) {
            torch.manual_seed(4);
            Tensor zl = torch.randn(2, 4, 8);
            Tensor att = torch.randn(2, 4, 8);
            Tensor w = torch.rand(2, 4);
            Tensor mask = Tensors.bools(new boolean[] {true, true, true, false, true, true, false, false}, 2, 4);
            double base = REPORT.compute(zl, att, mask, w, 4).l2att().item_double();
            assertEquals(base, REPORT.compute(zl, att, mask, w.mul(new org.bytedeco.pytorch.Scalar(7.0)), 4)
                    .l2att().item_double(), 1e-6);
            // Changing the features of padded sentences changes nothing.
            Tensor noise = torch.randn(2, 4, 8).mul(mask.logical_not().unsqueeze(-1).to(torch.ScalarType.Float));
            assertEquals(base, REPORT.compute(zl.add(noise), att.add(noise), mask, w, 4).l2att().item_double(), 1e-6);
        }
    }

    @Test
    void localLossesSendNoGradientIntoTheAggregatorsWithStopGrad() {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=24", "pretrain_model.loss_weights.global_a2b=0.0",
                "pretrain_model.loss_weights.global_b2a=0.0"));
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.alignmentOnly(c, 32, 24);
            m.train(true);
            torch.manual_seed(5);
            Tensor mask = torch.ones(4, 3).to(torch.ScalarType.Bool);
            LovtModel.Output o = m.forward(m.scanEncoder().aggregate(torch.randn(4, 49, 32).relu(), 7, 7),
                    m.reportEncoder().aggregate(torch.randn(4, 3, 24), mask));
            o.totalLoss().backward();
            StateDict sd = StateDict.of(m);
            for (String n : sd.names()) {
                if (n.contains("global_aggregator")) {
                    Tensor g = sd.get(n).grad();
                    assertTrue(!g.defined() || g.abs().max().item_double() == 0.0, n + " got a gradient");
                }
            }
            assertTrue(sd.get("model_a.project_local.projection_before.weight").grad().abs().sum().item_double() > 0);
        }
    }

    @Test
    void extraPaddingSlotsOnlyAffectTheTwoDocumentedDependencies() {
        BiModalModelConfig c = Experiments.model("LoVT_100", List.of("pretrain_model.d_z=16",
                "pretrain_model.d_hidden=24"));
        try (Scope s = Scope.open()) {
            LovtModel m = LovtModels.alignmentOnly(c, 32, 24);
            m.eval();                                                      // no batch statistics: only (ii) remains
            torch.manual_seed(6);
            Tensor ylA = torch.randn(2, 49, 32).relu();
            Tensor ylB = torch.randn(2, 2, 24);
            Tensor mask = torch.ones(2, 2).to(torch.ScalarType.Bool);
            Tensor ylB3 = torch.cat(new org.bytedeco.pytorch.TensorVector(ylB, torch.zeros(2, 1, 24)), 1);
            Tensor mask3 = torch.cat(new org.bytedeco.pytorch.TensorVector(mask,
                    torch.zeros(2, 1).to(torch.ScalarType.Bool)), 1);
            EncoderOutput a = m.scanEncoder().aggregate(ylA, 7, 7);
            LovtModel.Output two = m.forward(a, m.reportEncoder().aggregate(ylB, mask));
            LovtModel.Output three = m.forward(a, m.reportEncoder().aggregate(ylB3, mask3));
            // Local sentence features and the cross-attention of valid positions are unchanged...
            double d = three.attention().b2a().sub(two.attention().b2a()).abs().max().item_double();
            assertTrue(d < 1e-5, "b2a changed by " + d);
            d = three.projB().zl().narrow(1, 0, 2).sub(two.projB().zl()).abs().max().item_double();
            assertTrue(d < 1e-5, "zl_b changed by " + d);
            // ...but the report pool's query divides by N_b (the quirk), so the global report feature changes.
            d = three.b().global().sub(two.b().global()).abs().max().item_double();
            assertTrue(d > 1e-4, "the report attention-pool query depends on N_b");
        }
    }
}
