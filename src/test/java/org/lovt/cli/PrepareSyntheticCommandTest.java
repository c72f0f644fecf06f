package org.lovt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.data.datasets.downstream.PreparedDownstream;
import org.lovt.data.datasets.prepare.SplitName;

/** {@code lovt prepare synthetic DATASET --out DIR}. */
class PrepareSyntheticCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAFolderThatOpensAsThePreparedDataSet() {
        Path out = tmp.resolve("synthetic-siim");
        CliTest.Run r = CliTest.run("prepare", "synthetic", "siim", "--out", out.toString(), "--train", "4",
                "--validation", "2", "--test", "1", "--size", "64", "--seed", "3", "--threads", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("siim: prepared 7 images"), r.err());
        PreparedDownstream p = PreparedDownstream.open(out);
        assertEquals("siim", p.dataset());
        assertTrue(p.synthetic());
        assertEquals(4, p.size(SplitName.TRAIN));
        assertEquals(2, p.size(SplitName.VALIDATION));
        assertEquals(1, p.size(SplitName.TEST));
    }

    @Test
    void badInputExitsWithTwoAndOneLine() {
        CliTest.Run r = CliTest.run("prepare", "synthetic", "chexpert", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown downstream data set 'chexpert'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("x")));
        assertEquals(2, CliTest.run("prepare", "synthetic", "rsna").code()); // --out is required
    }
}
