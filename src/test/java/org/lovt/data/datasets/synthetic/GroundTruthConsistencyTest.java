package org.lovt.data.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ground truth agrees with itself, with the image and with the text, over a few hundred samples. The text
 * checks use their own word lists, not the generator's, so that they test what a reader of the report sees.
 */
class GroundTruthConsistencyTest {
    private static final int N = 300;
    private static final List<SyntheticSample> SAMPLES = new ArrayList<>();

    private static final Map<FindingType, Pattern> TYPE_WORDS = Map.of(
            FindingType.NODULE, Pattern.compile("\\bnodul"),
            FindingType.OPACITY, Pattern.compile("\\b(opacit|consolidation)"),
            FindingType.EFFUSION, Pattern.compile("\\beffusion"),
            FindingType.ATELECTASIS, Pattern.compile("\\batelectasis"),
            FindingType.DEVICE, Pattern.compile("\\b(catheter|line)\\b"));
    private static final Map<Level, Pattern> LEVEL_WORDS = Map.of(
            Level.UPPER, Pattern.compile("\\bupper\\b"),
            Level.MIDDLE, Pattern.compile("\\b(mid|middle)\\b"),
            Level.LOWER, Pattern.compile("\\b(lower|base|basal|costophrenic)\\b"));

    @BeforeAll
    static void generate() {
        for (int i = 0; i < N; i++) {
            SAMPLES.add(SyntheticCxr.generate(2024, i));
        }
    }

    @Test
    void everyFindingHasExactlyOneSentenceThatNamesItsTypeAndZone() {
        for (SyntheticSample s : SAMPLES) {
            List<ReportSentence> sentences = s.reportSentences();
            for (int i = 0; i < s.findings().size(); i++) {
                Finding f = s.findings().get(i);
                List<ReportSentence> describing = new ArrayList<>();
                for (ReportSentence rs : sentences) {
                    if (rs.finding() == i) {
                        describing.add(rs);
                    }
                }
                assertEquals(1, describing.size(), "sample " + s.index() + " finding " + i);
                String text = describing.get(0).text().toLowerCase(Locale.ROOT);
                String what = "sample " + s.index() + ": '" + text + "' for " + f.type() + " in " + f.zone();
                assertEquals(f.type().key(), describing.get(0).topic(), what);
                assertTrue(TYPE_WORDS.get(f.type()).matcher(text).find(), what + ": names the type");
                Side other = f.zone().side() == Side.RIGHT ? Side.LEFT : Side.RIGHT;
                assertTrue(text.matches(".*\\b" + f.zone().side().word() + "\\b.*"), what + ": names the side");
                assertFalse(text.matches(".*\\b" + other.word() + "\\b.*"), what + ": names the other side");
                for (Level level : Level.values()) {
                    assertEquals(level == f.zone().level(), LEVEL_WORDS.get(level).matcher(text).find(),
                            what + ": level words for " + level);
                }
            }
            for (ReportSentence rs : sentences) {
                assertTrue(rs.finding() >= -1 && rs.finding() < s.findings().size());
                assertTrue(rs.text().matches("[A-Z0-9].*\\.") && !rs.text().contains("  "), rs.text());
            }
        }
    }

    @Test
    void negativeStatementsNeverDenyAPresentFinding() {
        for (SyntheticSample s : SAMPLES) {
            Set<String> present = new HashSet<>();
            s.findings().forEach(f -> present.add(f.type().key()));
            for (ReportSentence rs : s.reportSentences()) {
                if (rs.finding() == -1) {
                    assertFalse(present.contains(rs.topic()), "sample " + s.index() + ": " + rs.text());
                    if (!present.isEmpty() && !present.equals(Set.of("device"))) {
                        assertFalse(rs.text().toLowerCase(Locale.ROOT).contains("lungs are clear"), rs.text());
                    }
                }
            }
            List<ReportSentence> edema = s.reportSentences().stream().filter(rs -> rs.topic().equals("edema")).toList();
            if (s.edema()) {
                assertEquals(1, edema.size(), "one edema sentence");
                assertTrue(edema.get(0).text().toLowerCase(Locale.ROOT).contains("edema"));
                assertFalse(edema.get(0).text().matches("(?i)(no|there is no) .*"), edema.get(0).text());
                assertTrue(s.reportSentences().stream().noneMatch(rs -> rs.text().contains("lungs are clear")
                        || rs.text().contains("Lungs are")));
            }
            assertEquals(1, s.impression().size());
            assertEquals(-1, s.impression().get(0).finding());
        }
    }

