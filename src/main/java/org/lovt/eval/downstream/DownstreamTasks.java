package org.lovt.eval.downstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.eval.downstream.DownstreamTask.Head;

/**
 * The paper's 18 localized downstream tasks, in the paper's table order, with the original's settings (spec
 * lovt-data-eval §3.1, {@code evaluation_job.py} and {@code configs/evaluation_model/*.yaml}).
 */
public final class DownstreamTasks {
    private static final List<String> RSNA_DET = List.of("mAP", "mAP@0.5", "mAP@0.75");
    private static final List<String> OBJECT_DET = List.of("froc", "mAP", "mAP@0.5");
    private static final List<String> NIH = List.of("avg_dice", "Atelectasis_dice", "Cardiomegaly_dice",
            "Effusion_dice", "Infiltrate_dice", "Mass_dice", "Nodule_dice", "Pneumonia_dice", "Pneumothorax_dice");

    private static final Map<String, DownstreamTask> ALL = new LinkedHashMap<>();

    static {
        // key, evalName, dataset, train, val, head, frozen, bs, epochs, grid, cfg lr, warm-up, patience, monitor
        det("rsna_finetune_1", "rsna_finetune_1", "rsna", 0.01, false, 8, 500, List.of(3e-4, 1e-4), 1e-4, 100, 20);
        det("rsna_finetune_10", "rsna_finetune", "rsna", 0.1, false, 64, 100, List.of(3e-4, 1e-3), 3e-4, 100, 10);
        det("rsna_finetune_100", "rsna_finetune_full", "rsna", null, false, 64, 50, List.of(3e-4, 1e-4), 1e-4, 100,
                10);
        det("rsna_frozen_1", "rsna_1", "rsna", 0.01, true, 8, 500, List.of(1e-3, 3e-4), 1e-3, 0, 20);
        det("rsna_frozen_10", "rsna", "rsna", 0.1, true, 64, 100, List.of(), 1e-3, 0, 10);
        det("rsna_frozen_100", "rsna_full", "rsna", null, true, 64, 50, List.of(3e-4, 1e-3), 1e-3, 0, 10);
        seg("rsna_seg_linear_1", "rsna_seg_lin_1", "rsna", 0.01, 0.1, Head.LINEAR, 0, 8, 500,
                List.of(3e-2, 1e-2, 3e-3, 1e-4), 1e-2, 20, "opacity_dice", List.of("opacity_dice"));
        seg("rsna_seg_linear_10", "rsna_seg_lin", "rsna", 0.1, 0.1, Head.LINEAR, 0, 64, 100,
                List.of(3e-2, 1e-2, 3e-3, 1e-3), 3e-2, 10, "opacity_dice", List.of("opacity_dice"));
        seg("rsna_seg_linear_100", "rsna_seg_lin_full", "rsna", null, 0.1, Head.LINEAR, 0, 64, 50,
                List.of(3e-2, 1e-2, 3e-3, 1e-3), 1e-2, 10, "opacity_dice", List.of("opacity_dice"));
        seg("covid_unet_finetune", "covid_unet_finetune", "covid", null, null, Head.UNET, 20, 8, 100,
                List.of(1e-4, 3e-4), 1e-4, 20, "opacity_dice", List.of("opacity_dice"));
        seg("covid_unet_frozen", "covid_unet_frozen", "covid", null, null, Head.UNET, 0, 8, 100,
                List.of(1e-4, 3e-4, 1e-3), 3e-4, 20, "opacity_dice", List.of("opacity_dice"));
        seg("covid_linear", "covid_lin", "covid", null, null, Head.LINEAR, 0, 8, 100,
                List.of(3e-2, 1e-2, 3e-3, 1e-3), 3e-2, 20, "opacity_dice", List.of("opacity_dice"));
        seg("pneumothorax_unet_finetune_100", "pneumo_unet_finetune_full", "siim", null, null, Head.UNET, 100, 64, 50,
                List.of(3e-5, 1e-5), 1e-3, 10, "pneumothorax_dice", List.of("pneumothorax_dice"));
        seg("pneumothorax_unet_frozen_100", "pneumo_unet_frozen_full", "siim", null, null, Head.UNET, 0, 64, 50,
                List.of(3e-5, 1e-5), 1e-3, 10, "pneumothorax_dice", List.of("pneumothorax_dice"));
        add(new DownstreamTask("object_finetune_100", "object_finetune_full", "object-cxr", null, null, Head.YOLO_V3,
                false, 64, 100, List.of(1e-3, 3e-4), 3e-4, 100, 10, "froc", OBJECT_DET));
        add(new DownstreamTask("object_frozen_100", "object_frozen_full", "object-cxr", null, null, Head.YOLO_V3,
                true, 64, 100, List.of(1e-3, 3e-3), 1e-3, 0, 10, "froc", OBJECT_DET));
        seg("object_seg_linear_100", "object_seg_lin_full", "object-cxr", null, null, Head.LINEAR, 0, 64, 100,
                List.of(3e-1, 1e-1, 3e-2, 1e-2), 1e-2, 10, "avg_dice", List.of("avg_dice"));
        seg("nih_seg_linear", "nih_seg_lin", "nih", null, null, Head.LINEAR, 0, 64, 100,
                List.of(1e-1, 3e-2, 1e-2), 1e-2, 10, "avg_dice", NIH);
    }

    private DownstreamTasks() {}

    private static void det(String key, String evalName, String dataset, Double train, boolean frozen, int bs,
                            int epochs, List<Double> grid, double lr, int warmup, int patience) {
        add(new DownstreamTask(key, evalName, dataset, train, 0.1, Head.YOLO_V3, frozen, bs, epochs, grid, lr, warmup,
                patience, "mAP", RSNA_DET));
    }

    private static void seg(String key, String evalName, String dataset, Double train, Double val, Head head,
                            int warmup, int bs, int epochs, List<Double> grid, double lr, int patience, String monitor,
                            List<String> reported) {
        add(new DownstreamTask(key, evalName, dataset, train, val, head, warmup == 0, bs, epochs, grid, lr, warmup,
                patience, monitor, reported));
    }

    private static void add(DownstreamTask t) {
        ALL.put(t.key(), t);
    }

    /** Every task, in the paper's order. */
    public static List<DownstreamTask> all() {
        return new ArrayList<>(ALL.values());
    }

    /** The task of a key; an unknown key fails listing the known ones. */
    public static DownstreamTask get(String key) {
        DownstreamTask t = ALL.get(key);
        if (t == null) {
            throw new LovtException("unknown downstream task '" + key + "'; the tasks are " + String.join(", ",
                    ALL.keySet()));
        }
        return t;
    }
}
