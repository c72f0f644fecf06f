package org.lovt.data.datasets.rsna;

import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.data.datasets.prepare.PrepareReport;
import org.lovt.fuzz.FuzzContract;

/** Coverage-guided fuzzing of RSNA's {@code stage_2_train_labels.csv} reader (contract: {@link FuzzContract}). */
class RsnaLabelsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void labels(byte[] data) {
        Path f = FuzzContract.scratch("stage_2_train_labels.csv", data);
        FuzzContract.check("RSNA labels", data.length, 2048, () -> RsnaLabels.read(f, new PrepareReport()));
    }
}
