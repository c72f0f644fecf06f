package org.lovt.data.datasets.covid;

import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/** Coverage-guided fuzzing of COVID rural's PNG masks (contract: {@link FuzzContract}), for a 32 × 24 image. */
class CovidMaskFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void mask(byte[] data) {
        FuzzContract.check("COVID mask", data.length, 4096,
                () -> CovidMask.read(data, Path.of("masks/fuzz.png"), 32, 24));
    }
}
