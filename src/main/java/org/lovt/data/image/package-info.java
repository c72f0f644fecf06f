/**
 * LoVT's pre-training image pipeline in plain Java (spec lovt-model §5): OpenCV decodes the files
 * ({@link org.lovt.data.image.ImageDecoder}); everything after decoding is a Java port of the exact Pillow /
 * torchvision 0.11 operations the original composed ({@link org.lovt.data.image.PilResize},
 * {@link org.lovt.data.image.PilAffine}, {@link org.lovt.data.image.PilEnhance},
 * {@link org.lovt.data.image.TorchGaussianBlur}), checked byte for byte against Pillow 9.4 / torchvision 0.14 reference
 * outputs, and assembled by {@link org.lovt.data.image.ScanTransform}. An optional on-disk cache of reduced copies
 * ({@link org.lovt.data.image.ImageCache}) trades a small, measured output difference for about 5× less CPU per
 * full-size MIMIC image.
 *
 * <p>No libtorch tensor is created here: images are {@code byte[]}/{@code float[]} in Java memory, so that the
 * loader threads ({@link org.lovt.data.DataLoader}) never own native memory.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.image;
