/**
 * What the five downstream preparations ({@code lovt prepare rsna|covid|siim|object-cxr|nih}) share; spec
 * lovt-data-eval.md §0, §2, §7, §8.
 *
 * <p>Flow ({@link org.lovt.data.datasets.prepare.DownstreamPreparer}): annotations are read; the samples are split,
 * either as {@code --splits-from DIR}'s {@code train/validation/test.csv} say (ids and order) or at random with the
 * original's own helpers reproduced draw for draw ({@link org.lovt.data.datasets.prepare.NumpyRandom}: with
 * {@code --seed S}, default 0, the same split as the original script run with {@code --seed S} on the same input
 * order); images are processed on {@code --threads} workers into a hidden staging folder, which is renamed into place
 * only when {@code <split>.csv}, {@code dataset_statistics.json} and {@code preparation.json} are written
 * ({@link org.lovt.util.StagingDir}).
 *
 * <p>Bad input never becomes a silently wrong target: an unusable whole (missing file, folder or column, bad split
 * files, existing output) is a {@link org.lovt.LovtException} naming the file (exit 2 on the command line); a bad
 * sample (unreadable, truncated or 16-bit image, corrupt DICOM, broken RLE or annotation, box without area in the
 * image, missing image) is skipped after splitting, so no other sample changes split, and named with its file and
 * reason in the summary and in {@code preparation.json}; boxes reaching outside the image are clipped and listed as
 * warnings.
 *
 * <p>Exactness: histogram equalisation is skimage's {@code equalize_hist} bit for bit
 * ({@link org.lovt.data.datasets.prepare.HistogramEqualization}); Pillow's {@code convert('L')} luminance is used for
 * colour inputs; statistics are per-image mean/variance combined as spec §0; CSV boxes and JSON floats are written
 * as Python's {@code repr}; masks are two-colour GIFs whose palette indices are 0/1, as Pillow wrote them.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.data.datasets.prepare;

