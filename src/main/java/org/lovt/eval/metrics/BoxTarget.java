package org.lovt.eval.metrics;

/**
 * A ground-truth box: top-left corner {@code (x, y)} and size {@code (w, h)} in pixels of the frame the metrics are
 * computed in (the 224-pixel input frame in the downstream evaluation), and its class index.
 */
public record BoxTarget(double x, double y, double w, double h, int cls) {}
