package org.lovt.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One pre-training sample (a MIMIC-CXR study): its frontal images, its report sentences
 * (findings then impression) and its binary CheXpert labels.
 *
 * @param studyId   the study's id (e.g. {@code s50414267})
 * @param images    the study's frontal (PA/AP) images; training picks one at random (spec lovt-model §5.1)
 * @param sentences the report's sentences in order
 * @param chexpert  binary labels (U-ones) for Cardiomegaly, Edema, Consolidation, Atelectasis, Pleural Effusion
 */
public record ScanReportSample(String studyId, List<Path> images, List<String> sentences, float[] chexpert) {
    /** The label names of {@link #chexpert}, in order (the online evaluation's five). */
    public static final List<String> CHEXPERT_LABELS = List.of("Cardiomegaly", "Edema", "Consolidation",
            "Atelectasis", "Pleural Effusion");
}
