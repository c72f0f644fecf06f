package org.lovt.data.datasets.siim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of SIIM's run-length masks (contract: {@link FuzzContract}): one {@code EncodedPixels}
 * field per line, decoded into one 1024 × 1024 mask as the preparer does.
 */
class SiimRleFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void encodedPixels(byte[] data) {
        var fields = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1));
        FuzzContract.check("SIIM RLE", data.length, 2048, () -> SiimRle.decode(fields, SiimPreparer.SIZE));
    }
}
