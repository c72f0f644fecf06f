package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Pixel-level properties: value ranges, anatomy that looks like a chest film (dark lungs in a brighter body), findings
 * that are clearly visible against the same image without them, and a global brightness that does not give the
 * findings away.
 */
class ImageStatisticsTest {
    private static final int N = 150;

    private static double mean(byte[] px, byte[] labels, int label) {
        long sum = 0;
        int n = 0;
        for (int i = 0; i < px.length; i++) {
            if (label < 0 || labels[i] == label) {
                sum += px[i] & 255;
                n++;
            }
        }
        return (double) sum / n;
    }

    @Test
    void valueRangesAndAnatomy() {
        for (int i = 0; i < 40; i++) {
            SyntheticSample s = SyntheticCxr.generate(11, i, i % 2 == 0 ? 224 : 160);
            int min = 255;
            int max = 0;
            int[] labelCounts = new int[4];
            for (int k = 0; k < s.pixels().length; k++) {
                int v = s.pixels()[k] & 255;
                min = Math.min(min, v);
                max = Math.max(max, v);
                int label = s.anatomy()[k];
                assertTrue(label >= 0 && label <= 3, "label " + label);
                labelCounts[label]++;
            }
            assertTrue(max - min > 150, "uses most of the 8-bit range: " + min + ".." + max);
            int total = s.size() * s.size();
            assertTrue(labelCounts[SyntheticSample.RIGHT_LUNG] > total / 20 && labelCounts[SyntheticSample.LEFT_LUNG]
                    > total / 25, "both lung fields are large");
            assertTrue(labelCounts[SyntheticSample.BODY] + labelCounts[2] + labelCounts[3] > total / 2, "body fills"
                    + " the film");
            double lung = (mean(s.pixels(), s.anatomy(), SyntheticSample.RIGHT_LUNG)
                    + mean(s.pixels(), s.anatomy(), SyntheticSample.LEFT_LUNG)) / 2;
            double body = mean(s.pixels(), s.anatomy(), SyntheticSample.BODY);
            double outside = mean(s.pixels(), s.anatomy(), SyntheticSample.OUTSIDE);
            assertTrue(lung + 30 < body, "aerated lungs are darker than soft tissue: " + lung + " vs " + body);
            assertTrue(outside < lung, "air outside the body is darkest");
        }
    }

    @Test
    void findingsAreClearlyVisibleAgainstTheSameImageWithoutThem() {
        int checked = 0;
        for (int i = 0; i < N; i++) {
            SyntheticSample with = SyntheticCxr.generate(12, i);
            SyntheticSample without = SyntheticCxr.generate(12, i, SyntheticCxr.DEFAULT_SIZE, false);
            for (Finding f : with.findings()) {
                double diff = 0;
                int n = 0;
                for (int k = 0; k < f.mask().length; k++) {
                    if (f.mask()[k] != 0) {
                        diff += (with.pixels()[k] & 255) - (without.pixels()[k] & 255);
                        n++;
                    }
                }
                // Pixel noise is a few grey levels; a finding brightens its mask by several times that.
                assertTrue(diff / n > 12, f.type() + " in sample " + i + " brightens its mask by only " + diff / n);
                checked++;
            }
            // Nothing changes strongly more than one pixel away from a mask (the antialiasing blur may reach that
            // far, e.g. where an effusion meets the diaphragm outside the lung field).
            int size = with.size();
            int changedOutside = 0;
            for (int k = 0; k < with.pixels().length; k++) {
                if (Math.abs((with.pixels()[k] & 255) - (without.pixels()[k] & 255)) > 40
                        && !nearMask(with.findings(), k % size, k / size, size)) {
                    changedOutside++;
                }
            }
            assertEquals(0, changedOutside, "strong changes away from the masks in sample " + i);
        }
        assertTrue(checked > 100);
    }

    private static boolean nearMask(List<Finding> findings, int x, int y, int size) {
        for (Finding f : findings) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx;
                    int yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < size && yy < size && f.mask()[yy * size + xx] != 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void globalBrightnessDoesNotRevealFindings() {
        List<Double> abnormal = new ArrayList<>();
        List<Double> normal = new ArrayList<>();
        for (int i = 0; i < 2 * N; i++) {
            SyntheticSample s = SyntheticCxr.generate(13, i, 112);
            boolean lungFinding = s.findings().stream().anyMatch(f -> f.type() != FindingType.DEVICE);
            (lungFinding ? abnormal : normal).add(mean(s.pixels(), s.anatomy(), -1));
        }
        double auc = 0;
        for (double a : abnormal) {
            for (double b : normal) {
                auc += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        auc /= (double) abnormal.size() * normal.size();
        assertTrue(auc > 0.35 && auc < 0.65, "mean brightness separates abnormal from normal films: AUC " + auc);
        double lo = abnormal.stream().mapToDouble(d -> d).min().orElseThrow();
        double hi = abnormal.stream().mapToDouble(d -> d).max().orElseThrow();
        assertTrue(hi - lo > 40, "brightness varies widely between films: " + lo + ".." + hi);
    }

    @Test
    void boxAndMaskCoordinatesScaleWithTheImageSize() {
        SyntheticSample s = SyntheticCxr.generate(14, 0, 640);
        assertEquals(640 * 640, s.pixels().length);
        for (Box b : s.zoneBoxes().values()) {
            assertTrue(b.x() >= 0 && b.y() >= 0 && b.x() + b.w() <= 640 && b.y() + b.h() <= 640);
            assertTrue(b.w() > 640 / 8 && b.h() > 640 / 12, "zone box " + b);
        }
    }
}
