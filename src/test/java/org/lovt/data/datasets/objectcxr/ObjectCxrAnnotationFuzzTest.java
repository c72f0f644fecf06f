package org.lovt.data.datasets.objectcxr;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.lovt.fuzz.FuzzContract;

/**
 * Coverage-guided fuzzing of Object-CXR's annotation field (contract: {@link FuzzContract}): parsed, then turned into
 * boxes and a mask for a 64 × 48 image, with and without the quirk fixes, as the preparer does.
 */
class ObjectCxrAnnotationFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void annotation(byte[] data) {
        String field = new String(data, StandardCharsets.UTF_8);
        FuzzContract.check("Object-CXR annotation", data.length, 2048, () -> {
            List<ObjectCxrAnnotation> shapes = ObjectCxrAnnotation.parse(field);
            for (boolean fix : new boolean[] {false, true}) {
                ObjectCxrTargets.boxes(shapes, 64, 48, fix, msg -> { });
                ObjectCxrTargets.mask(shapes, 64, 48, fix);
            }
        });
    }
}
