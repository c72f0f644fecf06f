package org.lovt.data.image;

import java.util.List;

import org.lovt.config.ConfigDefaults;
import org.lovt.data.image.ScanAugmentationConfig;
import org.lovt.data.image.ScanAugmentationConfig.ValResizeMode;

/** Configs for the transform tests. */
final class TransformFixtures {
    private TransformFixtures() {}

    /** The original's defaults (spec lovt-model §5). */
    static ScanAugmentationConfig defaults() {
        return ConfigDefaults.of(ScanAugmentationConfig.class);
    }

    /** Defaults with another validation resize mode. */
    static ScanAugmentationConfig withValMode(ValResizeMode mode) {
        ScanAugmentationConfig d = defaults();
        return new ScanAugmentationConfig(d.augment(), d.randomCrop(), d.cropScaleRange(), d.randomHorizontalFlip(),
                d.horizontalFlipProb(), d.randomAffine(), d.rotationAngleRange(), d.horizontalTranslationFraction(),
                d.verticalTranslationFraction(), d.scalingRange(), d.randomJitter(), d.jitterProb(),
                d.brightnessJitterRatioRange(), d.contrastJitterRatioRange(), d.gaussianBlur(),
                d.gaussianBlurSigmaRange(), mode);
    }

    /** Only the named steps on: "crop", "flip", "affine", "jitter", "blur". */
    static ScanAugmentationConfig only(String... steps) {
        List<String> s = List.of(steps);
        ScanAugmentationConfig d = defaults();
        return new ScanAugmentationConfig(true, s.contains("crop"), d.cropScaleRange(), s.contains("flip"),
                d.horizontalFlipProb(), s.contains("affine"), d.rotationAngleRange(),
                d.horizontalTranslationFraction(), d.verticalTranslationFraction(), d.scalingRange(),
                s.contains("jitter"), d.jitterProb(), d.brightnessJitterRatioRange(), d.contrastJitterRatioRange(),
                s.contains("blur"), d.gaussianBlurSigmaRange(), ValResizeMode.PAD);
    }
}
