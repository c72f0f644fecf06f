package org.lovt.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One pre-training example after the pipeline: the chosen view, transformed, and the (augmented) report.
 *
 * @param studyId   the study's id
 * @param viewIndex which of the study's frontal images was chosen
 * @param image     that image's file
 * @param scan      the normalised scan, (3, H, W) C-ordered floats
 * @param sentences the report sentences (augmented in training)
 * @param chexpert  the study's 5 binary CheXpert labels
 */
public record ScanReportExample(String studyId, int viewIndex, Path image, float[] scan, List<String> sentences,
                                float[] chexpert) {}
