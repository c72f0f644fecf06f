package org.lovt.eval.metrics;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lovt.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden fixtures computed by LoVT's {@code BBoxMeanAPMetric} / {@code FrocMetric} code with bes-dev
 * {@code mean_average_precision} (testdata/fixtures/README.md, "detection-metrics"): every expected value to 1e-6.
 */
class DetectionMetricsFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"rsna_like_1class.json", "multiclass_3.json"})
    void reproducesTheOriginal(String name) {
        DetectionSet set = DetectionSet.read(TestData.require("fixtures/detection-metrics/" + name));
        Map<String, Double> expected = set.expected();
        assertTrue(expected.containsKey("mAP") && expected.containsKey("froc") && expected.containsKey("mAP@0.75"),
                "the fixture has expected values: " + expected.keySet());
        for (String c : set.classNames()) {
            assertTrue(expected.containsKey(c + "_mAP"), c);
        }
        Map<String, Double> actual = set.metrics().compute();
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertTrue(actual.containsKey(e.getKey()), "computed " + e.getKey());
            assertEquals(e.getValue(), actual.get(e.getKey()), 1e-6, e.getKey());
        }
    }
}