    @Test
    void boxesAreTightAroundNonEmptyMasksAndAnchorsLieInTheirZone() {
        for (SyntheticSample s : SAMPLES) {
            int size = s.size();
            for (Finding f : s.findings()) {
                String what = "sample " + s.index() + " " + f.type() + " " + f.zone();
                assertEquals(size * size, f.mask().length);
                Box tight = Box.ofMask(f.mask(), size);
                assertNotNull(tight, what + ": empty mask");
                assertEquals(tight, f.box(), what + ": box is the mask's tight box");
                for (int i = 0; i < f.mask().length; i++) {
                    byte m = f.mask()[i];
                    assertTrue(m == 0 || m == 1, what + ": binary");
                    if (m == 1) {
                        assertTrue(f.box().contains(i % size, i / size), what + ": box contains mask");
                    }
                }
                assertTrue(f.box().contains(f.anchorX(), f.anchorY()), what + ": anchor in box");
                assertEquals(f.zone(), s.zones().zoneOf(f.anchorX(), f.anchorY()), what + ": zone of the anchor");
                assertTrue(s.zoneBoxes().get(f.zone()).contains(f.anchorX(), f.anchorY()),
                        what + ": anchor in zone box");
                byte lung = f.zone().side() == Side.RIGHT ? SyntheticSample.RIGHT_LUNG : SyntheticSample.LEFT_LUNG;
                assertEquals(lung, s.anatomy()[f.anchorY() * size + f.anchorX()], what + ": anchor in its lung");
            }
        }
    }

    @Test
    void masksLieInsideTheirLungFieldOrForDevicesInsideTheBody() {
        int devices = 0;
        int crossing = 0;
        for (SyntheticSample s : SAMPLES) {
            for (Finding f : s.findings()) {
                byte lung = f.zone().side() == Side.RIGHT ? SyntheticSample.RIGHT_LUNG : SyntheticSample.LEFT_LUNG;
                Set<Zone> touched = EnumSet.noneOf(Zone.class);
                for (int i = 0; i < f.mask().length; i++) {
                    if (f.mask()[i] == 0) {
                        continue;
                    }
                    byte label = s.anatomy()[i];
                    if (f.type() == FindingType.DEVICE) {
                        assertNotEquals(SyntheticSample.OUTSIDE, label, "device outside the body, sample " + s.index());
                        if (label >= SyntheticSample.RIGHT_LUNG) {
                            touched.add(s.zones().zoneOf(i % s.size(), i / s.size()));
                        }
                    } else {
                        assertEquals(lung, label, f.type() + " outside its lung field, sample " + s.index());
                    }
                }
                if (f.type() == FindingType.DEVICE) {
                    devices++;
                    crossing += touched.size() > 1 ? 1 : 0;
                }
            }
        }
        assertTrue(devices > 0 && crossing > 0, "devices cross zones: " + crossing + " of " + devices);
    }

    @Test
    void placementRules() {
        for (SyntheticSample s : SAMPLES) {
            assertTrue(s.findings().size() <= 3);
            Set<Zone> lungZones = EnumSet.noneOf(Zone.class);
            int devices = 0;
            for (Finding f : s.findings()) {
                switch (f.type()) {
                    case EFFUSION -> assertEquals(Level.LOWER, f.zone().level());
                    case ATELECTASIS -> assertNotEquals(Level.UPPER, f.zone().level());
                    case DEVICE -> assertNotEquals(Level.LOWER, f.zone().level());
                    default -> { }
                }
                if (f.type() == FindingType.DEVICE) {
                    devices++;
                    assertFalse(f.uncertain(), "devices are never hedged");
                } else {
                    assertTrue(lungZones.add(f.zone()), "one lung finding per zone, sample " + s.index());
                }
            }
            assertTrue(devices <= 1);
        }
    }

