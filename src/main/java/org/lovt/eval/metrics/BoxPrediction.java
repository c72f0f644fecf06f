package org.lovt.eval.metrics;

/**
 * A predicted box: top-left corner {@code (x, y)} and size {@code (w, h)} in pixels of the metrics' frame, its class
 * index and its confidence (the detector's objectness after non-maximum suppression).
 */
public record BoxPrediction(double x, double y, double w, double h, int cls, double conf) {}
