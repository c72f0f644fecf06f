package org.lovt.data.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.lovt.config.Check;
import org.lovt.config.ConfigDefault;
import org.lovt.config.Nullable;

import java.util.List;

/**
 * Pre-training image augmentation: {@code ScanAugmentationConfig} of the original
 * ({@code src/models/image/scan_transforms.py}; spec lovt-model.md §5). No shipped experiment changes these
 * defaults (ConVIRT re-states two of them).
 *
 * @param augment                        master switch for training-time augmentation
 * @param randomCrop                     RandomResizedCrop
 * @param cropScaleRange                 area fraction range of the crop
 * @param randomHorizontalFlip           RandomHorizontalFlip
 * @param horizontalFlipProb             flip probability
 * @param randomAffine                   RandomAffine
 * @param rotationAngleRange             rotation range in degrees
 * @param horizontalTranslationFraction  max horizontal shift as a fraction of the width
 * @param verticalTranslationFraction    max vertical shift as a fraction of the height
 * @param scalingRange                   scale factor range
 * @param randomJitter                   ColorJitter (brightness, contrast)
 * @param jitterProb                     probability of applying the jitter; null = always
 * @param brightnessJitterRatioRange     brightness factor range
 * @param contrastJitterRatioRange       contrast factor range
 * @param gaussianBlur                   GaussianBlur (kernel 10 % of the size, made odd)
 * @param gaussianBlurSigmaRange         blur sigma range
 * @param valResizeMode                  how validation/test images are made square
 */
public record ScanAugmentationConfig(
        @ConfigDefault("true") boolean augment,

        @ConfigDefault("true") boolean randomCrop,
        @ConfigDefault("[0.6, 1.0]") List<Double> cropScaleRange,

        @ConfigDefault("true") boolean randomHorizontalFlip,
        @ConfigDefault("0.5") double horizontalFlipProb,

        @ConfigDefault("true") boolean randomAffine,
        @ConfigDefault("[-20, 20]") List<Double> rotationAngleRange,
        @ConfigDefault("0.1") double horizontalTranslationFraction,
        @ConfigDefault("0.1") double verticalTranslationFraction,
        @ConfigDefault("[0.95, 1.05]") List<Double> scalingRange,

        @ConfigDefault("true") boolean randomJitter,
        @Nullable @ConfigDefault("1.0") Double jitterProb,
        @ConfigDefault("[0.6, 1.4]") List<Double> brightnessJitterRatioRange,
        @ConfigDefault("[0.6, 1.4]") List<Double> contrastJitterRatioRange,

        @ConfigDefault("true") boolean gaussianBlur,
        @ConfigDefault("[0.1, 3.0]") List<Double> gaussianBlurSigmaRange,

        @ConfigDefault("pad") ValResizeMode valResizeMode) {

    /**
     * The config a validation transform needs: the defaults with {@code valResizeMode} (a validation transform reads
     * nothing else), for inputs of a model whose full config is not at hand, such as an exported backbone.
     */
    public static ScanAugmentationConfig forValidation(ValResizeMode valResizeMode) {
        ScanAugmentationConfig d = org.lovt.config.ConfigDefaults.of(ScanAugmentationConfig.class);
        return new ScanAugmentationConfig(d.augment, d.randomCrop, d.cropScaleRange, d.randomHorizontalFlip,
                d.horizontalFlipProb, d.randomAffine, d.rotationAngleRange, d.horizontalTranslationFraction,
                d.verticalTranslationFraction, d.scalingRange, d.randomJitter, d.jitterProb,
                d.brightnessJitterRatioRange, d.contrastJitterRatioRange, d.gaussianBlur, d.gaussianBlurSigmaRange,
                valResizeMode);
    }

    /** Validation resize modes ({@code ScanDataTransform}). */
    public enum ValResizeMode {
        @JsonProperty("center_crop") CENTER_CROP,
        @JsonProperty("pad") PAD,
        @JsonProperty("resize") RESIZE
    }

    public ScanAugmentationConfig {
        cropScaleRange = Check.range("crop_scale_range", cropScaleRange, Double.MIN_VALUE, 1.0);
        Check.probability("horizontal_flip_prob", horizontalFlipProb);
        rotationAngleRange = Check.range("rotation_angle_range", rotationAngleRange, -180, 180);
        Check.probability("horizontal_translation_fraction", horizontalTranslationFraction);
        Check.probability("vertical_translation_fraction", verticalTranslationFraction);
        scalingRange = Check.range("scaling_range", scalingRange, Double.MIN_VALUE, Double.MAX_VALUE);
        if (jitterProb != null) {
            Check.probability("jitter_prob", jitterProb);
        }
        brightnessJitterRatioRange = Check.range("brightness_jitter_ratio_range", brightnessJitterRatioRange,
                0, Double.MAX_VALUE);
        contrastJitterRatioRange = Check.range("contrast_jitter_ratio_range", contrastJitterRatioRange,
                0, Double.MAX_VALUE);
        gaussianBlurSigmaRange = Check.range("gaussian_blur_sigma_range", gaussianBlurSigmaRange,
                Double.MIN_VALUE, Double.MAX_VALUE);
        Check.notNull("val_resize_mode", valResizeMode);
    }
}
