package org.lovt.model;

import org.lovt.data.image.ScanAugmentationConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scan (modality a) encoder: {@code ScanEncoderConfig} of the original ({@code src/models/image/scan_encoder.py};
 * spec lovt-model.md §1). Shipped as {@code scan_encoder/resnet50attention_imagenet} (LoVT, CLIP) and
 * {@code scan_encoder/resnet50_imagenet} (ConVIRT).
 *
 * @param encoderCls                  encoder class marker of the original, always {@code ScanEncoderModel}
 * @param modality                    always {@code scan}
 * @param backboneArchitecture        backbone family; only {@code resnet} is implemented
 * @param backboneModel               torch.hub reference of the original ({@code [pytorch/vision:v0.6.0, resnet50]});
 *                                    null = none
 * @param backboneCheckpoint          checkpoint to initialise the backbone from; null = none
 * @param backbonePretrained          start from ImageNet weights (the user config's
 *                                    {@code models.pretrained.resnet50_imagenet})
 * @param backboneArgs                extra backbone arguments
 * @param inputSize                   input {@code [height, width]}
 * @param regionFeatureLayer          layer giving the region features: {@code conv1} … {@code conv5}
 * @param globalFeatureLayer          {@code local} (aggregate the region features) or a layer name
 * @param globalAggregator            pooling of region features into the global feature
 * @param localWeightsFromAggregator  return the aggregator's attention as local-loss weights
 * @param addRegionPosEncodings       add positional encodings to region features
 * @param concatGlobalWithRegions     concatenate the global feature to every region
 * @param dataAugmentation            training-time image augmentation
 */
public record ScanEncoderConfig(
        @JsonProperty("_encoder_cls_") @ConfigDefault("ScanEncoderModel") String encoderCls,
        @ConfigDefault("scan") String modality,

        String backboneArchitecture,
        @Nullable @ConfigDefault("null") List<String> backboneModel,
        @Nullable @ConfigDefault("null") String backboneCheckpoint,
        @ConfigDefault("false") boolean backbonePretrained,
        @ConfigDefault("{}") Map<String, Object> backboneArgs,
        List<Integer> inputSize,
        String regionFeatureLayer,
        String globalFeatureLayer,
        @ConfigDefault("avg") Aggregator globalAggregator,
        @ConfigDefault("false") boolean localWeightsFromAggregator,

        @ConfigDefault("false") boolean addRegionPosEncodings,
        @ConfigDefault("false") boolean concatGlobalWithRegions,

        @ConfigDefault("{}") ScanAugmentationConfig dataAugmentation) {

    /** Feature layer names of {@code ResNetFeatureExtractor} (spec §1.1). */
    public static final List<String> FEATURE_LAYERS = List.of("conv1", "conv2", "conv3", "conv4", "conv5");
    /** {@code global_feature_layer} value meaning "aggregate the region features". */
    public static final String LOCAL = "local";

    public ScanEncoderConfig {
        Check.oneOf("_encoder_cls_", encoderCls, Set.of("ScanEncoderModel"));
        Check.oneOf("modality", modality, Set.of("scan"));
        Check.oneOf("backbone_architecture", backboneArchitecture, Set.of("resnet"));
        if (backboneModel != null) {
            backboneModel = Check.list("backbone_model", backboneModel);
        }
        backboneArgs = Check.mapAllowingNullValues("backbone_args", backboneArgs);
        inputSize = Check.list("input_size", inputSize);
        Check.that(inputSize.size() == 2 && inputSize.get(0) > 0 && inputSize.get(1) > 0, "input_size",
                "must be [height, width] with positive sizes, got " + inputSize);
        Check.oneOf("region_feature_layer", regionFeatureLayer, FEATURE_LAYERS);
        Check.that(globalFeatureLayer != null
                        && (LOCAL.equals(globalFeatureLayer) || FEATURE_LAYERS.contains(globalFeatureLayer)),
                "global_feature_layer", "must be 'local' or one of " + FEATURE_LAYERS + ", got "
                        + (globalFeatureLayer == null ? "null" : "'" + globalFeatureLayer + "'"));
        Check.notNull("global_aggregator", globalAggregator);
        if (localWeightsFromAggregator) {
            // Only the attention pool produces weights, and only over the region features (the original asserts).
            Check.that(globalAggregator == Aggregator.AVGPOOL_ATTENTION, "local_weights_from_aggregator",
                    "needs global_aggregator: avgpool_attention");
            Check.that(LOCAL.equals(globalFeatureLayer), "local_weights_from_aggregator",
                    "needs global_feature_layer: local");
        }
        Check.notNull("data_augmentation", dataAugmentation);
    }
}
