/**
 * The public API of LoVT for the JVM, the only stable interface of the library: pre-train
 * ({@link org.lovt.api.Pretraining}, {@link org.lovt.api.PretrainingData}, {@link org.lovt.api.PretrainingListener},
 * {@link org.lovt.api.PretrainingEvaluator}; in several processes: {@link org.lovt.api.DataParallelLauncher}, or any
 * launcher that sets torchrun's variables), load a pre-trained model and embed and ground with it
 * ({@link org.lovt.api.LovtEncoder}, {@link org.lovt.api.ScanBackbone}), and evaluate grounding
 * ({@link org.lovt.api.Evaluations}). Signatures use plain Java types ({@code float[]}, images, {@code Path}s), never
 * bytedeco types. Every other package is internal.
 */
package org.lovt.api;
