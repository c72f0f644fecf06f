package org.lovt.data.datasets.prepare;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of the PNG/JPEG decoder every preparer and loader uses (OpenCV's codecs behind
 * {@link ImageCodec}; contract: {@link FuzzContract}).
 */
class ImageCodecFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void image(byte[] data) {
        FuzzContract.check("image", data.length, 1100, () -> ImageCodec.decode(data, "fuzz.img"));
    }
}
