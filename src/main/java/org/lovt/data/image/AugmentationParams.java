package org.lovt.data.image;

/**
 * Every random choice of one application of the training transform, drawn by {@link ScanTransform#sample} in the
 * original's order. A null component means the step is off (disabled in the config, not applied this time, or
 * validation).
 *
 * @param crop       RandomResizedCrop box in full-resolution pixels; null = the validation resize
 * @param flip       RandomHorizontalFlip fired
 * @param affine     RandomAffine parameters
 * @param jitter     ColorJitter factors and order; null = not applied (RandomApply missed or off)
 * @param blurSigma  GaussianBlur sigma; null = no blur
 */
public record AugmentationParams(Crop crop, boolean flip, Affine affine, Jitter jitter, Double blurSigma) {

    /** The parameters of the validation transform (no randomness at all). */
    public static final AugmentationParams NONE = new AugmentationParams(null, false, null, null, null);

    /**
     * A crop box, torchvision's {@code (i, j, h, w)}.
     *
     * @param top    first row
     * @param left   first column
     * @param height rows
     * @param width  columns
     */
    public record Crop(int top, int left, int height, int width) {
        /** Crop area as a fraction of a {@code fullWidth x fullHeight} image. */
        public double areaFraction(int fullWidth, int fullHeight) {
            return (double) width * height / ((double) fullWidth * fullHeight);
        }
    }

    /**
     * RandomAffine's draw (shear is always 0 in LoVT).
     *
     * @param angle degrees, counter-clockwise
     * @param tx    horizontal shift in output pixels (rounded half to even, like Python's {@code round})
     * @param ty    vertical shift in output pixels
     * @param scale scale factor
     */
    public record Affine(double angle, int tx, int ty, double scale) {}

    /**
     * ColorJitter's draw.
     *
     * @param brightness      brightness factor
     * @param contrast        contrast factor
     * @param brightnessFirst whether brightness is applied before contrast (torchvision's random op order)
     */
    public record Jitter(double brightness, double contrast, boolean brightnessFirst) {}
}
