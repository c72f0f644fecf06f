/**
 * The image-only baselines the paper compares LoVT with (spec lovt-data-eval §4): supervised CheXpert, BYOL, SimCLR
 * and PixelPro. So far: their MLP heads with the original names ({@link org.lovt.baselines.ProjectionMlp}), their losses ({@link org.lovt.baselines.BaselineLosses}, TorchScript graphs in
 * {@code native/baselines.torchscript}) and the momentum (EMA) update of the target networks
 * ({@link org.lovt.baselines.MomentumUpdate}); the learners, configs and export are still to come (issue "Image-only
 * baselines").
 *
 * <p>Layer: above {@code train}, beside {@code eval}; only {@code api} uses it.
 */
package org.lovt.baselines;
