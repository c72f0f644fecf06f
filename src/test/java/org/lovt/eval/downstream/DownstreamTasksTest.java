package org.lovt.eval.downstream;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask.Head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task table against the paper's table (spec lovt-data-eval §3.1), row by row for a sample of rows. */
class DownstreamTasksTest {
    @Test
    void eighteenTasksInThePapersOrder() {
        List<String> keys = DownstreamTasks.all().stream().map(DownstreamTask::key).toList();
        assertEquals(List.of("rsna_finetune_1", "rsna_finetune_10", "rsna_finetune_100", "rsna_frozen_1",
                "rsna_frozen_10", "rsna_frozen_100", "rsna_seg_linear_1", "rsna_seg_linear_10", "rsna_seg_linear_100",
                "covid_unet_finetune", "covid_unet_frozen", "covid_linear", "pneumothorax_unet_finetune_100",
                "pneumothorax_unet_frozen_100", "object_finetune_100", "object_frozen_100", "object_seg_linear_100",
                "nih_seg_linear"), keys);
    }

    @Test
    void rowsMatchTheSpec() {
        DownstreamTask basic = DownstreamTasks.get("rsna_frozen_10");
        assertEquals(Head.YOLO_V3, basic.head());
        assertTrue(basic.frozen());
        assertEquals(0.1, basic.trainFraction());
        assertEquals(0.1, basic.valFraction(), "every RSNA task validates on the first 10 %");
        assertEquals(64, basic.batchSize());
        assertEquals(100, basic.maxEpochs());
        assertTrue(basic.lrGrid().isEmpty(), "task 5 has no grid");
        assertEquals(1e-3, basic.configLr());
        assertEquals(10, basic.patience());
        assertEquals("rsna_val/mAP", basic.originalMonitor());

        DownstreamTask ft1 = DownstreamTasks.get("rsna_finetune_1");
        assertFalse(ft1.frozen());
        assertEquals(100, ft1.warmupSteps());
        assertEquals(8, ft1.batchSize());
        assertEquals(500, ft1.maxEpochs());
        assertEquals(List.of(3e-4, 1e-4), ft1.lrGrid());
        assertEquals(20, ft1.patience());
        assertEquals(0.01, ft1.trainFraction());

        DownstreamTask covid = DownstreamTasks.get("covid_unet_finetune");
        assertEquals(Head.UNET, covid.head());
        assertEquals(20, covid.warmupSteps(), "COVID fine-tuning warms up for 20 steps only");
        assertNull(covid.trainFraction());
        assertNull(covid.valFraction());

        DownstreamTask seg1 = DownstreamTasks.get("rsna_seg_linear_1");
        assertEquals(List.of(3e-2, 1e-2, 3e-3, 1e-4), seg1.lrGrid(), "the original's 1e-4 (quirk §8.12) is kept");
        assertEquals("rsna_seg_lin_1_val/opacity_dice", seg1.originalMonitor());

        DownstreamTask pneumo = DownstreamTasks.get("pneumothorax_unet_finetune_100");
        assertEquals(List.of(3e-5, 1e-5), pneumo.lrGrid());
        assertEquals("siim", pneumo.dataset());

        DownstreamTask object = DownstreamTasks.get("object_frozen_100");
        assertEquals("froc", object.monitor());
        assertEquals("object-cxr", object.dataset());
        assertEquals(List.of(1e-3, 3e-3), object.lrGrid());

        DownstreamTask nih = DownstreamTasks.get("nih_seg_linear");
        assertEquals("avg_dice", nih.monitor());
        assertEquals(9, nih.reported().size(), "avg_dice and the 8 classes' Dice");
        assertEquals(Head.LINEAR, nih.head());
    }

    @Test
    void everyTaskIsConsistent() {
        Map<String, Integer> heads = new java.util.HashMap<>();
        for (DownstreamTask t : DownstreamTasks.all()) {
            heads.merge(t.head().name(), 1, Integer::sum);
            assertEquals(t.frozen(), t.warmupSteps() == 0, t.key());
            assertTrue(t.lrGrid().isEmpty() == t.key().equals("rsna_frozen_10"), t.key());
            assertEquals(t.monitor(), t.reported().get(0), t.key() + ": the headline metric is the monitored one");
            assertEquals(t.head().detection(), java.util.Set.of("mAP", "froc").contains(t.monitor()), t.key());
        }
        assertEquals(Map.of("YOLO_V3", 8, "UNET", 4, "LINEAR", 6), heads, "8 detection, 4 U-Net, 6 linear tasks");
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() {
        LovtException e = assertThrows(LovtException.class, () -> DownstreamTasks.get("rsna_frozen_20"));
        assertTrue(e.getMessage().contains("rsna_frozen_20") && e.getMessage().contains("rsna_frozen_10")
                && e.getMessage().contains("nih_seg_linear"), e.getMessage());
    }
}
