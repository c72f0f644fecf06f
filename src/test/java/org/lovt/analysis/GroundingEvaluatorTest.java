package org.lovt.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.synthetic.SyntheticDataset;
import org.lovt.data.datasets.synthetic.SyntheticSample;

/**
 * The pointing game and its controls on hand-made attention whose answers are known: a 64-pixel image, an 8×8 grid
 * (8-pixel cells), a nodule in cell (1, 1) of the upper-left zone and a catheter tip in cell (6, 6) of the lower-right
 * zone, and a report of a nodule sentence, a normal sentence and a device sentence.
 */
class GroundingEvaluatorTest {
    static final int NODULE_CELL = 9;      // row 1, col 1: x 8..16, y 8..16
    static final int DEVICE_CELL = 54;     // row 6, col 6: x 48..56, y 48..56
    static final int ELSEWHERE = 60;       // row 7, col 4: on no finding, in the device's zone

    static GroundedStudy study() {
        GroundedStudy.Finding nodule = new GroundedStudy.Finding("nodule", "right_upper",
                new GroundedStudy.Box(10, 10, 4, 4), new GroundedStudy.Box(0, 0, 32, 32), 12, 12);
        GroundedStudy.Finding device = new GroundedStudy.Finding("device", "left_lower",
                new GroundedStudy.Box(50, 50, 6, 6), new GroundedStudy.Box(32, 32, 32, 32), 53, 53);
        return new GroundedStudy(3, 64, new byte[64 * 64],
                List.of("A small \"nodule\" in the right upper zone.", "The heart is normal.", "A catheter."),
                new int[] {0, -1, 1}, List.of(nodule, device), new byte[64 * 64]);
    }

    /** Attention of each kept sentence all on one cell. */
    static GroundingEvaluator.Attention peaks(int[] kept, int pool, int... cells) {
        float[][] maps = new float[cells.length][64];
        for (int k = 0; k < cells.length; k++) {
            maps[k][cells[k]] = 1f;
        }
        float[] p = new float[64];
        p[pool] = 1f;
        return new GroundingEvaluator.Attention(kept, maps, p, 8, 8);
    }

    @Test
    void scoresTheSentencesAndTheControls(@TempDir Path tmp) throws Exception {
        GroundingEvaluator ev = new GroundingEvaluator(List.of("opacity", "device", "nodule")).withSentenceTable()
                .withPictures(tmp.resolve("pictures"), 1);
        // The nodule sentence points at the nodule; the normal sentence at the catheter; the device sentence at the
        // nodule (another finding); the attention pool at the catheter.
        ev.add(study(), peaks(new int[] {0, 1, 2}, DEVICE_CELL, NODULE_CELL, DEVICE_CELL, NODULE_CELL));
        GroundingEvaluator.Score s = ev.score();
        assertEquals(2, s.sentences(), "the two finding sentences; the normal one is not scored");
        assertEquals(0.5, s.hits());
        assertEquals(0.5, s.zoneHits());
        assertEquals(1 / 64.0, s.chance(), 1e-15, "each box overlaps one of 64 cells");
        assertEquals(16 / 64.0, s.zoneChance(), 1e-15, "each zone covers 4x4 cells");
        assertEquals(0.5, s.poolHits(), "the pool's argmax is on the catheter: a hit for the device sentence only");
        // Averaged over the three sentences, the attention is 2/3 on the nodule: the control points there for both.
        assertEquals(0.5, s.reportMeanHits());
        assertEquals(0.5, s.reportMeanZoneHits());
        assertEquals(2, s.multiSentences());
        assertEquals(0.5, s.describedOnly(), "the nodule sentence is on its own finding only");
        assertEquals(0.5, s.otherOnly(), "the device sentence is on the nodule, not on the catheter");
        assertEquals(List.of("device", "nodule"), List.copyOf(s.byKind().keySet()), "in the given order");
        assertEquals(new GroundingEvaluator.KindScore(1, 1, 1 / 64.0, 1, 0.25), s.byKind().get("nodule"));
        assertEquals(new GroundingEvaluator.KindScore(1, 0, 1 / 64.0, 0, 0.25), s.byKind().get("device"));

        List<String> table = ev.sentenceTable();
        assertEquals(GroundingEvaluator.TABLE_HEADER, table.get(0));
        assertEquals(List.of(
                "3,0,nodule,right_upper,10,10,4,4,12,12,1,1,1.0000,1.0000,true,true,true,true,false,"
                        + "\"A small \"\"nodule\"\" in the right upper zone.\"",
                "3,2,device,left_lower,50,50,6,6,53,53,1,1,1.0000,0.0000,false,false,false,false,true,\"A catheter.\""),
                table.subList(1, table.size()));
        assertEquals(List.of(tmp.resolve("pictures/attention-00.png")), ev.pictures());
        assertTrue(Files.size(ev.pictures().get(0)) > 100);
    }

