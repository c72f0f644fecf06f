package org.lovt.vision;

import java.util.Arrays;

import org.lovt.LovtException;

/**
 * Shape of a torchvision-style bottleneck ResNet.
 *
 * @param layers    bottleneck blocks per stage ({@code [3, 4, 6, 3]} for ResNet-50)
 * @param stemWidth channels of the stem and of the first stage's bottleneck (64 in torchvision); stage i has width
 *                  {@code stemWidth·2^i} and outputs 4× that
 * @param numClasses classes of the final {@code fc} layer, or 0 for a backbone without {@code avgpool}/{@code fc}
 */
public record ResNetConfig(int[] layers, int stemWidth, int numClasses) {
    /** Bottleneck expansion (torchvision {@code Bottleneck.expansion}). */
    public static final int EXPANSION = 4;

    public ResNetConfig {
        if (layers == null || layers.length != 4 || Arrays.stream(layers).anyMatch(n -> n < 1)) {
            throw new LovtException("resnet layers must be 4 positive block counts, got " + Arrays.toString(layers));
        }
        if (stemWidth < 1) {
            throw new LovtException("resnet stem_width must be positive, got " + stemWidth);
        }
        if (numClasses < 0) {
            throw new LovtException("resnet num_classes must be >= 0, got " + numClasses);
        }
        layers = layers.clone();
    }

    /** torchvision {@code resnet50()}: 25,557,032 parameters with its 1000-class fc. */
    public static ResNetConfig resnet50(int numClasses) {
        return new ResNetConfig(new int[] {3, 4, 6, 3}, 64, numClasses);
    }

    /** Output channels of stage {@code i} (0-based): {@code stemWidth·2^i·4}. */
    public int stageChannels(int i) {
        return stemWidth * (1 << i) * EXPANSION;
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetConfig c && Arrays.equals(layers, c.layers) && stemWidth == c.stemWidth
                && numClasses == c.numClasses;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(layers) + stemWidth) + numClasses;
    }

    @Override
    public String toString() {
        return "ResNetConfig[layers=" + Arrays.toString(layers) + ", stemWidth=" + stemWidth + ", numClasses="
                + numClasses + "]";
    }
}
