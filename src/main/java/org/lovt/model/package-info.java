/**
 * LoVT itself (DESIGN.md's {@code lovt/} package, named {@code model} here to avoid {@code org.lovt.lovt}):
 * {@link org.lovt.model.ScanEncoder}, {@link org.lovt.model.ReportEncoder}, {@link org.lovt.model.ModalityModel},
 * {@link org.lovt.model.LovtModel}, the config records of the original's dataclasses, and {@code objectives/}.
 *
 * <p>Module names are the original LightningModule's ({@code model_a.encoder.feature_extractor.backbone_layers.*},
 * {@code model_b.encoder.language_model.*}, {@code model_a.project_local.*}, {@code ll_attention.*}), so original
 * checkpoints map onto these models by name. The functional math (pools, cross-attention, losses) runs as the
 * TorchScript graphs of {@code native/lovt.torchscript}; the modules own the parameters.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.model;