    @Test
    void attentionThatIgnoresTheSentenceScoresAsTheControlDoes() {
        // Every sentence (and the pool) points at the catheter, whatever it says: the sentence's rates equal the
        // control's, and the sentences land on another finding as often as on their own.
        GroundingEvaluator ev = new GroundingEvaluator(List.of());
        ev.add(study(), peaks(new int[] {0, 1, 2}, DEVICE_CELL, DEVICE_CELL, DEVICE_CELL, DEVICE_CELL));
        GroundingEvaluator.Score s = ev.score();
        assertEquals(s.hits(), s.reportMeanHits());
        assertEquals(s.zoneHits(), s.reportMeanZoneHits());
        assertEquals(s.describedOnly(), s.otherOnly());
        assertEquals(List.of("nodule", "device"), List.copyOf(s.byKind().keySet()),
                "without an order, kinds follow in the order they first appear");
    }

    @Test
    void aPointerOnNoFindingHitsTheZoneOnly() {
        GroundingEvaluator ev = new GroundingEvaluator(List.of());
        ev.add(study(), peaks(new int[] {0, 1, 2}, ELSEWHERE, ELSEWHERE, ELSEWHERE, ELSEWHERE));
        GroundingEvaluator.Score s = ev.score();
        assertEquals(0, s.hits());
        assertEquals(0.5, s.zoneHits(), "the device's zone contains the cell, the nodule's does not");
        assertEquals(0, s.describedOnly());
        assertEquals(0, s.otherOnly());
    }

    @Test
    void sentencesTheModelDidNotReadAreNotScored() {
        // The token budget kept the first two sentences: the device sentence is neither scored nor averaged.
        GroundingEvaluator ev = new GroundingEvaluator(List.of());
        GroundingEvaluator.Attention a = peaks(new int[] {0, 1}, NODULE_CELL, NODULE_CELL, DEVICE_CELL);
        ev.add(study(), a);
        GroundingEvaluator.Score s = ev.score();
        assertEquals(1, s.sentences());
        assertEquals(1, s.hits());
        assertEquals(1, s.multiSentences());
    }

    @Test
    void emptyAndPoolFreeCases() {
        assertEquals(0, new GroundingEvaluator(List.of()).score().sentences());
        GroundingEvaluator ev = new GroundingEvaluator(List.of());
        float[][] maps = {new float[64], new float[64], new float[64]};
        ev.add(study(), new GroundingEvaluator.Attention(new int[] {0, 1, 2}, maps, null, 8, 8));
        assertTrue(Double.isNaN(ev.score().poolHits()), "no attention pool, no pool rate");
        assertThrows(IllegalStateException.class, ev::sentenceTable);
        assertThrows(IllegalArgumentException.class, () -> new GroundingEvaluator.Attention(new int[] {0},
                new float[][] {new float[63]}, null, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> new GroundingEvaluator.Attention(new int[] {0, 1},
                new float[][] {new float[64]}, null, 8, 8));
    }

    @Test
    void aSyntheticSampleBecomesAStudyWithItsZonesAndTheUnionOfItsMasks() {
        SyntheticDataset train = SyntheticDataset.splits(3, 16, 1, 1, 64).get(0);
        SyntheticSample s = null;
        for (int i = 0; i < train.size() && s == null; i++) {
            s = train.get(i).findings().size() >= 2 ? train.get(i) : null;
        }
        assertTrue(s != null, "a sample with several findings");
        GroundedStudy g = GroundedStudy.of(s);
        assertEquals(s.sentences(), g.sentences());
        assertEquals(s.findings().size(), g.findings().size());
        for (int f = 0; f < s.findings().size(); f++) {
            var zone = s.zoneBoxes().get(s.findings().get(f).zone());
            assertEquals(new GroundedStudy.Box(zone.x(), zone.y(), zone.w(), zone.h()), g.findings().get(f).zoneBox());
            assertEquals(s.findings().get(f).type().key(), g.findings().get(f).kind());
        }
        for (int p = 0; p < 64 * 64; p++) {
            int any = 0;
            for (var f : s.findings()) {
                any |= f.mask()[p];
            }
            assertEquals(any, g.findingMask()[p]);
        }
    }
}
