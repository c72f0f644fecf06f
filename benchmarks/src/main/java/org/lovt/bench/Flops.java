package org.lovt.bench;

import org.lovt.text.BertConfig;
import org.lovt.vision.ResNetConfig;

/**
 * Analytic floating-point operation counts (2 per multiply-add of convolutions and matrix products; element-wise
 * work such as BatchNorm, activations and softmax is not counted, by the usual convention). A training step is
 * counted as 3× the forward pass (backward computes gradients for inputs and for weights).
 */
public final class Flops {
    private Flops() {}

    private static long out(long size, int kernel, int stride, int padding) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    /** Forward FLOPs of a torchvision bottleneck ResNet on one (3, h, w) image. */
    public static double resnetForward(ResNetConfig c, long h, long w) {
        double f = 0;
        long ho = out(h, 7, 2, 3);
        long wo = out(w, 7, 2, 3);
        f += 2.0 * 3 * c.stemWidth() * 49 * ho * wo;                          // conv1
        h = out(ho, 3, 2, 1);                                                 // maxpool
        w = out(wo, 3, 2, 1);
        long in = c.stemWidth();
        int[] layers = c.layers();
        for (int i = 0; i < 4; i++) {
            long width = (long) c.stemWidth() << i;
            for (int b = 0; b < layers[i]; b++) {
                int s = b == 0 && i > 0 ? 2 : 1;
                long h2 = out(h, 3, s, 1);
                long w2 = out(w, 3, s, 1);
                f += 2.0 * in * width * h * w;                                // conv1 1x1
                f += 2.0 * width * width * 9 * h2 * w2;                       // conv2 3x3 (strided)
                f += 2.0 * width * width * 4 * h2 * w2;                       // conv3 1x1
                if (s != 1 || in != width * 4) {
                    f += 2.0 * in * width * 4 * h2 * w2;                      // downsample 1x1
                }
                in = width * 4;
                h = h2;
                w = w2;
            }
        }
        if (c.numClasses() > 0) {
            f += 2.0 * in * c.numClasses();                                   // fc
        }
        return f;
    }

    /**
     * Forward FLOPs of DJL's model-zoo {@code ResNetV1} with 50 layers on one (3, h, w) image: as torchvision's, except
     * that a down-sampling bottleneck puts its stride on the first 1×1 convolution, so that the 1×1 reduce runs at the
     * reduced resolution (5.7 % fewer FLOPs at 224²). Its few convolution biases are element-wise work, not counted.
     */
    public static double djlResNetV1Forward(long h, long w) {
        double f = 0;
        long ho = out(h, 7, 2, 3);
        long wo = out(w, 7, 2, 3);
        f += 2.0 * 3 * 64 * 49 * ho * wo;
        h = out(ho, 3, 2, 1);
        w = out(wo, 3, 2, 1);
        long in = 64;
        int[] layers = {3, 4, 6, 3};
        for (int i = 0; i < 4; i++) {
            long width = 64L << i;
            for (int b = 0; b < layers[i]; b++) {
                int s = b == 0 && i > 0 ? 2 : 1;
                long h2 = out(h, 3, s, 1);
                long w2 = out(w, 3, s, 1);
                f += 2.0 * in * width * h2 * w2;                              // 1x1 reduce (strided)
                f += 2.0 * width * width * 9 * h2 * w2;                       // 3x3
                f += 2.0 * width * width * 4 * h2 * w2;                       // 1x1 expand
                if (s != 1 || in != width * 4) {
                    f += 2.0 * in * width * 4 * h2 * w2;                      // shortcut 1x1
                }
                in = width * 4;
                h = h2;
                w = w2;
            }
        }
        return f + 2.0 * in * 1000;
    }

    /** Forward FLOPs of a BERT encoder (all layers and the pooler) on one sequence of {@code t} tokens. */
    public static double bertForward(BertConfig c, long t) {
        double h = c.hiddenSize();
        double perLayer = 4 * 2 * t * h * h                                   // q, k, v, attention output
                + 2 * 2 * t * t * h                                           // scores and context
                + 2 * 2 * t * h * c.intermediateSize();                       // feed-forward
        return c.numHiddenLayers() * perLayer + 2 * h * h;                    // + pooler on [CLS]
    }
}
