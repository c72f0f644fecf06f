/**
 * The image-only baselines the paper compares LoVT with (spec lovt-data-eval §4): supervised CheXpert, BYOL, SimCLR
 * and PixelPro, with the original's configs ({@link org.lovt.baselines.BaselineModelConfig},
 * {@code configs/baseline/*.yaml}), learners ({@link org.lovt.baselines.SupervisedLearner},
 * {@link org.lovt.baselines.ByolLearner}, {@link org.lovt.baselines.SimClrLearner},
 * {@link org.lovt.baselines.PixelProLearner}), heads with the original names ({@link org.lovt.baselines.ProjectionMlp},
 * {@link org.lovt.baselines.ConvMlp}, {@link org.lovt.baselines.PixelPropagation}), losses
 * ({@link org.lovt.baselines.BaselineLosses}, TorchScript graphs in {@code native/baselines.torchscript}), the target
 * networks' moving average ({@link org.lovt.baselines.MomentumUpdate}), the augmentation T on tensors
 * ({@link org.lovt.baselines.SslAugmentation}) and the {@link org.lovt.baselines.BaselineTask} that the trainer runs.
 * The run itself (data, listeners, export) is {@code org.lovt.api.BaselineRun}, behind
 * {@code lovt pretrain +baseline=...}.
 *
 * <p>Layer: above {@code train}, beside {@code eval}; only {@code api} uses it.
 */
package org.lovt.baselines;
