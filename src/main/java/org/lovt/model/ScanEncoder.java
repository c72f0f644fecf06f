package org.lovt.model;

import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;
import org.lovt.nn.AttentionPool;
import org.lovt.vision.ResNet;
import org.lovt.vision.ResNetConfig;

/**
 * LoVT's {@code ScanEncoderModel} (spec §1): ResNet feature map of {@code region_feature_layer} → regions
 * {@code yl_a} (B, H·W, C) in row-major order, and a global feature aggregated from them (attention pool or mean)
 * or from another layer. Names follow the original: {@code feature_extractor.backbone_layers.<torchvision key>},
 * {@code global_aggregator.attention.*}.
 */
public final class ScanEncoder extends Module {
    /** Heads of the attention pool (LoVT's setting). */
    public static final int POOL_HEADS = 8;

    private final ScanEncoderConfig config;
    private final ResNet backbone;
    private final AttentionPool attentionPool;
    private final long dL;
    private final long dG;
    /** Containers created here, kept reachable (see Modules.container). */
    private final java.util.List<Module> containers = new java.util.ArrayList<>();

    private ScanEncoder(ScanEncoderConfig config, ResNet backbone, long dL) {
        if (config.addRegionPosEncodings() || config.concatGlobalWithRegions()) {
            throw new LovtException("scan encoder: add_region_pos_encodings / concat_global_with_regions are not "
                    + "supported (no shipped config uses them)");
        }
        this.config = config;
        this.dL = dL;
        if (backbone != null) {
            Module fe = org.lovt.nn.Modules.container(this, "feature_extractor", containers);
            this.backbone = fe.register_module("backbone_layers", backbone);
        } else {
            this.backbone = null;
        }
        this.dG = config.globalFeatureLayer().equals(ScanEncoderConfig.LOCAL) || backbone == null ? dL
                : channels(backbone.config(), config.globalFeatureLayer());
        attentionPool = config.globalAggregator() == Aggregator.AVGPOOL_ATTENTION
                ? register_module("global_aggregator", new AttentionPool(dG, POOL_HEADS)) : null;
        if (config.globalAggregator() == Aggregator.TOKEN_0) {
            throw new LovtException("scan encoder global_aggregator token_0 is not supported");
        }
    }

    /** A scan encoder with its ResNet backbone. */
    public ScanEncoder(ScanEncoderConfig config, ResNetConfig backbone) {
        this(config, new ResNet(backbone), channels(backbone, config.regionFeatureLayer()));
    }

    /** Only the aggregator, for region features computed elsewhere (verification of the alignment part). */
    public static ScanEncoder withoutBackbone(ScanEncoderConfig config, long dL) {
        return new ScanEncoder(config, null, dL);
    }

    /** Channels of a named feature map. */
    static long channels(ResNetConfig c, String layer) {
        int i = ResNet.FEATURES.indexOf(layer);
        return i == 0 ? c.stemWidth() : c.stageChannels(i - 1);
    }

    public ScanEncoderConfig config() {
        return config;
    }

    /** The ResNet (the part exported for downstream tasks), or null without backbone. */
    public ResNet backbone() {
        return backbone;
    }

    /** Dimension of the region features. */
    public long localDim() {
        return dL;
    }

    /** Dimension of the global feature: the region features' or, with another global layer, that layer's width. */
    public long globalDim() {
        return dG;
    }

    /** Images (B, 3, H, W) → regions, global feature and (optionally) the pool's weights. */
    public EncoderOutput forward(Tensor scan) {
        if (backbone == null) {
            throw new LovtException("this scan encoder has no backbone");
        }
        String region = config.regionFeatureLayer();
        boolean globalFromLocal = config.globalFeatureLayer().equals(ScanEncoderConfig.LOCAL);
        String deepest = globalFromLocal || ResNet.FEATURES.indexOf(region)
                >= ResNet.FEATURES.indexOf(config.globalFeatureLayer()) ? region : config.globalFeatureLayer();
        Map<String, Tensor> f = backbone.features(scan, deepest);
        Tensor map = f.get(region);                                              // (B, C, H, W)
        int h = (int) map.size(2);
        int w = (int) map.size(3);
        Tensor yl = map.flatten(2, -1).transpose(1, 2);                          // (B, H·W, C)
        if (globalFromLocal) {
            return aggregate(yl, h, w);
        }
        Tensor g = f.get(config.globalFeatureLayer()).flatten(2, -1).transpose(1, 2);   // (B, H'·W', C')
        return new EncoderOutput(yl, pool(g).pooled(), null, null, new int[] {h, w});
    }

    /** Global feature from region features yl (B, H·W, d). */
    public EncoderOutput aggregate(Tensor yl, int h, int w) {
        if (yl.size(1) != (long) h * w) {
            throw new LovtException("scan regions: " + yl.size(1) + " features for a " + h + "x" + w + " grid");
        }
        AttentionPool.Output p = pool(yl);
        Tensor weights = config.localWeightsFromAggregator() ? p.weights() : null;
        return new EncoderOutput(yl, p.pooled(), null, weights, new int[] {h, w});
    }

    private AttentionPool.Output pool(Tensor x) {
        return switch (config.globalAggregator()) {
            case AVGPOOL_ATTENTION -> attentionPool.forward(x, null);
            case AVG -> new AttentionPool.Output(Pooling.avg(x, null), null);
            case MAX -> new AttentionPool.Output(Pooling.max(x, null), null);
            case TOKEN_0 -> throw new LovtException("token_0 aggregation is not supported for scans");
        };
    }
}
