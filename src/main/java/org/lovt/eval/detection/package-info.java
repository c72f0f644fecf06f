/**
 * LoVT's YOLOv3 detection head on ResNet features (spec lovt-data-eval §3.5, after BobLiu20/YOLOv3_PyTorch): the
 * head module with the original parameter names ({@link org.lovt.eval.detection.YoloV3Head}), its loss with the
 * original target building ({@link org.lovt.eval.detection.YoloLoss}), and decoding plus non-maximum suppression
 * into {@link org.lovt.eval.metrics.BoxPrediction}s ({@link org.lovt.eval.detection.YoloDecoder}).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.eval.detection;
