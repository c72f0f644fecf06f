package org.lovt.data.datasets.mimic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovt.data.ScanReportSample;

/** CheXpert values, stored classes and the U-ones mapping (spec lovt-data-eval §1.2 step 9, §1.5). */
class ChexpertLabelsTest {
    private static final ChexpertLabels.Value P = ChexpertLabels.Value.POSITIVE;
    private static final ChexpertLabels.Value N = ChexpertLabels.Value.NEGATIVE;
    private static final ChexpertLabels.Value U = ChexpertLabels.Value.UNCERTAIN;
    private static final ChexpertLabels.Value B = ChexpertLabels.Value.BLANK;

    @Test
    void csvValuesParseLikePandas() {
        assertEquals(P, ChexpertLabels.parse("1.0"));
        assertEquals(P, ChexpertLabels.parse("1"));
        assertEquals(N, ChexpertLabels.parse("0.0"));
        assertEquals(N, ChexpertLabels.parse("-0.0"));
        assertEquals(U, ChexpertLabels.parse("-1.0"));
        assertEquals(B, ChexpertLabels.parse(""));
        assertEquals(B, ChexpertLabels.parse(" "));
        assertEquals(B, ChexpertLabels.parse("NaN"));
        assertThrows(IllegalArgumentException.class, () -> ChexpertLabels.parse("yes"));
        assertThrows(IllegalArgumentException.class, () -> ChexpertLabels.parse("2.0"));
    }

    @Test
    void uOnesMapsPositiveAndUncertainToOne() {
        assertEquals(1, P.uOnes());
        assertEquals(1, U.uOnes());
        assertEquals(0, N.uOnes());
        assertEquals(0, B.uOnes());
    }

    @Test
    void storedClassIndicesFollowTheOriginalClassLabels() {
        assertEquals(List.of(0, 1, 2, 3), List.of(ChexpertLabels.classIndex("Edema", N),
                ChexpertLabels.classIndex("Edema", P), ChexpertLabels.classIndex("Edema", U),
                ChexpertLabels.classIndex("Edema", B)));
        assertEquals(1, ChexpertLabels.classIndex("No Finding", P));
        assertEquals(0, ChexpertLabels.classIndex("No Finding", B));
    }

    @Test
    void binaryLabelsComeInTheOnlineEvaluationOrder() {
        assertEquals(ScanReportSample.CHEXPERT_LABELS, ChexpertLabels.BINARY);
        assertEquals(14, ChexpertLabels.ALL.size());
        ChexpertLabels.Value[] all = new ChexpertLabels.Value[14];
        java.util.Arrays.fill(all, P); // everything positive except the five, to catch index mix-ups
        all[ChexpertLabels.ALL.indexOf("Cardiomegaly")] = U;
        all[ChexpertLabels.ALL.indexOf("Edema")] = N;
        all[ChexpertLabels.ALL.indexOf("Consolidation")] = B;
        all[ChexpertLabels.ALL.indexOf("Atelectasis")] = P;
        all[ChexpertLabels.ALL.indexOf("Pleural Effusion")] = B;
        // Cardiomegaly, Edema, Consolidation, Atelectasis, Pleural Effusion
        assertArrayEquals(new int[] {1, 0, 0, 1, 0}, ChexpertLabels.binaryUOnes(all));
    }

    @Test
    void csvColumnsAreTheOfficialFilesOrder() {
        // The header of mimic-cxr-2.0.0-chexpert.csv after subject_id, study_id.
        assertEquals(List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Enlarged Cardiomediastinum",
                "Fracture", "Lung Lesion", "Lung Opacity", "No Finding", "Pleural Effusion", "Pleural Other",
                "Pneumonia", "Pneumothorax", "Support Devices"), ChexpertLabels.CSV_COLUMNS);
        assertEquals(java.util.Set.copyOf(ChexpertLabels.ALL), java.util.Set.copyOf(ChexpertLabels.CSV_COLUMNS));
        // The synthetic data's labels use the same list, not a copy of it.
        assertSame(ChexpertLabels.CSV_COLUMNS, org.lovt.data.datasets.synthetic.ChexpertLabels.LABELS);
    }
}
