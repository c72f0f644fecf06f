/**
 * LoVT's segmentation evaluation (spec lovt-data-eval §3.6-3.9): the U-Net decoder over a ResNet
 * ({@link org.lovt.eval.segmentation.ResUNetHead}), the linear head
 * ({@link org.lovt.eval.segmentation.LinearSegmentation}), the Dice loss and the split-level metrics, with the
 * original's parameter names and metric keys.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.eval.segmentation;