    @Test
    void radiologicalConventionPatientRightIsImageLeft() {
        for (SyntheticSample s : SAMPLES.subList(0, 50)) {
            int size = s.size();
            double mid = s.zones().midlineX();
            int heartSideBody = 0;
            int otherSideBody = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    byte label = s.anatomy()[y * size + x];
                    if (label == SyntheticSample.RIGHT_LUNG) {
                        assertTrue(x + 0.5 < mid, "right lung pixel on the image right");
                    } else if (label == SyntheticSample.LEFT_LUNG) {
                        assertTrue(x + 0.5 >= mid, "left lung pixel on the image left");
                    }
                }
            }
            for (Zone z : Zone.values()) {
                Box b = s.zoneBoxes().get(z);
                assertNotNull(b, z + " of sample " + s.index());
                double centre = b.x() + b.w() / 2.0;
                assertEquals(z.side() == Side.RIGHT, centre < mid, z + " on the wrong side");
            }
            for (Side side : Side.values()) {
                Box up = s.zoneBoxes().get(Zone.of(side, Level.UPPER));
                Box mid2 = s.zoneBoxes().get(Zone.of(side, Level.MIDDLE));
                Box low = s.zoneBoxes().get(Zone.of(side, Level.LOWER));
                assertTrue(up.y() + up.h() == mid2.y() && mid2.y() + mid2.h() == low.y(), "zones stack top to bottom");
            }
            // The heart bulges to the patient's left: in the rows of the lower zones, body (non-lung) pixels between
            // the lungs lie mostly right of the midline.
            Box low = s.zoneBoxes().get(Zone.LEFT_LOWER);
            for (int y = low.y(); y < low.y() + low.h(); y++) {
                for (int x = 0; x < size; x++) {
                    if (s.anatomy()[y * size + x] == SyntheticSample.BODY && Math.abs(x + 0.5 - mid) < 0.25 * size) {
                        if (x + 0.5 >= mid) {
                            heartSideBody++;
                        } else {
                            otherSideBody++;
                        }
                    }
                }
            }
            assertTrue(heartSideBody > otherSideBody, "heart on the patient's left, sample " + s.index());
        }
    }

    @Test
    void chexpertLabelsFollowTheFindingsAndTheMimicConventions() {
        for (SyntheticSample s : SAMPLES) {
            ChexpertLabels l = s.labels();
            for (double v : l.values()) {
                assertTrue(Double.isNaN(v) || v == 1.0 || v == 0.0 || v == -1.0);
            }
            for (FindingType t : FindingType.values()) {
                List<Finding> ofType = s.findings().stream().filter(f -> f.type() == t).toList();
                for (String label : t.chexpertLabels()) {
                    double v = l.get(label);
                    if (ofType.isEmpty()) {
                        assertTrue(Double.isNaN(v) || v == 0.0, label + " without a finding");
                    } else {
                        boolean allHedged = ofType.stream().allMatch(Finding::uncertain);
                        assertEquals(allHedged ? -1.0 : 1.0, v, label + " of sample " + s.index());
                    }
                }
            }
            assertEquals(s.cardiomegaly() ? 1.0 : 0.0, l.get("Cardiomegaly"));
            double edema = l.get("Edema");
            assertTrue(s.edema() ? edema == 1.0 || edema == -1.0 : Double.isNaN(edema) || edema == 0.0,
                    "Edema " + edema);
            boolean pathology = s.cardiomegaly() || s.edema()
                    || s.findings().stream().anyMatch(f -> f.type() != FindingType.DEVICE);
            double noFinding = l.get("No Finding");
            assertEquals(pathology, Double.isNaN(noFinding), "No Finding is 1.0 or blank");
            if (!pathology) {
                assertEquals(1.0, noFinding);
            }
            assertTrue(Double.isNaN(l.get("Pleural Other")) && Double.isNaN(l.get("Pneumonia")));
            float[] bin = s.chexpertBinary();
            List<String> five = org.lovt.data.ScanReportSample.CHEXPERT_LABELS;
            for (int i = 0; i < 5; i++) {
                double v = l.get(five.get(i));
                assertEquals(v == 1.0 || v == -1.0 ? 1f : 0f, bin[i], five.get(i) + " U-ones");
            }
        }
    }

    @Test
    void theDataSetCoversEveryCaseWithVariedWording() {
        int[] counts = new int[4];
        Set<FindingType> types = EnumSet.noneOf(FindingType.class);
        Set<Zone> zones = EnumSet.noneOf(Zone.class);
        Set<String> findingSentences = new HashSet<>();
        Set<String> normalSentences = new HashSet<>();
        int hedged = 0;
        int enlarged = 0;
        int edema = 0;
        int ap = 0;
        for (SyntheticSample s : SAMPLES) {
            counts[s.findings().size()]++;
            s.findings().forEach(f -> {
                types.add(f.type());
                zones.add(f.zone());
            });
            hedged += (int) s.findings().stream().filter(Finding::uncertain).count();
            enlarged += s.cardiomegaly() ? 1 : 0;
            edema += s.edema() ? 1 : 0;
            ap += s.view() == View.AP ? 1 : 0;
            for (ReportSentence rs : s.reportSentences()) {
                (rs.finding() >= 0 ? findingSentences : normalSentences).add(rs.text());
            }
        }
        for (int c = 0; c < 4; c++) {
            assertTrue(counts[c] > N / 20, "samples with " + c + " findings: " + counts[c]);
        }
        assertEquals(EnumSet.allOf(FindingType.class), types);
        assertEquals(EnumSet.allOf(Zone.class), zones);
        assertTrue(hedged > 10 && enlarged > N / 10 && edema > N / 20 && ap > N / 10 && ap < N / 2,
                hedged + " " + enlarged + " " + edema + " " + ap);
        assertTrue(findingSentences.size() > 200, "distinct finding sentences: " + findingSentences.size());
        assertTrue(normalSentences.size() > 30, "distinct normal sentences: " + normalSentences.size());
    }
}
