package org.lovt.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a set of local features (regions, tokens, sentences) is pooled into one vector; the keys of the original
 * {@code AGGREGATOR_DICT} ({@code src/models/components/aggregation.py}).
 */
public enum Aggregator {
    /** Element-wise max over valid elements ({@code GlobalMaxPool}). */
    @JsonProperty("max") MAX,
    /** Mean over the elements ({@code GlobalAvgPool}). */
    @JsonProperty("avg") AVG,
    /** Mean-query multi-head attention pool with 8 heads ({@code GlobalAvgAttentionAggregator}); returns weights. */
    @JsonProperty("avgpool_attention") AVGPOOL_ATTENTION,
    /** The first element ({@code GlobalTokenAggregator(global_index=0)}, e.g. [CLS]). */
    @JsonProperty("token_0") TOKEN_0
}
