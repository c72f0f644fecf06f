/**
 * Reading the prepared downstream data sets for the evaluation tasks, and writing synthetic ones in the same format
 * (spec lovt-data-eval.md §2, §3.2).
 *
 * <pre>{@code
 * PreparedDownstream rsna = PreparedDownstream.open(Path.of("rsna/prepared"));
 * DownstreamSplit train = rsna.split(SplitName.TRAIN, 0.01, 224);   // rsna_001: the first round(1 % of N)
 * DownstreamSample s = train.get(0);   // image 224², boxes, classes (all 0), one mask per target
 *
 * SyntheticDownstream.write(Path.of("synthetic-rsna"), "rsna", 300, 100, 100, 224, 42);
 * }</pre>
 *
 * <p>{@link org.lovt.data.datasets.downstream.PreparedDownstream} checks a folder written by
 * {@code lovt prepare {rsna,covid,siim,object-cxr,nih}} or {@code lovt prepare synthetic}; its splits
 * ({@link org.lovt.data.datasets.downstream.DownstreamSplit}) decode and transform samples on demand, as the original's
 * data sets and {@code ScanDataTransform} without augmentation do: masks resized to the image, PadToSquare (one pixel
 * short for odd differences), Pillow's anti-aliased bilinear to the input size for the image and Pillow's NEAREST for
 * the masks, boxes moved and scaled, {@code (v / 255 - mean) / std} with the train split's statistics, one channel.
 * {@link org.lovt.data.datasets.downstream.SyntheticDownstream} renders images with the pre-training generator
 * ({@code org.lovt.data.datasets.synthetic}) and writes them through the real preparation code.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.datasets.downstream;
