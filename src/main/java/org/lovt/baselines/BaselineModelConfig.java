package org.lovt.baselines;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;
import org.lovt.data.image.ScanAugmentationConfig;

/**
 * The {@code model_config:} of a baseline run: the original's {@code BaselineModelConfig} with the fields of its three
 * subclasses ({@code SupervisedClassificationConfig}, {@code BYOLConfig}, {@code SimCLRConfig}; spec lovt-data-eval
 * §4), which the original registers under the same name by three scripts. One record holds them all here; the
 * learner follows from which is set ({@link #method()}).
 *
 * @param backboneArchitecture {@code resnet} (the only one the original accepts)
 * @param backboneModel        torch.hub reference, {@code [pytorch/vision:v0.6.0, resnet50]}
 * @param backboneCheckpoint   weights to start from instead of ImageNet; null = none
 * @param backbonePretrained   start from the ImageNet weights (user config {@code models.pretrained.resnet50_imagenet})
 * @param inputSize            the augmented views' {@code [height, width]} (square)
 * @param batchSize            batch size
 * @param learningRate         Adam's learning rate
 * @param weightDecay          Adam's (coupled, L2) weight decay
 * @param maxEpochs            epochs
 * @param warmupEpochs         warm-up epochs of the warm-up cosine schedule (BYOL, SimCLR)
 * @param dataset              a {@code configs/dataset/} name of the MIMIC-CXR image list
 * @param projectionSize       BYOL's / SimCLR's projection size
 * @param sslMethod            {@code BYOL} or {@code PixelPro} (byol_baseline.py)
 * @param temperature          SimCLR's NT-Xent temperature (simclr_baseline.py)
 * @param classifierTask       {@code chexpert_binary} (supervised_baseline.py)
 * @param dataAugmentation     the supervised baseline's training augmentation (LoVT's scan augmentation defaults)
 * @param lrReducePatience     supervised: ReduceLROnPlateau patience on val/auroc
 * @param lrReduceFactor       supervised: ReduceLROnPlateau factor
 * @param earlyStopPatience    supervised: early stopping patience on val/auroc
 * @param backboneArgs         extension of this project: {@code stem_width} and {@code layers} shrink the ResNet
 *                             for tests and small machines
 * @param maxSize              extension: the side the self-supervised baselines resize every image to before the
 *                             augmentation (the original's {@code DatasetImageOnlyWrapper(max_size=512)})
 * @param normalizeWithDatasetStats the documented correction of the normalisation quirk: normalise with the
 *                             dataset's pixel statistics instead of mean 0.5, std 0.5 (default false: the quirk)
 * @param hiddenLayerPixel     PixelPro's pixel features: {@code avgpool} (the original's 1×1 "map", the quirk) or
 *                             {@code layer4} (the 7×7 map, a real PixPro)
 * @param lrScheduleClosedForm the correction of the warm-up cosine schedule's chained quirk (PixelPro's lr is 0
 *                             throughout without warm-up epochs): use the scheduler's closed form (default false)
 */
