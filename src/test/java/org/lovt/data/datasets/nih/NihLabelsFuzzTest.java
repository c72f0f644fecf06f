package org.lovt.data.datasets.nih;

import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/** Coverage-guided fuzzing of NIH's {@code BBox_List_2017.csv} reader (contract: {@link FuzzContract}). */
class NihLabelsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void boxes(byte[] data) {
        Path f = FuzzContract.scratch("BBox_List_2017.csv", data);
        FuzzContract.check("NIH boxes", data.length, 2048, () -> NihLabels.annotated(f));
    }
}
