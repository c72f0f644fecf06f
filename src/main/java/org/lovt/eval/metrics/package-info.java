/**
 * Detection and segmentation metrics of LoVT's downstream evaluation (spec lovt-data-eval §3.9): pure arithmetic on
 * boxes and counts, no tensors. Internal: not a stable interface.
 */
package org.lovt.eval.metrics;