public record BaselineModelConfig(
        @ConfigDefault("resnet") String backboneArchitecture,
        @Nullable @ConfigDefault("null") List<String> backboneModel,
        @Nullable @ConfigDefault("null") String backboneCheckpoint,
        @ConfigDefault("false") boolean backbonePretrained,
        List<Integer> inputSize,
        int batchSize,
        double learningRate,
        double weightDecay,
        int maxEpochs,
        @ConfigDefault("0") int warmupEpochs,
        String dataset,
        @ConfigDefault("128") int projectionSize,
        @Nullable @ConfigDefault("null") String sslMethod,
        @Nullable @ConfigDefault("null") Double temperature,
        @Nullable @ConfigDefault("null") String classifierTask,
        @ConfigDefault("{}") ScanAugmentationConfig dataAugmentation,
        @ConfigDefault("3") int lrReducePatience,
        @ConfigDefault("0.5") double lrReduceFactor,
        @ConfigDefault("10") int earlyStopPatience,
        @ConfigDefault("{}") Map<String, Object> backboneArgs,
        @ConfigDefault("512") int maxSize,
        @ConfigDefault("false") boolean normalizeWithDatasetStats,
        @ConfigDefault("avgpool") String hiddenLayerPixel,
        @ConfigDefault("false") boolean lrScheduleClosedForm) {

    /** The three learners of the original's three baseline scripts. */
    public enum Method {
        /** {@code supervised_baseline.py}: ResNet-50 with a 5-label CheXpert head. */
        CHEXPERT,
        /** {@code byol_baseline.py} with {@code ssl_method: BYOL}. */
        BYOL,
        /** {@code simclr_baseline.py}. */
        SIMCLR,
        /** {@code byol_baseline.py} with {@code ssl_method: PixelPro}. */
        PIXELPRO
    }

    public BaselineModelConfig {
        Check.that("resnet".equals(backboneArchitecture), "backbone_architecture",
                "must be 'resnet' (the only architecture of the original baselines), got '" + backboneArchitecture
                        + "'");
        if (backboneModel != null) {
            backboneModel = Check.list("backbone_model", backboneModel);
        }
        inputSize = Check.list("input_size", inputSize);
        Check.that(inputSize.size() == 2 && inputSize.get(0).equals(inputSize.get(1)) && inputSize.get(0) > 0,
                "input_size", "must be a square [size, size], got " + inputSize);
        Check.positive("batch_size", batchSize);
        Check.positive("learning_rate", learningRate);
        Check.nonNegative("weight_decay", weightDecay);
        Check.positive("max_epochs", maxEpochs);
        Check.nonNegative("warmup_epochs", warmupEpochs);
        Check.notNull("dataset", dataset);
        Check.positive("projection_size", projectionSize);
        if (temperature != null) {
            Check.positive("temperature", temperature);
        }
        Check.notNull("data_augmentation", dataAugmentation);
        Check.nonNegative("lr_reduce_patience", lrReducePatience);
        Check.that(lrReduceFactor > 0 && lrReduceFactor < 1, "lr_reduce_factor",
                "must lie in (0, 1), got " + lrReduceFactor);
        Check.nonNegative("early_stop_patience", earlyStopPatience);
        backboneArgs = Check.mapAllowingNullValues("backbone_args", backboneArgs);
        Check.positive("max_size", maxSize);
        Check.oneOf("hidden_layer_pixel", hiddenLayerPixel, java.util.List.of("avgpool", "layer4"));
        method(sslMethod, temperature, classifierTask);
    }

    /** The learner this config asks for. */
    public Method method() {
        return method(sslMethod, temperature, classifierTask);
    }

    /** The side of the square views. */
    public int size() {
        return inputSize.get(0);
    }

    private static Method method(String ssl, Double temperature, String task) {
        int set = (ssl != null ? 1 : 0) + (temperature != null ? 1 : 0) + (task != null ? 1 : 0);
        if (set != 1) {
            throw new LovtException("model_config: exactly one of ssl_method (BYOL), temperature (SimCLR) and "
                    + "classifier_task (CheXpert supervised) must be set, as in the shipped configs/baseline/*.yaml; "
                    + "got ssl_method=" + ssl + ", temperature=" + temperature + ", classifier_task=" + task);
        }
        if (ssl != null) {
            return switch (ssl) {
                case "BYOL" -> Method.BYOL;
                case "PixelPro" -> Method.PIXELPRO;
                default -> throw new LovtException("model_config.ssl_method: unknown '" + ssl + "' (expected BYOL or "
                        + "PixelPro; SiamSiam is used by no shipped config)");
            };
        }
        if (temperature != null) {
            return Method.SIMCLR;
        }
        if (!task.toLowerCase(Locale.ROOT).equals("chexpert_binary")) {
            throw new LovtException("model_config.classifier_task: '" + task + "' is not supported (chexpert_binary; "
                    + "chexpert_binary_weighted is used by no shipped config)");
        }
        return Method.CHEXPERT;
    }
}
